"""The arXiv and venue clients against the services played back on 127.0.0.1.

Nothing here reaches the network: every request goes to ``FakeServices`` (a local
``http.server``), and the rate limiter runs on an injected clock, so no test waits
three seconds between requests.
"""

from __future__ import annotations

import itertools

import pytest

from tests.online_helpers import FakeClock, FakePaper, FakeServices, sample_papers
from tui_reader import __version__
from tui_reader.online.cache import ARXIV, VENUE, MetadataCache
from tui_reader.online.enrich import Endpoints, make_enricher
from tui_reader.online.view import arxiv_title, for_export, publication


@pytest.fixture
def services():
    with FakeServices(sample_papers()) as fake:
        yield fake


def enricher(services: FakeServices, tmp_path, *, venue: bool = True, **options):
    cache = MetadataCache(tmp_path / "state.json.metadata.jsonl")
    cache.load()
    where = Endpoints(services.arxiv_url, services.venue_url if venue else "")
    clock = services.clock
    return cache, make_enricher(cache, where, clock=clock, sleep=clock.sleep, **options)


def many_papers(count: int) -> dict[str, FakePaper]:
    return {
        f"2501.{n:05d}": FakePaper(f"2501.{n:05d}", 1, f"Paper {n}: a study", ("A. Author",), "x")
        for n in range(count)
    }


def test_the_sample_titles_come_back_with_their_colons(services, tmp_path):
    cache, run = enricher(services, tmp_path)
    report = run.run(list(services.papers))
    assert report.arxiv_fetched == 30 and report.offline == ""
    qahan = cache.metadata("2412.20930")
    assert qahan.arxiv.title == "QAHAN: A Quantum Annealing Hard Attention Network"
    assert cache.metadata("2412.20404").arxiv.title == (
        "Open-Sora: Democratizing Efficient Video Production for All"
    )
    assert cache.metadata("2412.20105").arxiv.title.startswith("ST$^3$: Accelerating")
    assert qahan.arxiv.comments == "Accepted at AAAI 2025"
    assert qahan.arxiv.categories == ("cs.LG", "cs.AI", "quant-ph")
    assert qahan.venue.kind == "conference" and qahan.venue.pages == "18433-18441"
    # Known to the venue service only as an arXiv preprint: no venue.
    assert cache.metadata("2412.20404").venue is None
    assert cache.answered("2412.20404", VENUE)


def test_requests_are_batched_spaced_and_name_the_program(tmp_path):
    clock = FakeClock()
    with FakeServices(many_papers(250), clock) as services:
        _, run = enricher(services, tmp_path)
        report = run.run(list(services.papers))
        arxiv = services.served("arxiv")
    assert [len(r.query["id_list"][0].split(",")) for r in arxiv] == [100, 100, 50]
    assert [r.query["max_results"] for r in arxiv] == [["100"], ["100"], ["50"]]
    times = [r.at for r in arxiv]
    assert all(later - earlier >= 3.0 for earlier, later in itertools.pairwise(times))
    assert clock.now - 1000.0 < 20  # the clock was advanced, not waited on
    agents = {r.headers["User-Agent"] for r in services.requests}
    assert agents == {next(iter(agents))} and f"digest-reader/{__version__}" in agents.pop()
    venue = services.served("venue")
    assert len(venue) == 1 and len(venue[0].body["ids"]) == 250
    assert venue[0].body["ids"][0] == "ARXIV:2501.00000"
    assert report.requests == 4 and report.arxiv_fetched == 250


def test_everything_is_fetched_once(services, tmp_path):
    _, run = enricher(services, tmp_path)
    run.run(list(services.papers))
    asked = len(services.requests)
    again = MetadataCache(tmp_path / "state.json.metadata.jsonl")
    assert again.load() == []
    later = make_enricher(again, Endpoints(services.arxiv_url, services.venue_url),
                          clock=services.clock, sleep=services.clock.sleep)  # fmt: skip
    report = later.run(list(services.papers))
    assert len(services.requests) == asked and report.requests == 0
    assert again.metadata("2412.20930").arxiv.title.startswith("QAHAN:")


def test_503_and_429_are_retried_after_retry_after(services, tmp_path):
    services.script("arxiv", 503, "Service Unavailable", {"Retry-After": "7"})
    services.script("arxiv", 429, "Rate exceeded.", {"Retry-After": "11"})
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.20930"])
    assert report.warnings == [] and cache.metadata("2412.20930") is not None
    assert 7 in services.clock.slept and 11 in services.clock.slept
    assert len(services.served("arxiv")) == 3


def test_a_service_that_keeps_failing_leaves_the_digest_and_asks_again(services, tmp_path):
    for _ in range(4):
        services.script("arxiv", 503, "down")
    cache, run = enricher(services, tmp_path, retries=3)
    report = run.run(["2412.20930", "2412.20404"])
    port = services.server.server_address[1]
    assert [str(w) for w in report.warnings] == [
        f"arXiv: 127.0.0.1:{port} answered 503 Service Unavailable (tried 4 times); 2 papers "
        "keep the digest's data for now"
    ]
    assert services.clock.slept == [5.0, 10.0, 20.0]  # backoff without Retry-After
    assert not cache.answered("2412.20930", ARXIV)
    assert run.run(["2412.20930"]).arxiv_fetched == 1  # asked again, and now answered


def test_a_timeout_is_a_warning(services, tmp_path):
    services.script("arxiv", 200, "<feed/>", delay=2.0)
    cache, run = enricher(services, tmp_path, timeout=0.3, retries=0)
    report = run.run(["2412.20930"])
    assert "did not answer within 0.3 s" in str(report.warnings[0])
    assert cache.metadata("2412.20930") is None


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://a',
            "not whole XML",
        ),
        ("Rate exceeded.", "not XML: 'Rate exceeded.'"),
        ("<html><body>Bad gateway</body></html>", "not an Atom feed"),
        (
            '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>',
            "declares a DTD or entities",
        ),
    ],
)
def test_bad_answers_are_one_warning_each(services, tmp_path, body, says):
    services.script("arxiv", 200, body)
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.20930", "2412.20404"])
    assert len(report.warnings) == 1 and says in str(report.warnings[0])
    assert cache.metadata("2412.20930") is None and not cache.answered("2412.20930", ARXIV)


def test_an_empty_feed_for_many_ids_is_not_taken_for_unknown(services, tmp_path):
    from tests.online_helpers import atom_feed

    services.script("arxiv", 200, atom_feed("id_list=...", [], 0))
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.20930", "2412.20404"])
    assert "empty feed for 2 ids" in str(report.warnings[0])
    assert not cache.answered("2412.20930", ARXIV)


def test_an_id_arxiv_does_not_know(services, tmp_path):
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.20930", "2501.99999"])
    assert [str(w) for w in report.warnings] == [
        "arXiv:2501.99999: arXiv does not know this id; the digest's data are kept"
    ]
    assert cache.answered("2501.99999", ARXIV) and cache.metadata("2501.99999") is None
    asked = len(services.requests)
    run.run(["2501.99999"])
    assert len(services.requests) == asked  # not asked again


def test_an_id_of_the_wrong_shape_does_not_sink_its_batch(services, tmp_path):
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.20930", "2412.999", "2412.20404"])
    assert "incorrect id format for 2412.999" in str(report.warnings[0])
    assert cache.metadata("2412.20930") is not None and cache.metadata("2412.20404") is not None
    assert len(services.served("arxiv")) == 2


def test_withdrawn_and_bad_tex_titles_keep_the_digest(tmp_path):
    papers = {
        "2501.00001": FakePaper("2501.00001", 2, "Gone: a paper", ("A. B",), "This paper has "
                                "been withdrawn by the author.", comment="withdrawn"),
        "2501.00002": FakePaper("2501.00002", 1, "A {broken $x title", ("A. B",), "x"),
        "2501.00003": FakePaper("2501.00003", 1, "Fine: $O(n^{2})$ time", ("A. B",), "x"),
    }  # fmt: skip
    with FakeServices(papers) as services:
        cache, run = enricher(services, tmp_path, venue=False)
        report = run.run(list(papers))
    lines = [str(w) for w in report.warnings]
    assert lines[0] == "arXiv:2501.00001: withdrawn on arXiv; the digest's data are kept"
    assert lines[1].startswith("arXiv:2501.00002: arXiv's title has TeX that cannot be read")
    assert len(lines) == 2
    from tests.store_helpers import make_paper

    digest = make_paper("2501.00002", title="A broken x title")
    assert arxiv_title(digest, cache.metadata("2501.00002")) is None
    assert for_export(digest, cache.metadata("2501.00002")).title == "A broken x title"
    gone = make_paper("2501.00001", title="Gone a paper")
    assert for_export(gone, cache.metadata("2501.00001")) is gone
    assert publication(cache.metadata("2501.00001")) is None
    fine = make_paper("2501.00003", title="Fine $O(n^{2})$ time")
    assert arxiv_title(fine, cache.metadata("2501.00003")) == "Fine: $O(n^{2})$ time"


def test_a_paper_the_venue_service_does_not_know(services, tmp_path):
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.19413", "2412.21188"])
    assert [str(w) for w in report.warnings] == [
        "arXiv:2412.19413: the venue service does not know this paper; exported as an arXiv "
        "preprint"
    ]
    journal = cache.metadata("2412.21188").venue
    assert (journal.kind, journal.name, journal.volume, journal.pages, journal.doi) == (
        "journal",
        "Physical Review E",
        "111",
        "014201",
        "10.1103/PhysRevE.111.014201",
    )


def test_a_bad_venue_answer_is_a_warning(services, tmp_path):
    services.script("venue", 200, '{"error": "oops"}')
    cache, run = enricher(services, tmp_path)
    report = run.run(["2412.20930"])
    assert "not a list with one item per id" in str(report.warnings[0])
    assert cache.metadata("2412.20930").arxiv is not None
    assert not cache.answered("2412.20930", VENUE)


def test_no_network_stops_at_once_with_one_line(tmp_path):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    cache = MetadataCache(tmp_path / "m.jsonl")
    clock = FakeClock()
    run = make_enricher(cache, Endpoints(f"http://127.0.0.1:{port}/api/query", ""),
                        clock=clock, sleep=clock.sleep)  # fmt: skip
    report = run.run([f"2501.{n:05d}" for n in range(300)])
    assert report.offline.startswith(f"no network: cannot reach 127.0.0.1:{port}")
    assert report.requests == 1 and len(report.warnings) == 1 and clock.slept == []
