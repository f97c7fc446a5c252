"""Property tests: generated digests round-trip; random bytes never crash the parser."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.digest import DigestError, parse_digest, parse_digest_text

# Words of a title or abstract: printable, no Markdown structure of their own.
word = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="*#>\\\u0085"
    ),
    min_size=1,
    max_size=12,
).filter(lambda w: w.strip() == w and w)
name = st.lists(word.filter(lambda w: "," not in w), min_size=1, max_size=3).map(" ".join)


@st.composite
def abstract(draw):
    """Paragraphs of words, some of them bold, as the parser should return them."""
    paragraphs = []
    spans_text = []
    for _ in range(draw(st.integers(1, 3))):
        words = []
        for w in draw(st.lists(word, min_size=1, max_size=40)):
            if draw(st.booleans()) and draw(st.booleans()):
                words.append(f"**{w}**")
                spans_text.append(w)
            else:
                words.append(w)
        paragraphs.append(" ".join(words))
    return paragraphs, spans_text


@st.composite
def paper(draw, index):
    title = " ".join(draw(st.lists(word, min_size=1, max_size=8)))
    authors = draw(st.lists(name, min_size=1, max_size=5))
    date = draw(st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2030, 12, 31)))
    version = draw(st.integers(1, 12))
    paragraphs, bold = draw(abstract())
    return {
        "id": f"2501.{index:05d}",
        "version": version,
        "title": title,
        "authors": tuple(authors),
        "date": date,
        "paragraphs": paragraphs,
        "bold": bold,
    }


@st.composite
def digest(draw):
    count = draw(st.integers(1, 6))
    return [draw(paper(index)) for index in range(count)]


def render(papers, *, blank_line_paragraphs):
    sections = []
    for p in papers:
        wrapped = []
        for number, paragraph in enumerate(p["paragraphs"]):
            lines = textwrap.wrap(paragraph, width=60, break_long_words=False,
                                  break_on_hyphens=False)  # fmt: skip
            if number and not blank_line_paragraphs:
                lines[0] = "  " + lines[0]
            wrapped.append("\n".join(lines))
        body = ("\n\n" if blank_line_paragraphs else "\n").join(wrapped)
        sections.append(
            f"## {p['title']}\n\n>Authors: {', '.join(p['authors'])}\n\n>{p['date']}\n\n"
            f"> http://arxiv.org/abs/{p['id']}v{p['version']}\n\n{body}\n\n"
        )
    toc = "".join(f"* [{p['title']}](#x)\n" for p in papers)
    return f"# 2025-01-03\n\n# Table of Contents\n{toc}\n\n" + "".join(sections)


@settings(max_examples=150, deadline=None)
@given(digest(), st.booleans())
def test_generated_digests_round_trip(papers, blank_line_paragraphs):
    parsed = parse_digest_text(render(papers, blank_line_paragraphs=blank_line_paragraphs),
                               Path("gen.md"))  # fmt: skip
    assert parsed.warnings == []
    assert len(parsed.papers) == len(papers)
    for got, want in zip(parsed.papers, papers, strict=True):
        assert got.arxiv_id == want["id"]
        assert got.version == want["version"]
        assert got.title == want["title"]
        assert got.authors == want["authors"]
        assert got.date == want["date"]
        plain = [p.replace("**", "") for p in want["paragraphs"]]
        assert got.abstract == "\n\n".join(plain)
        assert [got.abstract[s:e] for s, e in got.bold_spans] == want["bold"]
        assert got.keywords == tuple(dict.fromkeys(want["bold"]))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_digest_errors(tmp_path, data):
    path = tmp_path / "random.md"
    path.write_bytes(data)
    try:
        parsed = parse_digest(path)
    except DigestError as error:
        assert str(error).startswith(str(path))
    else:
        assert parsed.papers


DIGEST_CHARACTERS = list("## >*\n\tAuthors:2024-12-30 arxiv.org/abs/2412.21188v1x$%")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(DIGEST_CHARACTERS), max_size=300))
def test_digest_shaped_noise_raises_only_digest_errors(text):
    try:
        parsed = parse_digest_text(text, Path("noise.md"))
    except DigestError:
        return
    for paper in parsed.papers:
        assert paper.arxiv_id and paper.title
        for start, end in paper.bold_spans:
            assert 0 <= start < end <= len(paper.abstract)
