"""Benchmark the BibTeX export: 10,000 starred papers, keys assigned, text written.

Run from the repository root:  python bench/bench_bibtex.py

Times, for 10,000 synthetic papers (acronyms, math, LaTeX specials, non-ASCII names):
key assignment against an empty store, against a store already holding 10,000 keys,
and formatting the whole bibliography (ASCII, then utf8=True). The first round runs
with cold caches; the best of the following rounds is printed too. Target: <= 1 s.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_reader.bibtex import assign_citation_keys, format_bibliography
from tui_reader.model import DigestRef, Paper

N = 10_000
ROUNDS = 5

GIVEN = ["Rainer", "Łukasz", "Jürgen", "Søren", "Zoë", "Keng-Wei", "Yi-Pei", "François", "Ana"]
FAMILY = [
    "Engelken",
    "Müller",
    "Kaiser",
    "Kierkegaard",
    "Nguyễn",
    "Chang",
    "de La Fontaine",
    "van der Waals",
    "Groß",
    "Ødegård",
    "Zhao",
    "O'Brien",
    "Smith Jr.",
]
WORDS = [
    "sparse",
    "chaos",
    "attention",
    "Gaussian",
    "splatting",
    "diffusion",
    "models",
    "for",
    "the",
    "of",
    "with",
    "LLM",
    "KeyGS",
    "MHA",
    "GQA",
    "ReTaKe",
    "LLaMA2-7B",
    "3D",
    "non-Hermitian",
    "$O(n^2)$",
    "ST$^3$",
    "$\\mathcal{L}_{\\infty}$",
    "100%",
    "R&D",
    "a_b",
    "#1",
    "{braces}",
    "~tilde",
    "Schrödinger",
    "naïve",
    "—",
    "“quoted”",
    "$5",
    "emoji😀",
]
NOTES = ["", "", "Read again.", "Line one\nline two & 50% of {it}", "@see §3, $x$ ~ y"]


SYLLABLES = ["ka", "lo", "mi", "ter", "ri", "son", "ül", "ø", "ła", "ße", "ni", "za", "é", "qu"]


def _vocabulary(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct made-up words in the case patterns titles use."""
    words: set[str] = set()
    while len(words) < n:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
        style = rng.random()
        if style < 0.08:
            word = word.upper()  # acronym
        elif style < 0.12:
            word = word[:2].capitalize() + word[2:].capitalize()  # KeyGS-like
        elif style < 0.5:
            word = word.capitalize()
        words.add(word)
    return sorted(words)


def synthetic_papers(n: int, seed: int) -> list[Paper]:
    """``n`` papers over a large vocabulary, so per-word caches see realistic reuse."""
    rng = random.Random(seed)
    ref = DigestRef(dt.date(2025, 1, 3), Path("bench.md"))
    vocabulary = _vocabulary(rng, 20_000)
    families = [*FAMILY, *(w.capitalize() for w in _vocabulary(rng, 5_000))]
    papers = []
    for i in range(n):
        year = rng.randint(2015, 2025)
        arxiv_id = f"{year % 100:02d}{rng.randint(1, 12):02d}.{seed:01d}{i:04d}"
        authors = tuple(
            f"{rng.choice(GIVEN)} {rng.choice(families)}" for _ in range(rng.randint(1, 8))
        )
        words = [
            rng.choice(WORDS) if rng.random() < 0.3 else rng.choice(vocabulary)
            for _ in range(rng.randint(4, 14))
        ]
        title = " ".join(words)
        papers.append(
            Paper(
                arxiv_id=arxiv_id,
                version=1,
                title=title[0].upper() + title[1:],
                authors=authors,
                date=dt.date(year, 1, 1),
                url=f"http://arxiv.org/abs/{arxiv_id}v1",
                abstract="",
                bold_spans=(),
                keywords=(),
                source=ref,
                digests=(ref,),
            )
        )
    return papers


def one_round(papers: list[Paper], store: dict[str, str], notes: dict[str, str]) -> dict:
    times = {}
    start = time.perf_counter()
    keys = assign_citation_keys(papers, {})
    times["keys, empty store"] = time.perf_counter() - start

    start = time.perf_counter()
    keys_in_store = assign_citation_keys(papers, store)
    times["keys, 10,000-key store"] = time.perf_counter() - start

    start = time.perf_counter()
    text = format_bibliography(papers, keys_in_store, notes)
    times["format (ASCII)"] = time.perf_counter() - start

    start = time.perf_counter()
    text_utf8 = format_bibliography(papers, keys, notes, utf8=True)
    times["format (utf8=True)"] = time.perf_counter() - start

    assert len(set(keys.values())) == len(set(keys_in_store.values())) == len(papers)
    assert text.count("@misc{") == text_utf8.count("@misc{") == len(papers)
    return times


def main() -> None:
    papers = synthetic_papers(N, seed=1)
    others = synthetic_papers(N, seed=2)  # already in the store, with keys
    store = assign_citation_keys(others, {})
    rng = random.Random(3)
    notes = {p.arxiv_id: rng.choice(NOTES) for p in papers}

    rounds = [one_round(papers, store, notes) for _ in range(ROUNDS)]
    cold, best = rounds[0], {k: min(r[k] for r in rounds) for k in rounds[0]}
    print(f"BibTeX export of {N:,} starred papers (Python {sys.version.split()[0]})")
    print(f"{'step':<26}{'cold':>10}{'best of ' + str(ROUNDS):>12}")
    for step in cold:
        print(f"{step:<26}{cold[step] * 1000:>8.0f}ms{best[step] * 1000:>10.0f}ms")
    steps = ["keys, empty store", "keys, 10,000-key store", "format (ASCII)"]
    total_cold = sum(cold[s] for s in steps)
    total_best = sum(best[s] for s in steps)
    print(f"{'total (keys x2 + ASCII)':<26}{total_cold * 1000:>8.0f}ms{total_best * 1000:>10.0f}ms")
    print("target <= 1000 ms:", "met" if total_cold <= 1.0 else "NOT met")


if __name__ == "__main__":
    main()
