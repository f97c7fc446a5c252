"""Which papers to export and with which keys: the export the CLI and app share.

``exporters`` turn papers into text (BibTeX, RIS, CSL-JSON, CSV, Markdown); this
module picks the papers (starred, noted or all, then a query, then a sort), takes their
metadata from the loaded digests or, when a digest is gone, from the store's snapshot,
adds the reader's notes and tags, and assigns citation keys once, for good, in the
store. Every entry goes to the exporters through ``exporters.safe_entry`` and the whole
text through ``safe_export_text`` (CSV: each cell through ``spreadsheet_cell``): no
control character or bidirectional override from a digest or the state reaches a file,
nor the clipboard (``bibtex_entry``).

``export_papers(store, loaded, selection, *, fmt, query, sort, utf8, metadata) -> Export``;
``export_bibtex`` is the BibTeX case. ``filter_papers(papers, store, query, sort)``
is the query + sort step ``list --query`` uses too; it raises ``QueryError``.
``metadata`` (arXiv id -> ``online.records.Metadata``, fetched by ``tui_reader.online``)
gives each exported paper arXiv's exact title and authors and its published venue
(``online.view``); citation keys come from the digest's paper, so they never change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .bibtex import assign_citation_keys, format_entries, format_entry
from .exporters import FORMATS, Entry, render
from .exporters.safe_entry import safe_entry, safe_export_text
from .model import Paper

if TYPE_CHECKING:
    from .online.records import Metadata
    from .store import StateStore

Selection = Literal["starred", "noted", "all"]


@dataclass(frozen=True, slots=True)
class Export:
    text: str
    papers: tuple[Paper, ...]
    missing: tuple[str, ...]  # ids selected in the store but with no metadata anywhere
    warnings: tuple[str, ...] = ()  # e.g. a junk author dropped, each naming its entry


def select_papers(
    store: StateStore,
    loaded: Sequence[Paper] | None,
    selection: Selection,
) -> tuple[list[Paper], list[str]]:
    """The papers to export, oldest first, and ids that have no metadata to export.

    With ``loaded`` papers (digests were given), the selection is taken among them;
    without, starred or noted papers come from the store alone.
    """
    if selection == "all":
        if loaded is None:
            raise ValueError("exporting all papers needs digests")
        return list(loaded), []
    flag = {"starred": {"starred": True}, "noted": {"noted": True}}[selection]
    wanted = store.ids(**flag)
    if loaded is not None:
        chosen = set(wanted)
        return [paper for paper in loaded if paper.arxiv_id in chosen], []
    papers: list[Paper] = []
    missing: list[str] = []
    for arxiv_id in wanted:
        snapshot = store.snapshot(arxiv_id)
        if snapshot is None:
            missing.append(arxiv_id)
        else:
            papers.append(snapshot)
    papers.sort(key=lambda paper: (paper.date or dt.date.max, paper.arxiv_id))
    return papers, missing


def citation_keys_for(store: StateStore, papers: Sequence[Paper]) -> dict[str, str]:
    """Keys for ``papers``: the stored ones, and new ones stored now, never to change.

    A read-only store (the CLI's ``export``) holds new keys in memory until the caller
    calls ``store.keep_in_journal()``."""
    existing = store.citation_keys()
    keys = assign_citation_keys(papers, existing)
    new = {arxiv_id: key for arxiv_id, key in keys.items() if arxiv_id not in existing}
    if new:
        store.set_citation_keys(new)
    return keys


def filter_papers(
    papers: Sequence[Paper], store: StateStore | None, query: str = "", sort: str = "digest"
) -> list[Paper]:
    """``papers`` matching ``query`` (the query language), in ``sort`` order.

    Raises QueryError for a malformed query, ValueError for an unknown sort.
    """
    from .query import QueryIndex, sort_indices

    indices: Sequence[int] = range(len(papers))
    if query.strip():
        indices = QueryIndex(papers).search(query, store)
    return [papers[i] for i in sort_indices(papers, indices, sort)]


def entries_for(
    store: StateStore, papers: Sequence[Paper], metadata: Mapping[str, Metadata] | None = None
) -> list[Entry]:
    """Each paper with its citation key (assigned now if new), note and tags, and what
    ``metadata`` knows of it (arXiv's title and authors, the published version); its
    text fit for a file (``safe_entry``)."""
    from .query.evaluate import tags_of

    keys = citation_keys_for(store, papers)
    entries = []
    for paper in papers:
        state = store.state(paper.arxiv_id)
        entries.append(
            safe_entry(_entry(paper, keys[paper.arxiv_id], state.note, tags_of(state), metadata))
        )
    return entries


def _entry(paper: Paper, key: str, note: str, tags: tuple[str, ...],
           metadata: Mapping[str, Metadata] | None) -> Entry:  # fmt: skip
    meta = metadata.get(paper.arxiv_id) if metadata else None
    if meta is None:
        return Entry(paper, key, note, tags)
    from .online.view import for_export, publication

    return Entry(for_export(paper, meta), key, note, tags, publication(meta))


def export_papers(
    store: StateStore,
    loaded: Sequence[Paper] | None,
    selection: Selection = "starred",
    *,
    fmt: str = "bibtex",
    query: str = "",
    sort: str = "digest",
    utf8: bool = False,
    metadata: Mapping[str, Metadata] | None = None,
) -> Export:
    """The selected papers, filtered by ``query`` and sorted, as text in format ``fmt``.

    Raises QueryError for a malformed query and ValueError for an unknown format or
    sort, before anything is written to the store.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    papers, missing = select_papers(store, loaded, selection)
    papers = filter_papers(papers, store, query, sort)
    entries = entries_for(store, papers, metadata)
    warnings: list[str] = []
    if fmt == "bibtex":
        text = format_entries(entries, utf8=utf8, warnings=warnings)
    else:
        text = render(fmt, entries)
    if fmt != "csv":  # CSV: every cell is spreadsheet_cell's; its lines end in CR LF
        text = safe_export_text(text)
    return Export(text, tuple(papers), tuple(missing), tuple(warnings))


def export_bibtex(
    store: StateStore,
    loaded: Sequence[Paper] | None,
    selection: Selection = "starred",
    *,
    utf8: bool = False,
) -> Export:
    return export_papers(store, loaded, selection, utf8=utf8)


def bibtex_entry(
    store: StateStore,
    paper: Paper,
    *,
    utf8: bool = False,
    metadata: Mapping[str, Metadata] | None = None,
) -> tuple[str, str]:
    """One paper's entry (for the clipboard) and its key."""
    [entry] = entries_for(store, [paper], metadata)
    text = format_entry(entry.paper, entry.key, entry.note, utf8=utf8, tags=entry.tags,
                        published=entry.published)  # fmt: skip
    return safe_export_text(text), entry.key
