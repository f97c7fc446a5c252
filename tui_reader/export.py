"""Which papers to export and with which keys: the BibTeX export the CLI and app share.

``bibtex`` turns papers into text; this module picks the papers (starred, noted or
all), takes their metadata from the loaded digests or, when a digest is gone, from the
store's snapshot, and assigns citation keys once, for good, in the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .bibtex import assign_citation_keys, format_bibliography, format_entry
from .model import Paper

if TYPE_CHECKING:
    from .store import StateStore

Selection = Literal["starred", "noted", "all"]


@dataclass(frozen=True, slots=True)
class Export:
    text: str
    papers: tuple[Paper, ...]
    missing: tuple[str, ...]  # ids selected in the store but with no metadata anywhere


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
    """Keys for ``papers``: the stored ones, and new ones stored now, never to change."""
    existing = store.citation_keys()
    keys = assign_citation_keys(papers, existing)
    new = {arxiv_id: key for arxiv_id, key in keys.items() if arxiv_id not in existing}
    if new:
        store.set_citation_keys(new)
    return keys


def export_bibtex(
    store: StateStore,
    loaded: Sequence[Paper] | None,
    selection: Selection = "starred",
    *,
    utf8: bool = False,
) -> Export:
    papers, missing = select_papers(store, loaded, selection)
    keys = citation_keys_for(store, papers)
    notes = {paper.arxiv_id: store.state(paper.arxiv_id).note for paper in papers}
    text = format_bibliography(papers, keys, notes, utf8=utf8)
    return Export(text=text, papers=tuple(papers), missing=tuple(missing))


def bibtex_entry(store: StateStore, paper: Paper, *, utf8: bool = False) -> tuple[str, str]:
    """One paper's entry (for the clipboard) and its key."""
    key = citation_keys_for(store, [paper])[paper.arxiv_id]
    return format_entry(paper, key, store.state(paper.arxiv_id).note, utf8=utf8), key


def write_export(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed over it).

    Raises FileExistsError when ``path`` exists and ``overwrite`` is false, and OSError
    when it cannot be written.
    """
    if path.exists() and not overwrite:
        raise FileExistsError(17, "File exists", str(path))
    with tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=".tmp",
        delete=False,
    ) as handle:
        temporary = handle.name
        try:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.close()
            os.unlink(temporary)
            raise
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
