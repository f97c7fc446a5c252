"""``Ranking``: the scores of one fitted ranking, its order and its reasons.

Plain Python (no numpy needed to read it): the app keeps one and asks it for the
order of the current view, a paper's score and the line saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class Ranking:
    """Scores of papers 0..n-1 (higher: more likely to be starred).

    ``method`` is ``"model"`` (the trained classifier) or ``"keywords"`` (the
    fallback); ``detail`` is one line for the user about what it was fitted on.
    ``explain(index, n)`` gives the terms behind a score, strongest first.
    ``judgements`` are the reader's judgements it was fitted on (index -> starred):
    the model's training examples, whose score says what it was taught, not what it
    predicts. ``for_reader`` puts them after the papers still to judge.
    """

    scores: Sequence[float]
    method: str
    detail: str
    explain: Callable[[int, int], list[str]]
    judgements: Mapping[int, bool] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.scores)

    def score(self, index: int) -> float:
        return self.scores[index]

    def order(self, indices: Iterable[int] | None = None) -> list[int]:
        """``indices`` (default: every paper) best first; equal scores keep digest order."""
        scores = self.scores
        chosen = range(len(scores)) if indices is None else indices
        return sorted(chosen, key=lambda i: (-scores[i], i))

    def for_reader(self, indices: Iterable[int] | None = None) -> list[int]:
        """``indices`` as "for you" shows them: the papers not yet judged best first,
        then the judged ones (starred, read), best first too."""
        scores, judged = self.scores, self.judgements
        chosen = range(len(scores)) if indices is None else indices
        return sorted(chosen, key=lambda i: (i in judged, -scores[i], i))

    def judged(self, index: int) -> bool | None:
        """True: a starred example, False: read and not starred, None: not judged."""
        return self.judgements.get(index)

    def why(self, index: int, n: int = 3) -> list[str]:
        """Up to ``n`` terms that pushed this paper's score up most (may be empty)."""
        if not 0 <= index < len(self.scores):
            raise IndexError(f"no paper at index {index}")
        return self.explain(index, n)
