"""The app with online metadata: fetched in the background against the services played
back on 127.0.0.1, shown in the detail pane, matched by search, listed under W, used by
``c``; keys stay free while a request is pending, and no state changes."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from tests.app_helpers import detail_text, loaded, row_text, summary
from tests.conftest import SEED_DIGEST
from tests.online_helpers import FakeServices, sample_papers
from tui_reader.online.cache import MetadataCache
from tui_reader.online.enrich import Endpoints
from tui_reader.store import StateStore
from tui_reader.ui.app import make_app
from tui_reader.ui.paper_list import PaperList

DEADLINE = 30.0


async def until(pilot, condition, what: str) -> None:
    """Wait (generously) for ``condition()``; never a fixed sleep then an assertion."""
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.05)


@pytest.fixture
def services():
    papers = sample_papers()
    # A title arXiv has in other words than the digest, for search.
    papers["2412.21188"].title = "Sparse chaos in cortical circuits: a zebrafish story"
    del papers["2412.19423"]  # a paper arXiv does not know
    with FakeServices(papers) as fake:
        yield fake


def online_app(tmp_path, services, *, online=True):
    store = StateStore.open(tmp_path / "state.json", background=False)
    cache = MetadataCache(tmp_path / "state.json.metadata.jsonl", writable=online)
    where = Endpoints(services.arxiv_url, services.venue_url)
    app = make_app([SEED_DIGEST], store, read_after=60.0, auto_read=False,
                   online={"cache": cache, "online": online, "where": where,
                           "clock": services.clock, "sleep": services.clock.sleep})  # fmt: skip
    return app, store


def move_to(app, arxiv_id: str) -> None:
    screen = app.screen
    screen.query_one(PaperList).move_to(screen.triage.position_of(arxiv_id))


async def test_the_detail_pane_shows_arxivs_title_and_says_so(tmp_path, services):
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: len(screen.enrichment.metadata) == 29, "29 papers enriched")
        move_to(app, "2412.20930")
        await until(pilot, lambda: "QAHAN: A Quantum" in detail_text(app), "arXiv's title")
        text = detail_text(app)
        assert text.startswith("QAHAN: A Quantum Annealing Hard Attention Network\n")
        assert ("Title     as on arXiv; the digest has “QAHAN A Quantum Annealing Hard "
                "Attention Network”") in text  # fmt: skip
        assert ("Published AAAI Conference on Artificial Intelligence 2025 · pp. 18433-18441 · "
                "doi:10.1609/aaai.v39i17.99999") in text  # fmt: skip
        # The list keeps the digest's title: the digest is what you saw.
        row = row_text(app, screen.triage.row_of(screen.triage.position_of("2412.20930")))
        assert "QAHAN A Quantum" in row and "QAHAN:" not in row
        move_to(app, "2412.19963")  # the same title on arXiv: nothing said
        await pilot.pause()
        assert "as on arXiv" not in detail_text(app)
        assert summary(app).count("arXiv") == 0  # the progress line is gone once done
    store.close()


async def test_search_matches_both_titles_and_keywords_keep_highlighting(tmp_path, services):
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: "2412.21188" in screen.enrichment.other_titles, "titles")
        await pilot.press("slash", *"zebrafish")
        await until(pilot, lambda: screen.triage.search_hits == {0}, "arXiv's title found")
        await pilot.press("escape")
        await pilot.press("slash", *"title:zebrafish")
        await until(pilot, lambda: screen.triage.search_hits == {0}, "title: field found")
        await pilot.press("escape")
        await pilot.press("slash", *"cortical circuits")
        await until(pilot, lambda: screen.triage.search_hits == {0}, "the digest's title")
        model = screen.detail.model
        assert model.paper.keywords  # the digest's keywords, highlighted as before
    store.close()


async def test_network_never_changes_the_reader_state(tmp_path, services):
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        before = {p.arxiv_id: store.state(p.arxiv_id) for p in screen.triage.papers}
        await until(pilot, lambda: screen.enrichment.progress == "" and
                    len(screen.enrichment.metadata) == 29, "enriched")  # fmt: skip
        after = {p.arxiv_id: store.state(p.arxiv_id) for p in screen.triage.papers}
        assert before == after
    store.close()


async def test_warnings_screen_lists_what_the_services_said(tmp_path, services):
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: screen.enrichment.warnings, "a warning")
        await pilot.press("W")
        await pilot.pause()
        rows = app.screen.query_one("#warning-list").rows
        texts = [f"{row.where} {row.message}" for row in rows]
        assert "Online metadata (2) " in texts
        assert "arXiv:2412.19423 arXiv does not know this id; the digest's data are kept" in texts
        assert any(t.startswith("arXiv:2412.19413 the venue service does not know") for t in texts)
    store.close()


async def test_keys_stay_free_while_a_request_is_pending(tmp_path, services):
    answer = threading.Event()
    services.script("arxiv", 200, "", hold=answer)  # arXiv answers (junk) when we say so
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: "arXiv 0/30" in summary(app), "the progress line")
        start = screen.query_one(PaperList).cursor
        for _ in range(5):
            await pilot.press("j")
        assert screen.query_one(PaperList).cursor == start + 5
        assert not answer.is_set() and "arXiv 0/30" in summary(app)  # still pending
        answer.set()
        await until(pilot, lambda: screen.enrichment.warnings, "the junk answer reported")
        assert "not XML" in str(screen.enrichment.warnings[0])
    store.close()


async def test_copy_uses_the_metadata_and_offline_reads_only_the_cache(tmp_path, services):
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: len(screen.enrichment.metadata) == 29, "enriched")
        move_to(app, "2412.20930")
        await pilot.press("c")
        await until(pilot, lambda: app.clipboard.startswith("@inproceedings{"), "copied")
        assert "{QAHAN}: A Quantum" in app.clipboard
    store.close()
    asked = len(services.requests)
    app, store = online_app(tmp_path, services, online=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: len(screen.enrichment.metadata) == 29, "read from the cache")
        await asyncio.sleep(0)
        assert len(services.requests) == asked
        # What arXiv did not know is remembered, and still said under W.
        assert [str(w) for w in screen.enrichment.warnings] == [
            "arXiv:2412.19423: arXiv does not know this id; the digest's data are kept"
        ]
    store.close()


async def test_at_80x24_the_lines_go_on_the_compact_third_line(tmp_path, services):
    app, store = online_app(tmp_path, services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await until(pilot, lambda: len(screen.enrichment.metadata) == 29, "enriched")
        move_to(app, "2412.20930")
        await until(pilot, lambda: "QAHAN: A Quantum" in detail_text(app), "arXiv's title")
        compact = detail_text(app).splitlines()[3]  # title, authors, ids, then this
        assert compact.startswith("Title as on arXiv; the digest has “QAHAN A Quantum")
        assert " · Published AAAI Conference on Artificial Intelligence 2025" in compact
    store.close()
