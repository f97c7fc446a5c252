"""No raw control character from a digest or the state reaches a terminal, a file or a
spreadsheet: every command, as installed, on digests and a state full of attacks.

The attacks: ESC[2J (clear the screen), OSC 0 (retitle the window), OSC 52 (write the
clipboard), BEL, a C1 CSI (U+009B), the bidirectional overrides and isolates U+202E,
U+2066-U+2069, U+2028, backspaces, DEL; in the state also NUL and a lone CR, which a
digest file cannot carry (a NUL makes it binary, a CR a line break). They sit in every
field a layout fills (title, authors, abstract, keywords, categories, comments,
journal-ref, TL;DR), in a digest's file name, in a note and in tags. JSON may carry
them as escapes (``\\u001b``); nothing may carry them raw. CSV cells that a spreadsheet
would run as formulas are defused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.app_helpers import loaded, new_app
from tests.conftest import SHARED_DIGESTS
from tests.test_terminal import command
from tui_reader.store import StateStore

ATTACK = ("\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x07\x9b31m\u202eevil\u2066x\u2069"
          "\u2028\x08\x08\x7f")  # fmt: skip
STATE_ATTACK = ATTACK + "\x00nul\rlone-cr\r\n"
# Raw in any output: C0 but tab and line feed, DEL, C1, bidi controls, U+2028/U+2029.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                 "\u2028\u2029]")  # fmt: skip
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
FIRST = "2412.21188"
FORMATS = ("bibtex", "ris", "csl-json", "csv", "markdown")


def generator_digest() -> str:
    """The main layout: attacks in titles, authors, abstracts and keywords, and cells a
    spreadsheet would run."""
    papers = [
        (f"Sparse chaos {ATTACK} in circuits", f"Rainer Engelken, Eve {ATTACK}Mallory",
         f"Nerve impulses **sparse{ATTACK}** are generated {ATTACK} by an instability.", 21188),
        ('=HYPERLINK("http://evil.example","click")', "@SUM(1+1), -Minus Person",
         "+cmd|' /C calc'!A0 is an abstract that starts like a formula.", 20767),
        ("\t=1+1 after a tab", "\u200b=2+2 Zero Width", "-3+3 abstract", 20001),
    ]  # fmt: skip
    sections = [
        f"## {title}\n\n>Authors: {authors}\n\n>2024-12-30\n\n"
        f"> http://arxiv.org/abs/2412.{number}v1\n\n{abstract}\n"
        for title, authors, abstract, number in papers
    ]
    return "# 2025-01-03\n\n" + "\n".join(sections)


def with_attacks(text: str, labels: tuple[str, ...]) -> str:
    """``text`` with ATTACK at the end of every line that starts with one of ``labels``."""
    return re.sub(rf"^((?:{'|'.join(map(re.escape, labels))}).*)$", rf"\1{ATTACK}", text,
                  flags=re.MULTILINE)  # fmt: skip


@pytest.fixture
def digests(tmp_path) -> Path:
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "2025-01-03.md").write_text(generator_digest())
    # The same date again: the digests' labels then carry the file names.
    (folder / f"2025-01-03 {ATTACK}.md").write_text(generator_digest().replace("2412.", "2411."))
    email = (SHARED_DIGESTS / "formats" / "arxiv-listing-email.txt").read_text()
    labels = ("Title:", "Authors:", "Categories:", "Comments:", "Journal-ref:")
    (folder / "listing.txt").write_text(with_attacks(email, labels))
    ai_page = (SHARED_DIGESTS / "formats" / "ai-enhanced-daily.md").read_text()
    (folder / "ai.md").write_text(with_attacks(ai_page, ("**TL;DR**", "*", "Abstract:")))
    store = StateStore.open(Path(os.environ["DIGEST_READER_DB"]), background=False)
    store.set_starred([FIRST], True)
    store.set_note(FIRST, STATE_ATTACK)
    store.set_tags([FIRST], add=[f"tag{ATTACK}", "=formula-tag"])
    assert store.flush()
    store.close()
    return folder


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), *args], capture_output=True, timeout=120)


def assert_no_raw(data: bytes, where: str, *, crlf: bool = False) -> str:
    text = data.decode("utf-8")
    if crlf:
        text = text.replace("\r\n", "\n")
    found = RAW.search(text)
    if found is not None:
        around = text[max(0, found.start() - 60) : found.end() + 20]
        raise AssertionError(f"{where}: raw {found.group()!r} in ...{around!r}")
    return text


def commands(folder: Path) -> list[list[str]]:
    where = str(folder)
    return [
        ["list", where],
        ["list", where, "--json"],
        ["list", where, "--verbose"],
        ["list", where, "--sort", "title", "--query", "chaos OR formula"],
        ["list", "--starred"],
        ["list", "--starred", "--json"],
        ["list", "--noted", "--sort", "date"],
        ["list", "--tags"],
        ["list", "--tags", "--json"],
        ["list", str(folder / f"missing {ATTACK}.md")],
        ["list", where, "--query", f"({ATTACK}"],
        ["list", where, f"--no-such-option{ATTACK}"],  # argparse echoes it back
        ["mark", FIRST, "--read", "--digest", where],
        ["similar", FIRST, where, "-n", "3"],
        ["similar", FIRST, where, "-n", "3", "--json"],
        ["export"],  # the starred paper, from the state alone
        *(["export", where, "--all", "--format", fmt] for fmt in FORMATS),
    ]


def test_no_command_prints_a_raw_control_character(digests):
    for args in commands(digests):
        result = run(*args)
        assert b"Traceback" not in result.stderr, (args, result.stderr)
        assert_no_raw(result.stdout, f"stdout of {args}", crlf="csv" in args)
        assert_no_raw(result.stderr, f"stderr of {args}")


def test_plain_rows_show_the_attack_as_visible_pictures(digests):
    out = run("list", str(digests)).stdout.decode()
    assert "Sparse chaos \u241b[2J\u241b]0;pwned\u2407" in out  # ESC and BEL made visible
    rows = [line.split("\t") for line in out.splitlines()]
    assert all(len(row) == 3 for row in rows)  # a title's tab or line break is no column


def test_json_keeps_the_text_as_escapes(digests):
    rows = json.loads(run("list", str(digests), "--json").stdout)
    first = next(row for row in rows if row["id"] == FIRST)
    assert ATTACK in first["title"]  # the value itself is untouched
    assert first["note"] == STATE_ATTACK.strip()  # the store trims a note's ends


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_files_carry_no_raw_control_character(digests, tmp_path, fmt):
    target = tmp_path / f"refs.{fmt}"
    result = run("export", str(digests), "--all", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert_no_raw(result.stderr, f"stderr of export {fmt}")
    text = assert_no_raw(target.read_bytes(), f"export {fmt}", crlf=fmt == "csv")
    assert "pwned" in text and "evil" in text  # the printable rest of the text is kept
    if fmt == "csl-json":  # not even as a JSON escape: a reference manager would keep it
        for value in strings(json.loads(text)):
            assert RAW.search(value) is None, repr(value)


def strings(value: object):
    """Every string inside a parsed JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_csv_cells_never_start_a_formula(digests, tmp_path):
    text = run("export", str(digests), "--all", "--format", "csv").stdout.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    for cell in cells:
        visible = cell.lstrip(" \u00a0\u200b\u200c\u200d\u2060\ufeff")
        assert not visible.startswith(FORMULA), repr(cell)


def test_no_format_writes_none_or_null_for_a_missing_field():
    """The shared samples: no version (e-mail), no date (AI page), no abstract (table)."""
    for sample in sorted((SHARED_DIGESTS / "formats").iterdir()):
        if sample.suffix not in (".md", ".txt") or sample.name == "README.md":
            continue
        for fmt in FORMATS:
            result = run("export", str(sample), "--all", "--format", fmt)
            assert result.returncode == 0, result.stderr
            text = result.stdout.decode()
            assert not re.search(r"\bNone\b", text), (sample.name, fmt)
            if fmt == "csl-json":
                assert "null" not in text, sample.name
            if fmt == "csv" and sample.name == "arxiv-listing-email.txt":
                rows = list(csv.DictReader(io.StringIO(text)))
                assert rows and all(row["version"] == "" for row in rows)


async def test_the_clipboard_entry_carries_no_raw_control_character(digests, tmp_path):
    app = new_app(tmp_path, [digests / "2025-01-03.md"])
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        assert app.clipboard.startswith("@misc{")
        assert_no_raw(app.clipboard.encode(), "the BibTeX entry copied")
