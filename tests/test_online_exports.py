"""Exports of enriched papers: arXiv's exact titles, the published venue, the arXiv id
kept; through real bibtex (plain, unsrt, alpha) and biber with 0 errors.

The metadata come from the services played back on 127.0.0.1 (``online_helpers``),
fetched the way the app and ``enrich`` fetch them.
"""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy

from bench import bench_bibtex_tex as tex
from tests.conftest import SEED_DIGEST
from tests.online_helpers import FakeServices, sample_papers
from tui_reader.digest import parse_digest
from tui_reader.export import bibtex_entry, export_papers
from tui_reader.online.cache import MetadataCache
from tui_reader.online.enrich import Endpoints, make_enricher
from tui_reader.store import StateStore

PAPERS = parse_digest(SEED_DIGEST).papers


@pytest.fixture(scope="module")
def metadata(tmp_path_factory):
    folder = tmp_path_factory.mktemp("online")
    cache = MetadataCache(folder / "state.json.metadata.jsonl")
    with FakeServices(sample_papers()) as services:
        run = make_enricher(cache, Endpoints(services.arxiv_url, services.venue_url),
                            clock=services.clock, sleep=services.clock.sleep)  # fmt: skip
        report = run.run([paper.arxiv_id for paper in PAPERS])
    assert report.arxiv_fetched == 30
    return cache.all()


@pytest.fixture
def store(tmp_path):
    store = StateStore.open(tmp_path / "state.json", background=False)
    yield store
    store.close()


def exported(store, metadata, fmt="bibtex"):
    return export_papers(store, PAPERS, "all", fmt=fmt, metadata=metadata).text


def test_bibtex_carries_arxiv_titles_and_the_published_venues(store, metadata):
    library = bibtexparser.parse_string(exported(store, metadata))
    entries = {entry["eprint"]: entry for entry in library.entries}
    assert len(entries) == 30 and not library.failed_blocks
    qahan, chaos, sora = entries["2412.20930"], entries["2412.21188"], entries["2412.20404"]
    assert qahan["title"] == "{QAHAN}: A Quantum Annealing Hard Attention Network"
    assert sora["title"] == "Open-Sora: Democratizing Efficient Video Production for All"
    assert entries["2412.20105"]["title"].startswith("{ST$^3$}: Accelerating")
    assert (qahan.entry_type, qahan["booktitle"], qahan["year"], qahan["pages"]) == (
        "inproceedings",
        "AAAI Conference on Artificial Intelligence",
        "2025",
        "18433--18441",
    )
    assert qahan["doi"] == "10.1609/aaai.v39i17.99999"
    assert (qahan["archivePrefix"], qahan["primaryClass"]) == ("arXiv", "cs.LG")
    assert (chaos.entry_type, chaos["journal"], chaos["volume"], chaos["pages"]) == (
        "article",
        "Physical Review E",
        "111",
        "014201",
    )
    assert chaos["doi"] == "10.1103/PhysRevE.111.014201"
    # Known only as a preprint: still arXiv's @misc, with arXiv's title and DOI.
    assert sora.entry_type == "misc" and sora["doi"] == "10.48550/arXiv.2412.20404"
    assert sora["url"] == "https://arxiv.org/abs/2412.20404"  # fmt: skip


def test_keys_do_not_change_when_metadata_arrive(store, metadata):
    before = bibtexparser.parse_string(exported(store, None))
    after = bibtexparser.parse_string(exported(store, metadata))
    assert [e.key for e in before.entries] == [e.key for e in after.entries]
    assert all(e.entry_type == "misc" for e in before.entries)
    titles = {e["eprint"]: e["title"] for e in before.entries}
    assert titles["2412.20930"] == "{QAHAN} A Quantum Annealing Hard Attention Network"


def test_the_copy_key_uses_the_metadata(store, metadata):
    qahan = next(p for p in PAPERS if p.arxiv_id == "2412.20930")
    text, key = bibtex_entry(store, qahan, metadata=metadata)
    assert text.startswith(f"@inproceedings{{{key},") and "{QAHAN}: A Quantum" in text


def test_ris_and_csl_say_the_same_their_own_way(store, metadata):
    records = {r["accession_number"]: r for r in rispy.loads(exported(store, metadata, "ris"))}
    qahan, chaos = records["arXiv:2412.20930"], records["arXiv:2412.21188"]
    assert (qahan["type_of_reference"], qahan["secondary_title"], qahan["year"]) == (
        "CONF",
        "AAAI Conference on Artificial Intelligence",
        "2025",
    )
    assert (qahan["start_page"], qahan["end_page"]) == ("18433", "18441")
    assert qahan["title"] == "QAHAN: A Quantum Annealing Hard Attention Network"
    assert (chaos["type_of_reference"], chaos["secondary_title"], chaos["volume"]) == (
        "JOUR",
        "Physical Review E",
        "111",
    )
    assert chaos["doi"] == "10.1103/PhysRevE.111.014201" and "publisher" not in chaos
    sora = records["arXiv:2412.20404"]
    assert sora["publisher"] == "arXiv" and sora["title"].startswith("Open-Sora:")

    items = {i["URL"]: i for i in json.loads(exported(store, metadata, "csl-json"))}
    qahan = items["https://arxiv.org/abs/2412.20930"]
    assert (qahan["type"], qahan["container-title"], qahan["page"]) == (
        "paper-conference",
        "AAAI Conference on Artificial Intelligence",
        "18433-18441",
    )
    assert qahan["issued"] == {"date-parts": [[2025]]}
    assert qahan["archive_location"] == "arXiv:2412.20930" and "number" not in qahan
    chaos = items["https://arxiv.org/abs/2412.21188"]
    assert (chaos["type"], chaos["volume"], chaos["DOI"]) == (
        "article-journal",
        "111",
        "10.1103/PhysRevE.111.014201",
    )
    assert items["https://arxiv.org/abs/2412.20404"]["title"].startswith("Open-Sora:")


@pytest.mark.skipif(not tex.available(), reason="bibtex, biber or pdflatex not installed")
@pytest.mark.parametrize("utf8", [False, True])
def test_enriched_bibtex_builds_with_real_bibtex_and_biber(store, metadata, tmp_path, utf8):
    text = export_papers(store, PAPERS, "all", metadata=metadata, utf8=utf8).text
    assert text.count("@inproceedings{") == 1 and text.count("@article{") == 1
    figures = tex.build(text, tmp_path)
    for style in tex.STYLES:
        assert figures[style] == (0, 0), style  # (errors, warnings)
        bbl = (tmp_path / f"cite-{style}.bbl").read_text(encoding="utf-8", errors="replace")
        assert bbl.count("\\bibitem") == 30, style
    assert "AAAI Conference on Artificial Intelligence" in (tmp_path / "cite-plain.bbl").read_text()
    assert figures["biber"] == (30, 0, 0, 0)  # read, errors, warnings, broken characters
