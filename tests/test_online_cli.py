"""``digest-reader enrich`` and ``export --online/--offline``, run in-process against the
services played back on 127.0.0.1; ``--offline`` under a guard that fails the test if
anything opens a network connection."""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tests.online_helpers import FakeServices, sample_papers
from tui_reader.cli import main
from tui_reader.online.cache import cache_path


@pytest.fixture
def services(monkeypatch):
    with FakeServices(sample_papers()) as fake:
        monkeypatch.setenv("DIGEST_READER_ARXIV_API", fake.arxiv_url)
        monkeypatch.setenv("DIGEST_READER_VENUE_API", fake.venue_url)
        yield fake


@contextmanager
def no_network():
    """Any connection, name lookup or datagram inside fails the test."""
    tried: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise AssertionError(f"network access under --offline: {args!r}")

    with pytest.MonkeyPatch.context() as patch:
        for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"),
                            (socket.socket, "sendto"), (socket, "create_connection"),
                            (socket, "getaddrinfo")):  # fmt: skip
            patch.setattr(owner, name, refuse)
        yield
    assert tried == []


def test_the_guard_can_fail(services):
    import urllib.request

    with pytest.raises(AssertionError, match="network access"), no_network():
        urllib.request.urlopen(services.arxiv_url, timeout=5)


def state() -> str:
    return os.environ["DIGEST_READER_DB"]


def test_enrich_then_export_offline_cites_the_published_version(services, capsys):
    assert main(["mark", "2412.20930", "--star", "--digest", str(SEED_DIGEST)]) == 0
    capsys.readouterr()
    assert main(["enrich", str(SEED_DIGEST)]) == 0
    err = capsys.readouterr().err
    assert "30 of 30 papers have arXiv's metadata (2 with a published venue)" in err
    assert "in 2 requests" in err and "\r" not in err  # no progress bar off a terminal
    arxiv = services.served("arxiv")[0].query["id_list"][0].split(",")
    assert arxiv[0] == "2412.20930"  # the starred paper first
    asked = len(services.requests)

    with no_network():
        assert main(["export", str(SEED_DIGEST), "--all", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "@inproceedings{" in out and "{QAHAN}: A Quantum Annealing" in out
    assert "Open-Sora: Democratizing" in out and "@article{" in out
    assert len(services.requests) == asked


def test_export_offline_never_connects_even_when_the_config_says_online(services, capsys):
    config = os.environ["DIGEST_READER_CONFIG"]
    os.makedirs(os.path.dirname(config), exist_ok=True)
    with open(config, "w") as handle:
        handle.write("online = true\n")
    with no_network():
        assert main(["export", str(SEED_DIGEST), "--all", "--offline"]) == 0
    out = capsys.readouterr().out
    assert out.count("@misc{") == 30 and "{QAHAN} A Quantum" in out  # the digest's titles
    assert services.requests == []
    assert not cache_path(Path(state())).exists()


def test_export_online_fetches_first(services, capsys):
    assert main(["export", str(SEED_DIGEST), "--all", "--online", "--format", "ris"]) == 0
    out = capsys.readouterr().out
    assert "TY  - CONF" in out and "TI  - QAHAN: A Quantum Annealing Hard Attention Network" in out
    assert len(services.served("arxiv")) == 1 and len(services.served("venue")) == 1


def test_export_by_default_reads_the_cache_and_never_creates_it(services, capsys):
    assert main(["export", str(SEED_DIGEST), "--all"]) == 0
    assert services.requests == [] and "@inproceedings" not in capsys.readouterr().out
    assert not cache_path(Path(state())).exists()


def test_enrich_without_network_is_one_line_and_exit_1(monkeypatch, capsys):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("DIGEST_READER_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    assert main(["enrich", str(SEED_DIGEST)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (f"digest-reader: error: no network: cannot reach 127.0.0.1:{port} "
                        "(Connection refused)")  # fmt: skip
    assert len(lines) == 2 and "0 of 30 papers" in lines[1]


def test_enrich_starred_alone_needs_no_digest(services, capsys):
    assert main(["mark", "2412.21188", "--star", "--digest", str(SEED_DIGEST)]) == 0
    assert main(["enrich", "--starred"]) == 0
    assert "1 of 1 paper have" in capsys.readouterr().err
    assert services.served("arxiv")[0].query["id_list"] == ["2412.21188"]


def test_open_offline_never_fetches_whatever_the_config_says(tmp_path):
    import argparse

    from tui_reader.cli.open_cmd import app_online
    from tui_reader.config import Config

    online = Config(online=True)
    offline = app_online(argparse.Namespace(offline=True, online=False), online)
    assert offline["online"] is False and offline["where"] is None
    assert offline["cache"].writable is False
    on = app_online(argparse.Namespace(offline=False, online=False), online)
    assert on["online"] is True and on["cache"].writable is True
    default = app_online(argparse.Namespace(offline=False, online=False), Config())
    assert default["online"] is False and default["cache"].writable is False


def test_the_progress_bar_is_drawn_on_a_terminal_only(monkeypatch, capsys):
    from tui_reader.cli.enrich_cmd import ProgressBar
    from tui_reader.online.enrich import Progress

    quiet = ProgressBar()
    quiet(Progress("arXiv", 100, 3800))
    quiet.close()
    assert capsys.readouterr().err == ""
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    bar = ProgressBar()
    bar(Progress("arXiv", 1900, 3800))
    bar.close()
    assert capsys.readouterr().err == f"\rarXiv   [{'#' * 15}{'.' * 15}] 1,900/3,800\n"
