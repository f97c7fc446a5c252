"""The fallback reader, the e-mail's MIME form, digest identity and the loader's rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.test_cli_formats import SAMPLES, mime_email
from tui_reader.digest import DigestLoader, load_library, parse_digest, parse_digest_text
from tui_reader.formats import arxiv_email, arxiv_links


def read_links(text: str):
    return arxiv_links.read(text, Path("notes.md")).papers


def test_one_paper_per_id_with_a_heading_title_and_labelled_fields():
    papers = read_links(
        "# My reading list\n\n"
        "## Sparse Chaos in Cortical Circuits\n\n"
        "**Authors**: Rainer Engelken, Fred Wolf and Ana Li\n\n"
        "> **Abstract:** We study chaos\nin sparse networks.\n\n"
        "Link: https://arxiv.org/abs/2412.21188v2 and again arxiv.org/pdf/2412.21188\n\n"
        "## Another One Entirely\n\n"
        "Authors: B. Author\nAbstract: Short.\n\nhttps://arxiv.org/abs/2501.00001\n"
    )
    assert [(p.arxiv_id, p.version) for p in papers] == [("2412.21188", 2), ("2501.00001", None)]
    first, second = papers
    assert first.title == "Sparse Chaos in Cortical Circuits"
    assert first.authors == ("Rainer Engelken", "Fred Wolf", "Ana Li")
    assert first.abstract == "We study chaos in sparse networks."
    assert first.url == "https://arxiv.org/abs/2412.21188v2"
    assert (second.title, second.authors, second.abstract) == (
        "Another One Entirely", ("B. Author",), "Short.",
    )  # fmt: skip


def test_list_items_take_linked_or_bold_titles():
    papers = read_links(
        "# Papers this week\n\n"
        "- [Rotor Cache: Reusing Keys](https://arxiv.org/abs/2509.01234) - nice\n"
        "- **Sparse Experts in the Wild** [arXiv](https://arxiv.org/abs/2509.00871)\n"
        "- [2509.00102](https://arxiv.org/abs/2509.00102)\n"
        "- see arXiv:2509.00200 for details\n"
    )
    assert [p.title for p in papers] == [
        "Rotor Cache: Reusing Keys",
        "Sparse Experts in the Wild",
        "arXiv:2509.00102",
        "arXiv:2509.00200",
    ]


def test_chinese_labels():
    papers = read_links(
        "### 稀疏注意力的新方法\n\n"
        "**作者**：张三, 李四\n\n"
        "**摘要**：我们提出一种方法。\n\n"
        "链接：https://arxiv.org/abs/2501.01234\n"
    )
    assert len(papers) == 1
    paper = papers[0]
    assert paper.title == "稀疏注意力的新方法"
    assert paper.authors == ("张三", "李四")
    assert paper.abstract == "我们提出一种方法。"


def test_a_file_with_arxiv_links_never_gives_zero_papers(tmp_path):
    # Looks like the main layout (a date line and ## sections) but has no URL lines.
    path = tmp_path / "odd.md"
    path.write_text("# 2025-01-03\n\n## A Title\n\nSee https://arxiv.org/pdf/2501.00042v3.\n")
    parsed = parse_digest(path)
    assert [(p.arxiv_id, p.version, p.title) for p in parsed.papers] == [
        ("2501.00042", 3, "A Title")
    ]
    assert parse_digest_text(path.read_text(), path).papers[0].arxiv_id == "2501.00042"


def test_a_list_with_a_table_of_contents_falls_back_without_false_warnings(tmp_path):
    path = tmp_path / "awesome.md"
    path.write_text(
        "# Awesome Sparse Models\n\n# Table of Contents\n* [Pruning](#pruning)\n\n"
        "## Pruning\n\n- [Sparse Chaos in Circuits](https://arxiv.org/abs/2412.21188)\n"
        "- [Pruning at Scale](https://arxiv.org/abs/2501.00001v2)\n"
    )
    parsed = parse_digest(path)
    assert [(p.arxiv_id, p.title) for p in parsed.papers] == [
        ("2412.21188", "Sparse Chaos in Circuits"),
        ("2501.00001", "Pruning at Scale"),
    ]
    assert parsed.warnings == []


def test_mime_eml_reads_like_the_plain_text():
    text = (SAMPLES / "arxiv-listing-email.txt").read_text(encoding="utf-8")
    plain = arxiv_email.read(text, Path("a.txt"))
    mime = arxiv_email.read(mime_email(text), Path("a.eml"))
    assert mime.date == plain.date == dt.date(2025, 1, 7)
    fields = ("arxiv_id", "title", "authors", "abstract", "categories", "comments", "replacement")
    assert [[getattr(p, f) for f in fields] for p in mime.papers] == [
        [getattr(p, f) for f in fields] for p in plain.papers
    ]
    assert arxiv_email.detect(mime_email(text)[:4096])


@pytest.mark.parametrize(
    ("authors", "names"),
    [
        ("A. One, B. Two, and C. Three", ("A. One", "B. Two", "C. Three")),
        ("A. One (MIT, USA) and B. Two (ETH)", ("A. One", "B. Two")),
        (r"J{\"o}rg M\"uller and Fran\c{c}ois Dupont", ("Jörg Müller", "François Dupont")),
        ("Alexander Anderson", ("Alexander Anderson",)),
    ],
)
def test_email_author_lists(authors, names):
    assert arxiv_email.authors(authors) == names


def test_badge_digest_gives_no_false_warnings():
    parsed = parse_digest(SAMPLES / "efficientpaper-badges.md")
    assert parsed.warnings == []
    text = (
        "# 2025-09-05\n\n# Table of Contents\n* [2025-09-05](#2025-09-05)\n"
        "* [Table of Contents](#table-of-contents)\n* [A (B) c](#a-(b)-c)\n\n"
        "## A (B) c\n\n>Authors: X\n\n>2025-09-01\n\n"
        "> [http://arxiv.org/abs/2509.00001v1](http://arxiv.org/abs/2509.00001v1)\n\nText.\n"
    )
    parsed = parse_digest_text(text, Path("b.md"))
    assert parsed.warnings == []
    assert parsed.papers[0].url == "http://arxiv.org/abs/2509.00001v1"


def test_a_title_with_bold_is_emphasis():
    text = "## **Bold** Title\n\n>Authors: X\n\n>2025-09-01\n\n> http://arxiv.org/abs/2509.00001v1\n\nT.\n"
    assert parse_digest_text(text, Path("2025-09-02.md")).papers[0].title == "Bold Title"


def digest(date: str | None, arxiv_id: str, submitted: str = "") -> str:
    """A digest of the main layout; with ``date`` None, of the 2024 form: no date line,
    so the digest's date is its newest paper's (``submitted``)."""
    head = f"# {date}\n\n## T {arxiv_id}" if date else f"# Title {arxiv_id}"
    return (f"{head}\n\n>Authors: X\n\n>{submitted or date}\n\n"
            f"> http://arxiv.org/abs/{arxiv_id}v1\n\nText.\n")  # fmt: skip


def test_two_files_with_one_date_are_two_digests_named_by_file(tmp_path):
    (tmp_path / "latest.md").write_text(digest("2025-08-15", "2508.00001"))
    (tmp_path / "2025-08-15.md").write_text(digest("2025-08-15", "2508.00002"))
    (tmp_path / "2025-08-14.md").write_text(digest("2025-08-14", "2508.00003"))
    library = load_library([tmp_path])
    assert [ref.label for ref in library.digests] == [
        "2025-08-14",
        "2025-08-15 (2025-08-15.md)",
        "2025-08-15 (latest.md)",
    ]
    assert library.warnings == []


def test_loader_skips_bad_files_and_keeps_reading(tmp_path):
    good = tmp_path / "2025-01-02.md"
    good.write_text(digest("2025-01-02", "2501.00001"))
    bad = tmp_path / "2025-01-01.md"
    bad.write_bytes(b"# 2025-01-01\n\n## Caf\xe9\n")
    loader = DigestLoader([good, bad])
    papers = [paper for batch in loader.batches() for paper in batch]
    assert [p.arxiv_id for p in papers] == ["2501.00001"]
    assert [(w.path, w.line) for w in loader.skipped] == [(bad, None)]
    assert "is not UTF-8 text" in loader.skipped[0].message
    assert loader.warnings == loader.skipped


def test_digests_dated_by_their_papers_take_their_place_by_that_date(tmp_path):
    (tmp_path / "2025-03-01.md").write_text(digest("2025-03-01", "2503.00001"))
    (tmp_path / "old.md").write_text(digest(None, "2501.00001", "2025-01-10"))
    (tmp_path / "new.md").write_text(digest(None, "2505.00001", "2025-05-01"))
    (tmp_path / "also-old.md").write_text(digest(None, "2501.00002", "2025-01-10"))
    (tmp_path / "links.md").write_text("See https://arxiv.org/abs/2412.00001\n")  # no date
    library = load_library([tmp_path])
    assert [ref.label for ref in library.digests] == [
        "2025-01-10 (also-old.md)",  # a tie: by name
        "2025-01-10 (old.md)",
        "2025-03-01",
        "2025-05-01 (new.md)",
        "links",  # no date at all: last
    ]
    assert [paper.arxiv_id for paper in library.papers] == [
        "2501.00002", "2501.00001", "2503.00001", "2505.00001", "2412.00001",
    ]  # fmt: skip
    assert library.warnings == []
