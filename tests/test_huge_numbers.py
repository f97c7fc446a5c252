"""Numbers of 5,000 digits in a digest (versions, dates, list numbers): a warning, no
traceback, every paper kept.

Python refuses to turn more than 4,300 digits into an int (``int("9" * 5000)`` raises),
so every ``int()`` on digest text was a crash. A version of more than
``MAX_VERSION_DIGITS`` digits is dropped (the paper is kept without a version, and a
warning says so); dates and list numbers that are not real are ignored as before.
Each layout's sample, with its numbers blown up, goes through every command as
installed.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.app_helpers import detail_text, loaded, new_app
from tests.conftest import SHARED_DIGESTS
from tests.test_terminal import command
from tui_reader.model import parse_arxiv_id

HUGE = "9" * 5000
SAMPLES = [SHARED_DIGESTS / "2025-01-03.md",
           *sorted(p for p in (SHARED_DIGESTS / "formats").iterdir()
                   if p.suffix in (".md", ".txt") and p.name != "README.md")]  # fmt: skip
MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"


def blown_up(text: str) -> str:
    """``text`` with every arXiv id given a 5,000-digit version, every ISO date and
    mail date a year of thousands of digits, and every ``[n]`` 5,000 digits."""
    text = re.sub(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\dv])", rf"\1v{HUGE}", text)
    text = re.sub(r"\b\d{4}-(\d{2})-(\d{2})\b", rf"{HUGE}-\1-\2", text)
    text = re.sub(rf"\b(\d{{1,2}}) ({MONTH}) \d{{4}}\b", r"\1 \2 " + "9" * 20, text)
    return re.sub(r"\[\d+\]", f"[{HUGE}]", text)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(params=SAMPLES, ids=lambda path: path.name)
def sample(request, tmp_path) -> tuple[Path, Path]:
    original: Path = request.param
    huge = tmp_path / original.name
    huge.write_text(blown_up(original.read_text(encoding="utf-8")), encoding="utf-8")
    return original, huge


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return result


def test_every_command_keeps_every_paper_of_a_digest_of_huge_numbers(sample):
    original, huge = sample
    expected = json.loads(ok(run("list", str(original), "--json")).stdout)
    rows = json.loads(ok(run("list", str(huge), "--json")).stdout)
    assert [row["id"] for row in rows] == [row["id"] for row in expected]
    assert all(row["version"] is None for row in rows)
    assert len(ok(run("list", str(huge))).stdout.splitlines()) == len(expected)
    every_format = original.name == "2025-01-03.md"  # the others: two formats, to save time
    for fmt in (
        ("bibtex", "ris", "csl-json", "csv", "markdown") if every_format else ("bibtex", "csv")
    ):
        text = ok(run("export", str(huge), "--all", "--format", fmt)).stdout
        assert all(row["id"] in text for row in expected), fmt
        assert HUGE[:50] not in text  # the digits went nowhere
    verbose = ok(run("list", str(huge), "--verbose")).stderr
    if any(row["version"] for row in expected):  # a layout that carries versions
        assert "is not a version; the paper is kept without one" in verbose
        assert "(5,000 digits)" in verbose


async def test_the_app_shows_a_paper_whose_version_has_5000_digits(tmp_path):
    digest = tmp_path / "2025-01-03.md"
    digest.write_text(blown_up((SHARED_DIGESTS / "2025-01-03.md").read_text()))
    app = new_app(tmp_path, [digest])
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.triage.papers) == 30
        text = detail_text(app)
        assert "2412.21188  https://arxiv.org/abs/2412.21188" in text
        assert HUGE[:50] not in text


def test_a_version_is_a_number_of_at_most_six_digits():
    from tui_reader.model import MAX_VERSION_DIGITS, version_number

    assert version_number("2") == 2 and version_number("9" * MAX_VERSION_DIGITS) == 999999
    assert version_number("9" * (MAX_VERSION_DIGITS + 1)) is None
    assert version_number(HUGE) is None and version_number(None) is None
    assert parse_arxiv_id(f"2412.21188v{HUGE}") == ("2412.21188", None)
    assert parse_arxiv_id(f"https://arxiv.org/abs/2412.21188v{HUGE}") == ("2412.21188", None)
