"""Small digests written on the fly, for the tests of digests that change while open."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tui_reader.digest import DigestLoader, LibraryBuilder, parse_digest
from tui_reader.library_update import FileReading, OpenDigests, readings_by_file
from tui_reader.store import StateStore
from tui_reader.triage import Triage


def digest_text(date: str | None, papers: Sequence[str | tuple[str, int, str]]) -> str:
    """A digest in the main layout. A paper is an id (version 1, a title made from it)
    or ``(id, version, abstract)``."""
    lines = [f"# {date}", ""] if date else []
    for paper in papers:
        arxiv_id, version, abstract = (paper, 1, "") if isinstance(paper, str) else paper
        lines += [
            f"## Paper {arxiv_id}",
            "",
            f">Authors: Ada Lovelace, Paper {arxiv_id.replace('.', ' ')}",
            "",
            ">2025-01-01",
            "",
            f"> http://arxiv.org/abs/{arxiv_id}v{version}",
            "",
            abstract or f"The abstract of paper {arxiv_id}, which studies **attention**.",
            "",
        ]
    return "\n".join(lines)


def write_digest(folder: Path, name: str, date: str | None,
                 papers: Sequence[str | tuple[str, int, str]]) -> Path:  # fmt: skip
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(digest_text(date, papers), encoding="utf-8")
    return path


def read(path: Path) -> FileReading:
    return FileReading.parsed(parse_digest(path))


def opened(folder: Path, store: StateStore) -> tuple[Triage, OpenDigests]:
    """A triage over every digest below ``folder``, loaded as the app loads it, and the
    ``OpenDigests`` the app keeps beside it."""
    triage = Triage(store)
    batches = [paper for batch in DigestLoader([folder]).batches() for paper in batch]
    builder = LibraryBuilder()
    builder.add(batches)
    triage.add_papers(builder.papers)
    return triage, OpenDigests(readings_by_file(batches), triage.papers, triage.digests)


def ids(triage: Triage) -> list[str]:
    return [paper.arxiv_id for paper in triage.papers_in_view()]


def watched_app(tmp_path: Path, folder: Path, *, watch: bool = False):
    """The app on every digest below ``folder``, reading changes at once (no settling,
    no waiting for a file to be still): tests hand it the file events themselves."""
    from tui_reader.cli.open_cmd import app_paths
    from tui_reader.ui.app import make_app

    store = StateStore.open(tmp_path / "state.json", background=False)
    app = make_app(app_paths([folder]), store, read_after=60.0, roots=[folder], watch=watch)
    app.triage_screen.digest_watch.settle = 0
    app.triage_screen.digest_watch.quiet = 0
    return app


async def settled(pilot, timeout: float = 60.0) -> None:
    """Until the app has read and shown every file event it was given."""
    import time

    deadline = time.monotonic() + timeout
    watch = pilot.app.triage_screen.digest_watch
    while True:  # not workers.wait_for_complete(): a dialog's worker waits for the user
        await pilot.pause()
        if watch.idle and not pilot.app.triage_screen.reading_digests:
            return
        assert time.monotonic() < deadline, "the app never finished reading the changes"
        await pilot.pause(0.05)


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Digests"]
