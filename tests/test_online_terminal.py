"""The installed command in a real terminal (tmux) with ``online = true``, enriching
against the services played back on 127.0.0.1 (named in the config, as a mirror
would be)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED_DIGEST
from tests.online_helpers import FakeServices, sample_papers
from tests.test_terminal import left_of_list, terminal  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_the_app_fetches_in_the_background_and_shows_arxivs_title(terminal):  # noqa: F811
    with FakeServices(sample_papers()) as services:
        config = Path(os.environ["DIGEST_READER_CONFIG"])
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(f'online = true\narxiv_api = "{services.arxiv_url}"\n'
                          f'venue_api = "{services.venue_url}"\n')  # fmt: skip
        term = terminal(str(SEED_DIGEST))
        term.wait_for("Published Physical Review E 2025", timeout=60)  # the first paper
        term.press("j", "j", "j")
        screen = term.wait_for("QAHAN: A Quantum Annealing Hard Attention Network")
        assert "as on arXiv; the digest has “QAHAN A Quantum Annealing" in screen
        listed = [left_of_list(line) for line in screen.splitlines()]  # left of the pane
        assert any("QAHAN A Quantum" in line for line in listed)  # the digest's title
        assert not any("QAHAN:" in line for line in listed)
        term.press("q")
        term.wait_for("exit-code=0")
        agents = {r.headers.get("User-Agent", "") for r in services.requests}
        assert all(a.startswith("digest-reader/") for a in agents)
        assert len(services.served("arxiv")) == 1
    cache = Path(os.environ["DIGEST_READER_DB"] + ".metadata.jsonl")
    assert len(cache.read_bytes().splitlines()) == 60  # 30 arXiv records, 30 venue answers
