"""``CountedTerms``: the term counts of papers 0..n-1, grown in place as papers are counted.

    counted = CountedTerms(HASH_SPACE)        # one column per hashed term
    counted.append(term_counts(batch), expected_rows=len(all_papers))
    counted.replace({index: term_counts([newer_paper]), ...})   # a paper's newer record
    counted.matrix()        # scipy CSR of every row so far: uint16 counts, no copy
    len(counted)            # rows (papers) counted

Why not a list of ``term_counts`` batches stacked with ``scipy.sparse.vstack``: at
100,000 papers the counts hold about 18 million entries, and stacking them copied them
all (the batches, the stacked matrix, its slice and the copies ``TfidfTransformer``
made were alive at once: over 500 MB). Here every batch is copied once into three
arrays (CSR: row starts, hashed columns, counts) with room to grow, so the counts
exist once; ``matrix()`` is a view of them, and ``TextFeatures.from_counts`` shares
its columns and row starts. Counts are kept as uint16 (a term seen more than 65,535
times in one paper counts 65,535), columns as int32: 6 bytes an entry, where the
float32 counts and their stacked copy took 16.

Rules: the arrays are only ever appended to past what a ``matrix()`` already handed
out covers, or replaced by new arrays (``replace``, growing), never rewritten in place,
so a matrix handed out earlier (features, a ranking's ``why``) stays valid. Capacity
is reserved from ``expected_rows`` and the entries per paper so far (memory not yet
written to is address space, not resident memory), and grown in place (realloc) when
no matrix views the arrays. numpy and scipy are imported inside the methods; one
worker thread uses an instance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_COUNT = 2**16 - 1
# Room for entries beyond the estimate of those to come (from ``expected_rows`` and the
# entries per paper so far): generous at first (address space only), tight when
# growing (realloc writes zeros into what it adds, so that memory becomes resident).
FIRST_HEADROOM = 1.5
HEADROOM = 1.1


class CountedTerms:
    """Rows of term counts (one per paper, hashed columns) in growable CSR arrays."""

    def __init__(self, columns: int) -> None:
        import numpy as np

        self.columns = columns
        self._rows = 0
        self._entries = 0
        self._starts = np.zeros(1, dtype=np.int64)  # row starts, _rows + 1 used
        self._indices = np.empty(0, dtype=np.int32)
        self._counts = np.empty(0, dtype=np.uint16)

    def __len__(self) -> int:
        return self._rows

    def append(self, counts: Any, expected_rows: int = 0) -> None:
        """Add the rows of ``counts`` (a CSR matrix from ``term_counts``) at the end."""
        rows, entries = counts.shape[0], counts.nnz
        self._reserve(rows, entries, expected_rows)
        end = self._entries + entries
        self._indices[self._entries : end] = counts.indices
        self._store_counts(self._counts[self._entries : end], counts.data)
        self._starts[self._rows + 1 : self._rows + rows + 1] = counts.indptr[1:] + self._entries
        self._rows += rows
        self._entries = end

    def replace(self, rows: Mapping[int, Any]) -> None:
        """Replace the given rows (index -> one-row CSR counts) by copying into new arrays."""
        import numpy as np

        lengths = np.diff(self._starts[: self._rows + 1])
        for index, counts in rows.items():
            if not 0 <= index < self._rows:
                raise IndexError(f"no counted paper at index {index}")
            lengths[index] = counts.nnz
        starts = np.zeros_like(self._starts)
        np.cumsum(lengths, out=starts[1 : self._rows + 1])
        entries = int(starts[self._rows])
        indices = np.empty(max(entries, len(self._indices)), dtype=np.int32)
        counts_ = np.empty(len(indices), dtype=np.uint16)
        done = 0  # copy unchanged runs of rows in one go
        for index in sorted(rows):
            source, target = self._starts[done], starts[done]
            length = self._starts[index] - source
            indices[target : target + length] = self._indices[source : source + length]
            counts_[target : target + length] = self._counts[source : source + length]
            new = rows[index]
            at = starts[index]
            indices[at : at + new.nnz] = new.indices
            self._store_counts(counts_[at : at + new.nnz], new.data)
            done = index + 1
        source, target = self._starts[done], starts[done]
        length = self._entries - source
        indices[target : target + length] = self._indices[source : source + length]
        counts_[target : target + length] = self._counts[source : source + length]
        self._starts, self._indices, self._counts = starts, indices, counts_
        self._entries = entries

    def matrix(self) -> Any:
        """Every row counted so far as a CSR matrix of views (no copy; do not modify)."""
        import scipy.sparse

        rows, entries = self._rows, self._entries
        return scipy.sparse.csr_matrix(
            (self._counts[:entries], self._indices[:entries], self._starts[: rows + 1]),
            shape=(rows, self.columns),
            copy=False,
        )

    def _reserve(self, rows: int, entries: int, expected_rows: int) -> None:
        import numpy as np

        if self._rows + rows + 1 > len(self._starts):
            size = max(self._rows + rows, expected_rows, 2 * self._rows) + 1
            starts = np.zeros(size, dtype=np.int64)
            starts[: self._rows + 1] = self._starts[: self._rows + 1]
            self._starts = starts
        needed = self._entries + entries
        if needed > len(self._indices):
            per_row = needed / (self._rows + rows)
            coming = per_row * max(0, expected_rows - self._rows - rows)
            if self._entries == 0:  # address space: pages are resident once written
                size = max(needed, int((needed + coming) * FIRST_HEADROOM))
                self._indices = np.empty(size, dtype=np.int32)
                self._counts = np.empty(size, dtype=np.uint16)
                return
            # realloc zero-fills (makes resident) what it adds: add what is coming
            size = max(int(needed + coming * HEADROOM), needed + len(self._indices) // 4)
            self._indices = self._grown("_indices", size)
            self._counts = self._grown("_counts", size)

    def _grown(self, name: str, size: int) -> Any:
        """The array ``name`` with room for ``size`` entries, the counted ones kept.

        In place when nothing else refers to it (``realloc``: never two copies of the
        counts in memory at once); a new array, the old one left as it was, when a
        matrix handed out still views it.
        """
        import numpy as np

        array = getattr(self, name)
        setattr(self, name, None)  # the one reference left is ``array``: resizable
        try:
            array.resize(size, refcheck=True)
            return array
        except ValueError:  # a matrix handed out views it: it must stay valid
            grown = np.empty(size, dtype=array.dtype)
            grown[: self._entries] = array[: self._entries]
            return grown

    @staticmethod
    def _store_counts(target: Any, counts: Any) -> None:
        import numpy as np

        np.minimum(counts, MAX_COUNT, out=target, casting="unsafe")
