"""``digest-reader similar`` and ``digest-reader list --sort relevance``."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_DIGEST
from tests.test_cli import assert_one_line_error, run_cli
from tui_reader.cli import main
from tui_reader.digest import load_library

MBQ = "2412.19509"  # MBQ: Modality-Balanced Quantization for Large Vision-Language Models


def sample_papers():
    return load_library([SEED_DIGEST]).papers


def test_similar_lists_the_nearest_papers_with_digest_and_state(capsys):
    assert main(["mark", MBQ, "--star", "--digest", str(SEED_DIGEST)]) == 0
    capsys.readouterr()
    assert main(["similar", MBQ, str(SEED_DIGEST), "-n", "3"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2  # only two papers are close (cosine 0.06 or more)
    assert f"{MBQ}: only 2 papers in these digests are close to it (cosine 0.06" in err
    fields = [line.split("\t") for line in lines]
    assert all(len(f) == 5 and f[3] == "2025-01-03" and f[1] == "N.." for f in fields)
    similarities = [float(f[2]) for f in fields]
    assert similarities == sorted(similarities, reverse=True)
    assert MBQ not in lines[0]
    titles = {p.arxiv_id: p for p in sample_papers()}
    nearest = titles[fields[0][0].rsplit("v", 1)[0]]
    assert "quantiz" in (nearest.title + nearest.abstract).lower()


def test_similar_json_has_the_paper_keys_and_a_similarity(capsys):
    assert main(["similar", f"https://arxiv.org/abs/{MBQ}v1", "--json"]) == 0  # the sample
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2
    assert {"id", "title", "digests", "read", "starred", "similarity"} <= set(rows[0])
    assert rows[0]["similarity"] >= rows[-1]["similarity"] >= 0.06


def test_similar_says_nothing_is_close_rather_than_list_strangers(capsys):
    chaos = "2412.21188"  # neuroscience: no paper of the sample nearer than cosine 0.032
    assert main(["similar", chaos]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == (
        f"digest-reader: {chaos}: no paper in these digests is close to it (cosine 0.06 or more)"
    )
    assert main(["similar", chaos, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["similar", "2501.99999"], "2501.99999: not in the digests"),
        (["similar", "not-an-id"], "not an arXiv id"),
        (["similar", MBQ, "-n", "0"], "-n must be 1 or more"),
    ],
)
def test_similar_bad_input_is_one_line_and_exit_2(args, fragment):
    assert_one_line_error(run_cli(*args), fragment)


def test_list_sort_relevance_learns_from_stars_and_reads(capsys):
    papers = sample_papers()
    liked = [p.arxiv_id for p in papers[:15] if "quantization" in p.keywords]
    others = [p.arxiv_id for p in papers[:15] if "quantization" not in p.keywords]
    assert len(liked) == 3
    digest = ["--digest", str(SEED_DIGEST)]
    assert main(["mark", *liked, "--star", "--read", *digest]) == 0
    assert main(["mark", *others, "--read", *digest]) == 0
    capsys.readouterr()
    assert main(["list", str(SEED_DIGEST), "--unread", "--sort", "relevance", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "learned from 3 starred and 12 read-only papers" in err
    rows = json.loads(out)
    assert len(rows) == 15 and all(not row["read"] for row in rows)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    first = next(p for p in papers if p.arxiv_id == rows[0]["id"])
    assert "quantization" in first.keywords


def test_list_sort_relevance_puts_the_judged_papers_after_the_others(capsys):
    papers = sample_papers()
    liked = [p.arxiv_id for p in papers[:15] if "quantization" in p.keywords]
    others = [p.arxiv_id for p in papers[:15] if "quantization" not in p.keywords]
    digest = ["--digest", str(SEED_DIGEST)]
    assert main(["mark", *liked, "--star", "--read", *digest]) == 0
    assert main(["mark", *others, "--read", *digest]) == 0
    capsys.readouterr()
    assert main(["list", str(SEED_DIGEST), "--sort", "relevance", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    judged = [row["read"] or row["starred"] for row in rows]
    assert judged == [False] * 15 + [True] * 15  # ranking is for what is still to judge
    assert [row["id"] for row in rows[15:18]] and {r["id"] for r in rows[15:18]} == set(liked)
    for half in (rows[:15], rows[15:]):
        scores = [row["score"] for row in half]
        assert scores == sorted(scores, reverse=True)


def test_list_sort_relevance_falls_back_to_keywords_and_highlight_words(
    tmp_path, monkeypatch, capsys
):
    config = tmp_path / "config.toml"
    config.write_text('highlight = ["Gaussian Splatting"]\n', encoding="utf-8")
    monkeypatch.setenv("DIGEST_READER_CONFIG", str(config))
    assert main(["list", str(SEED_DIGEST), "--sort", "relevance"]) == 0
    out, err = capsys.readouterr()
    assert "ranked by keywords: 0 starred and 0 read-only papers" in err
    first = out.splitlines()[0].split("\t")
    assert first[2] == "+4.000" and first[3].startswith("KeyGS")  # the word 3 + 'sparse' 1


def test_list_default_order_has_no_score(capsys):
    assert main(["list", str(SEED_DIGEST), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert "score" not in rows[0]
    assert [row["id"] for row in rows] == [p.arxiv_id for p in sample_papers()]
