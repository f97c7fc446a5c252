"""``/`` search: the papers whose id, title, authors or abstract hold every query term,
each where a word starts.

    >>> query_terms('KV "attention heads" müller')
    ['KV', 'attention heads', 'müller']

``SearchIndex(papers, other_titles=None)`` costs nothing; the index is built on the
first ``search`` (or by ``build()``, which a worker thread may call ahead of time).
``other_titles`` maps an arXiv id to a second title to match (arXiv's own, when it
says something else than the digest's: ``online.view.arxiv_title``). ``search(query)``
returns indices into ``papers``, in paper order; an empty query returns them all.

Matching: the query is split on whitespace, a ``"quoted phrase"`` stays one term (an
unclosed quote runs to the end, as while typing). A paper matches when every term
occurs, case-insensitively (``casefold``), in its searchable text -- ``arxiv_id`` with
its version (``2412.20767v1``), title, authors and abstract as written in the digest
(LaTeX source, ``**`` removed) -- starting where a word starts: ``song han`` finds
"Song Han" but not "Qingsong" or "enhance", ``quantiz`` finds "quantized", and a
phrase's words follow each other. Punctuation counts as a space on both sides
(``normalized``): ``hep-th`` finds "hep-th" and "hep th", ``00042`` finds
``2501.00042``. A word is a run of ASCII letters, digits, ``_`` and non-ASCII
characters other than the common punctuation in ``_UNICODE_PUNCTUATION``. Different
terms may match different fields; a term never matches across two fields.

How it stays fast at 100,000 papers (figures in ``docs/search.md``):

* The index is one ``bytearray`` of every paper's case-folded text, UTF-8 encoded,
  punctuation made spaces by ``bytes.translate``, each field opening with a space,
  papers separated by NUL, with each paper's start and end offsets. A term is looked
  for with a space in front (``b" song han"``), so a plain ``find`` only ever matches
  where a word starts. Searching is
  ``find`` in C over that buffer; no per-word structures are built, so the build takes
  well under a second.
* Terms are checked in the order of how few papers a small sample says hold them, and
  each term picks the cheapest of three scans, from that sample and from byte
  frequencies: a per-paper ``find`` mapped in C (for terms most papers hold), a
  ``find`` that jumps to the next paper after each hit (for rare terms), or a
  ``memchr`` walk over the term's rarest byte (``q``, ``z``, digits, non-ASCII) that
  checks the term only where that byte occurs.
* Narrowing: the last few queries' results are kept (a bounded history), with where
  each term first occurs in each paper. A query whose every earlier term is contained
  in one of its own terms -- a term added, a term lengthened -- only checks the
  earlier results, and a lengthened term is looked for from where the shorter one
  first occurred, not from the start of the paper. Going back (backspace) is a lookup.

Nothing here imports Textual.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import sub

from .model import Paper

__all__ = ["SearchIndex", "query_terms"]

_TERM_RE = re.compile(r'"([^"]*)"?|([^\s"]\S*)')
_PAPER_END = b"\x00"
_FIELD = b"\x1f "  # a field opens with a space, like every word start
# Every ASCII byte that is not a word character (letter, digit, _) becomes a space.
_SPACES = bytes(
    value if value >= 0x80 or chr(value).isalnum() or value == ord("_") else 0x20
    for value in range(256)
)
_UNICODE_PUNCTUATION = tuple(
    char.encode()
    for char in "\u00a0\u2010\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00ab\u00bb\u00b7"
)
_FOUND = (-1).__lt__  # a find() result -> "found"

# Cost model in nanoseconds, measured on a 2-core EPYC with CPython 3.11; only the
# ratios matter. A ``find`` that misses advances about len(term) + 1 bytes a step.
_NS_PER_SCAN_STEP = 2.5
_NS_PER_PAPER = 350.0
_NS_PER_RARE_BYTE = 250.0
_NS_PER_HIT = 500.0
_NS_PER_MERGE = 100.0
_SAMPLE_PAPERS = 400
_SAMPLE_SLICES = 16
_SAMPLE_SLICE_BYTES = 64 * 1024
_HISTORY = 12


def query_terms(query: str) -> list[str]:
    """The terms of a search query, as typed: words, and ``"phrases"`` as one term."""
    terms = []
    for match in _TERM_RE.finditer(query):
        phrase, word = match.groups()
        term = " ".join(phrase.split()) if phrase is not None else word
        if term:
            terms.append(term)
    return terms


def _prepared(terms: Sequence[str]) -> list[bytes]:
    """Case-folded, encoded terms, longest first; terms inside longer ones dropped."""
    folded = set()
    for term in terms:
        text = b" ".join(normalized(term).split())
        if text:
            folded.add(b" " + text)
    kept: list[bytes] = []
    for term in sorted(folded, key=lambda item: (-len(item), item)):
        if not any(term in longer for longer in kept):
            kept.append(term)
    return kept


def normalized(text: str) -> bytes:
    """``text`` as the index holds it: case-folded UTF-8, punctuation made spaces."""
    data = text.casefold().encode("utf-8", "surrogateescape")
    if not data.isascii():
        for mark in _UNICODE_PUNCTUATION:
            data = data.replace(mark, b" ")
    return data.translate(_SPACES)


@dataclass(slots=True)
class _Found:
    """Papers (indices, in order) and, per term, where it first occurs in each of them."""

    papers: list[int]
    firsts: dict[bytes, list[int]]


class SearchIndex:
    """Substring search over papers; cheap to create, built on first use.

    ``papers`` must not change while the index is in use; make a new index instead.
    """

    def __init__(
        self, papers: Sequence[Paper], other_titles: Mapping[str, str] | None = None
    ) -> None:
        self._papers = papers
        self._other_titles = other_titles or {}
        self._lock = threading.RLock()
        self._blob = bytearray()
        self._built = False
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._everyone: list[int] = []
        self._byte_counts: dict[int, int] = {}
        self._sample: list[bytes] = []
        self._history: OrderedDict[frozenset[bytes], _Found] = OrderedDict()

    def __len__(self) -> int:
        return len(self._papers)

    @property
    def built(self) -> bool:
        return self._built

    def build(self) -> None:
        """Build the index now (idempotent, thread-safe); ``search`` does it on first use."""
        with self._lock:
            if self._built:
                return
            blob = bytearray()
            ends = []
            other_titles = self._other_titles
            for paper in self._papers:
                # Each field apart: an all-ASCII abstract stays on the fast paths even
                # when an author's name is not ASCII. NUL and 0x1f become spaces.
                blob += b" "
                blob += normalized(paper.versioned_id)
                blob += _FIELD
                blob += normalized(paper.title)
                if other_titles and (other := other_titles.get(paper.arxiv_id)):
                    blob += _FIELD
                    blob += normalized(other)
                blob += _FIELD
                blob += normalized(", ".join(paper.authors))
                blob += _FIELD
                blob += normalized(paper.abstract)
                ends.append(len(blob))
                blob += _PAPER_END
            self._blob = blob
            self._ends = ends
            self._starts = [0, *(end + 1 for end in ends[:-1])] if ends else []
            self._everyone = list(range(len(ends)))
            step = len(blob) // _SAMPLE_SLICES
            if step <= _SAMPLE_SLICE_BYTES:
                self._sample = [bytes(blob)]
            else:
                self._sample = [
                    bytes(blob[k * step : k * step + _SAMPLE_SLICE_BYTES])
                    for k in range(_SAMPLE_SLICES)
                ]
            self._built = True

    def search(self, query: str) -> list[int]:
        """Indices of the papers matching every term of ``query``, in paper order."""
        return self.search_terms(query_terms(query))

    def search_terms(self, terms: Sequence[str]) -> list[int]:
        """Like ``search``, for terms already split (``query_terms``)."""
        wanted = _prepared(terms)
        if not wanted:
            return list(range(len(self._papers)))
        with self._lock:
            self.build()
            key = frozenset(wanted)
            known = self._history.get(key)
            if known is not None:
                self._history.move_to_end(key)
                return list(known.papers)
            found = self._narrowest_known(wanted)
            if not found.papers:
                return []
            plans = {term: self._plan(term) for term in wanted if term not in found.firsts}
            # The term fewest papers hold goes first: the others then check fewer papers.
            for term in sorted(plans, key=lambda term: plans[term][2]):
                if not found.papers:
                    break
                found = self._narrow(found, term, plans[term])
            firsts = {term: found.firsts[term] for term in wanted if term in found.firsts}
            self._history[key] = _Found(found.papers, firsts)
            if len(self._history) > _HISTORY:
                self._history.popitem(last=False)
            return list(found.papers)

    def _narrowest_known(self, wanted: list[bytes]) -> _Found:
        """The smallest earlier result that must hold this query's (else every paper).

        An earlier query's result holds this one's when each of its terms is part of
        one of this query's terms.
        """
        best = _Found(self._everyone, {})
        for terms, found in self._history.items():
            if len(found.papers) < len(best.papers) and all(
                any(old in new for new in wanted) for old in terms
            ):
                best = found
        return best

    # -- one term ------------------------------------------------------------------

    def _narrow(self, found: _Found, term: bytes, planned: tuple[str, float, float]) -> _Found:
        """The papers of ``found`` whose text holds ``term``; ``planned`` is ``_plan(term)``."""
        papers = found.papers
        whole = len(papers) == len(self._everyone)
        plan, whole_cost, hits = planned
        # Per paper, look from the first occurrence of a known part of ``term`` when
        # there is one (``quant`` is never before the first ``quan``), else from its
        # start. The bytes left to scan are estimated, not summed: it costs too much.
        part = max((known for known in found.firsts if known in term), key=len, default=b"")
        average = len(self._blob) / max(len(self._everyone), 1)
        scanned = len(papers) * average * (0.5 if part else 1.0)
        miss_rate = max(0.0, 1.0 - hits / len(papers))
        each_cost = (
            len(papers) * _NS_PER_PAPER + miss_rate * scanned / (len(term) + 1) * _NS_PER_SCAN_STEP
        )
        if not whole:
            whole_cost += len(papers) * _NS_PER_MERGE
        if plan == "each" or each_cost <= whole_cost:
            ends = self._ends if whole else map(self._ends.__getitem__, papers)
            if part:
                starts = self._shifted(found.firsts[part], term.find(part))
            else:
                starts = self._starts if whole else map(self._starts.__getitem__, papers)
            positions = list(map(self._blob.find, repeat(term), starts, ends))
            mask = list(map(_FOUND, positions))
        else:
            hit_papers, hit_positions = self._scan_whole(term, plan)
            if whole and not found.firsts:
                return _Found(hit_papers, {term: hit_positions})
            where = dict(zip(hit_papers, hit_positions, strict=True))
            mask = list(map(where.__contains__, papers))
            positions = list(map(where.get, papers, repeat(-1)))
        firsts = {known: list(compress(offsets, mask)) for known, offsets in found.firsts.items()}
        firsts[term] = list(compress(positions, mask))
        return _Found(list(compress(papers, mask)), firsts)

    @staticmethod
    def _shifted(firsts: list[int], shift: int) -> list[int]:
        """Where to look for a term that holds a known part ``shift`` bytes in.

        Starting before a paper's own start is harmless -- the few bytes of the
        previous paper in the window are too short to hold the term -- except at the
        very start of the buffer, where a negative offset would count from the end.
        """
        if not shift:
            return firsts
        starts = list(map(sub, firsts, repeat(shift)))
        if starts and starts[0] < 0:
            starts[0] = 0
        return starts

    def _plan(self, term: bytes) -> tuple[str, float, float]:
        """The cheapest scan of the whole buffer for ``term``, its cost and expected hits.

        The hit rate comes from a strided sample of papers, the rarity of the term's
        bytes from a sample of the buffer.
        """
        papers = len(self._everyone)
        stride = max(papers // _SAMPLE_PAPERS, 1)
        finds = map(self._blob.find, repeat(term), self._starts[::stride], self._ends[::stride])
        rate = sum(map(_FOUND, finds)) / len(range(0, papers, stride))
        hits = rate * papers
        misses = (1.0 - rate) * len(self._blob) / (len(term) + 1) * _NS_PER_SCAN_STEP
        _, occurrences = self._rarest_byte(term)
        costs = {
            "each": papers * _NS_PER_PAPER + misses,
            "jump": hits * _NS_PER_HIT + misses,
            "rare": occurrences * _NS_PER_RARE_BYTE + hits * _NS_PER_HIT,
        }
        plan = min(costs, key=costs.__getitem__)
        return plan, costs[plan], hits

    def _scan_whole(self, term: bytes, plan: str) -> tuple[list[int], list[int]]:
        """Every paper holding ``term`` and where it first occurs, by ``plan``."""
        if plan == "each":
            positions = list(map(self._blob.find, repeat(term), self._starts, self._ends))
            mask = list(map(_FOUND, positions))
            return list(compress(self._everyone, mask)), list(compress(positions, mask))
        if plan == "jump":
            return self._jump(term)
        return self._walk_rarest_byte(term)

    def _jump(self, term: bytes) -> tuple[list[int], list[int]]:
        """``find`` through the whole buffer, skipping to the next paper after a hit."""
        find, starts, everyone = self._blob.find, self._starts, self._everyone
        last = len(starts) - 1
        papers: list[int] = []
        positions: list[int] = []
        paper = 0
        position = find(term)
        while position >= 0:
            paper = bisect_right(starts, position, paper) - 1
            papers.append(everyone[paper])
            positions.append(position)
            if paper == last:
                break
            position = find(term, starts[paper + 1])
        return papers, positions

    def _walk_rarest_byte(self, term: bytes) -> tuple[list[int], list[int]]:
        """Visit each occurrence of the term's rarest byte (``memchr``) and check there."""
        offset, _ = self._rarest_byte(term)
        find, startswith = self._blob.find, self._blob.startswith
        starts, everyone = self._starts, self._everyone
        last = len(starts) - 1
        rare = term[offset : offset + 1]
        papers: list[int] = []
        positions: list[int] = []
        paper = 0
        position = find(rare, offset)
        while position >= 0:
            if startswith(term, position - offset):
                paper = bisect_right(starts, position, paper) - 1
                # The first occurrence in this paper: an earlier one would hold the
                # rare byte earlier too, and have been found first.
                papers.append(everyone[paper])
                positions.append(position - offset)
                if paper == last:
                    break
                position = find(rare, starts[paper + 1] + offset)
            else:
                position = find(rare, position + 1)
        return papers, positions

    def _rarest_byte(self, term: bytes) -> tuple[int, float]:
        """Offset in ``term`` of its rarest byte and that byte's estimated count."""
        best_offset, best_count = 0, float("inf")
        for offset, value in enumerate(term):
            count = self._byte_counts.get(value)
            if count is None:
                needle = bytes((value,))
                count = sum(piece.count(needle) for piece in self._sample)
                self._byte_counts[value] = count
            if count < best_count:
                best_offset, best_count = offset, count
        sampled = sum(map(len, self._sample)) or 1
        # A byte missing from the sample is rare, not absent.
        return best_offset, max(best_count, 0.5) * len(self._blob) / sampled
