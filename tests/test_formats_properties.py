"""Properties of the layout readers on arbitrary text, and the core/UI split."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.digest import DigestError, parse_digest_text
from tui_reader.formats import FORMATS

TOKENS = [
    *"ab #*>-|[]()!:\n\t\\%_`",
    "## ",
    "# ",
    "**",
    "\n\n",
    ">Authors: ",
    "2025-01-03",
    "\\\\\narXiv:",
    "---------------\n",
    "|Publish Date|Title|",
    "### [1] ",
]
NOISE = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
IDS = st.from_regex(r"2[0-4](0[1-9]|1[0-2])\.\d{5}", fullmatch=True)
LINK = st.sampled_from(["https://arxiv.org/abs/{}", "http://arxiv.org/pdf/{}v2", "arXiv:{}",
                        "[t](https://arxiv.org/abs/{})"])  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NOISE, IDS, LINK), min_size=1, max_size=5), NOISE)
def test_a_text_with_arxiv_links_never_gives_zero_papers(pieces, tail):
    text = "".join(f"{noise} {link.format(arxiv_id)} " for noise, arxiv_id, link in pieces)
    text += tail
    parsed = parse_digest_text(text, Path("any.md"))
    found = {paper.arxiv_id for paper in parsed.papers}
    assert found  # every id the fallback would name is not promised by every layout
    for paper in parsed.papers:
        assert paper.url.startswith(("http://arxiv.org/", "https://arxiv.org/"))
        assert " " not in paper.url


@settings(max_examples=200, deadline=None)
@given(NOISE)
def test_any_text_reads_or_is_one_clear_error(text):
    for module in FORMATS:
        module.detect(text)
        module.head_date(text)
        module.read(text, Path("noise.md"))
    try:
        parse_digest_text(text, Path("noise.md"))
    except DigestError as error:
        assert str(error).startswith("noise.md: no papers found")


def test_the_readers_do_not_import_textual():
    code = ("import sys, tui_reader.digest, tui_reader.formats, tui_reader.cli; "
            "print('textual' in sys.modules)")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"
