"""The command line explains itself: every flag has words, the FLAGS column is
explained where it is printed, and counts agree with their nouns."""

from __future__ import annotations

import argparse

import pytest

from tests.conftest import SEED_DIGEST
from tui_reader.cli import main
from tui_reader.cli.parser import build_parser


def subparser(name: str) -> argparse.ArgumentParser:
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices[name]


@pytest.mark.parametrize("name", ["open", "list", "mark", "export", "similar"])
def test_every_shown_option_has_help_text(name):
    for action in subparser(name)._actions:
        if action.help == argparse.SUPPRESS:
            continue  # an old spelling kept for scripts
        assert action.help, f"{name}: {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("name", ["list", "mark", "similar"])
def test_the_flags_column_is_explained_where_it_is_printed(name, capsys):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    text = capsys.readouterr().out
    for line in ("N  unread       (. read)", "*  starred", "+  has a note", "N.."):
        assert line in text, (name, line)


def test_one_paper_marked_by_id_is_one(capsys, tmp_path):
    store = tmp_path / "other.json"
    assert main(["--db", str(store), "mark", "2412.21188", "--star", "--digest",
                 str(SEED_DIGEST)]) == 0  # fmt: skip
    capsys.readouterr()
    # A paper marked by id alone (no --digest): its details are unknown.
    from tui_reader.store import StateStore

    with StateStore.open(store, background=False) as state:
        state.set_starred(["2501.00001"], True)
        assert state.flush()
    assert main(["--db", str(store), "list", "--starred"]) == 0
    err = capsys.readouterr().err
    assert "1 of these papers was marked by id without a digest; its details" in err
    assert "mark it again" in err


def test_counts_agree_with_their_nouns():
    from tests.test_ranking import make_paper
    from tui_reader.ranking import RelevanceModel

    papers = [make_paper(i, f"Paper {i}", "text") for i in range(3)]
    assert (
        "1 starred and 1 read-only paper;"
        in RelevanceModel().fit(papers, {0: True, 1: False}).detail
    )
    assert (
        "0 starred and 2 read-only papers;"
        in RelevanceModel().fit(papers, {0: False, 1: False}).detail
    )
