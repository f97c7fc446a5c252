"""``list --starred --json`` from the state alone writes its rows a batch at a time."""

from __future__ import annotations

import json
import os

import pytest

from tests.store_helpers import make_paper
from tui_reader.cli import main
from tui_reader.store import StateStore


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2500])
def test_list_starred_json_is_one_valid_array_at_any_size(capsys, count):
    papers = [make_paper(f"2501.{n:05d}", title=f"Paper {n}") for n in range(count)]
    with StateStore.open(os.environ["DIGEST_READER_DB"], background=False) as store:
        store.set_starred(papers, True)
        store.set_starred(["2502.00001"], True)  # known by id only: no details
    capsys.readouterr()
    assert main(["list", "--starred", "--json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert [row["id"] for row in rows] == [p.arxiv_id for p in papers] + ["2502.00001"]
    assert [row["title"] for row in rows[:-1]] == [p.title for p in papers]
    assert rows[-1]["details_unknown"] is True
    assert "1 of these papers was marked by id" in captured.err
