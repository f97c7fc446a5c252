"""The transparent ranking used before there are enough judgements to train on.

A paper scores, for each distinct digest keyword it carries (its ``**bold**`` terms),
2 if a starred paper carries that keyword too and 1 otherwise, plus 3 for each of the
user's own words (``--highlight``, the config) found in its title, abstract, keywords
or topics (case-insensitively, inside words too, as highlighting does). ``why`` names
the matches: the user's words first, then shared keywords, then the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..model import Paper
from .result import Ranking

WORD_WEIGHT = 3
SHARED_KEYWORD_WEIGHT = 2
KEYWORD_WEIGHT = 1


def keyword_ranking(
    papers: Sequence[Paper],
    judgements: Mapping[int, bool],
    words: Iterable[str] = (),
    *,
    detail: str = "ranked by digest keywords and your highlight words",
) -> Ranking:
    """Score ``papers`` by keyword and highlight-word matches (see the module doc)."""
    user_words = list(dict.fromkeys(w.strip().lower() for w in words if w.strip()))
    starred_keywords = {
        keyword.lower()
        for index, starred in judgements.items()
        if starred
        for keyword in papers[index].keywords
    }

    def matches(paper: Paper) -> tuple[list[str], list[str], list[str]]:
        keywords = list(dict.fromkeys(k.lower() for k in paper.keywords))
        text = " ".join((paper.title, paper.abstract, *paper.topics, *keywords)).lower()
        matched = [w for w in user_words if w in text]
        shared = [k for k in keywords if k in starred_keywords]
        others = [k for k in keywords if k not in starred_keywords]
        return matched, shared, others

    scores: list[float] = []
    for paper in papers:
        matched, shared, others = matches(paper)
        scores.append(
            float(
                WORD_WEIGHT * len(matched)
                + SHARED_KEYWORD_WEIGHT * len(shared)
                + KEYWORD_WEIGHT * len(others)
            )
        )

    def explain(index: int, n: int) -> list[str]:
        # Found again for the one paper asked about: keeping every paper's reasons
        # took 27 MB at 100,000 papers.
        matched, shared, others = matches(papers[index])
        return list(dict.fromkeys([*matched, *shared, *others]))[:n]

    return Ranking(scores, "keywords", detail, explain, dict(judgements))
