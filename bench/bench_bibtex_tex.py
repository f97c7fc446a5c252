"""Build a generated BibTeX export with real bibtex (plain, unsrt, alpha) and biber.

Run from the repository root:  python bench/bench_bibtex_tex.py [N]   (default 1,000)

The papers: synthetic digests (``bench.synthetic``: math, ``%``, non-ASCII names, old
ids), the BibTeX benchmark's hard titles (acronyms, specials, emoji), and the cases
issue 11 found in real digests: accents on i and j, Vietnamese letters with two
accents, group authors (``Gemma Team``, ``DeepSeek-AI``), junk names (``:``), papers
without authors, ``**bold**`` title words, Hebrew. Each paper gets a note and tags.

For each style, ``bibtex`` runs on an ``.aux`` that cites every entry; ``biber
--tool`` reads and decodes every entry (biblatex's own run needs etoolbox, which the
three Debian packages do not bring); ``pdflatex`` typesets the plain-style
bibliography. Printed: errors and warnings of each tool (from their logs), biber's
broken characters, and the LaTeX errors of typesetting (each ``!`` line), for the
ASCII export and ``--utf8``.
``tests/test_bibtex_build.py`` asserts the errors are 0.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_bibtex import synthetic_papers
from bench.synthetic import generate_digest
from tui_reader.bibtex import assign_citation_keys, format_entries
from tui_reader.digest import parse_digest_text
from tui_reader.exporters import Entry
from tui_reader.model import Paper

STYLES = ("plain", "unsrt", "alpha")
HARD_AUTHORS = [
    ("Gemma Team", "Íñigo Martí"),
    ("DeepSeek-AI",),
    ("Nguyễn Văn Hoàng", "Phạm Tuấn", "Đỗ Thị Hồng Ngọc"),
    (":", "Ïsa Jïrí", ""),
    (),
    ("The ATLAS Collaboration", "Pál Erdős"),
    ("Yosef Ben-David", "דוד לוי"),
]
HARD_TITLES = [
    "Why **LLM** agents **fail**",
    "Qwen2.5 Technical Report",
    "Ĵacobi fields on Ǐsland manifolds",
    "Gemma 3: open models 🙂",
    "**Bold** start and $O(n^2)$ math",
]


def papers(n: int, seed: int = 11) -> list[Paper]:
    """``n`` papers: a third synthetic digests, the rest hard titles, some hard cases."""
    digest = parse_digest_text(generate_digest(n // 3, seed=seed), Path("gen.md")).papers
    rest = synthetic_papers(n - len(digest), seed=seed % 10)
    rng = random.Random(seed)
    out = list(digest)
    for i, paper in enumerate(rest):
        if i % 10 == 0:
            paper = dataclasses.replace(
                paper,
                authors=rng.choice(HARD_AUTHORS),
                title=rng.choice(HARD_TITLES) if i % 20 == 0 else paper.title,
            )
        out.append(paper)
    return out[:n]


def entries(n: int) -> list[Entry]:
    chosen = papers(n)
    keys = assign_citation_keys(chosen, {})
    rng = random.Random(5)
    notes = ["", "Read again.", "Line one\nline two & 50% of {it}", "@see §3, $x$ ~ y"]
    tags = [(), ("to-cite",), ("ml", "Müller's idea"), ("a_b", "50%")]
    return [Entry(p, keys[p.arxiv_id], rng.choice(notes), rng.choice(tags)) for p in chosen]


def available() -> bool:
    return all(shutil.which(tool) for tool in ("bibtex", "biber", "pdflatex"))


_BIBTEX_COUNT_RE = re.compile(r"\(There (?:were|was) (\d+) (error message|warning)s?\)")


def run_bibtex(folder: Path, style: str) -> tuple[int, int]:
    """``(errors, warnings)`` of bibtex with ``style`` over ``refs.bib`` in ``folder``."""
    name = f"cite-{style}"
    (folder / f"{name}.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="utf-8"
    )
    subprocess.run(["bibtex", name], cwd=folder, capture_output=True, timeout=600)
    log = (folder / f"{name}.blg").read_text(encoding="utf-8", errors="replace")
    counts = {"error message": 0, "warning": 0}
    for number, kind in _BIBTEX_COUNT_RE.findall(log):
        counts[kind] = int(number)
    return counts["error message"], counts["warning"]


DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""


def run_latex(folder: Path) -> list[str]:
    """The errors (``!`` lines) of typesetting the bibliography: pdflatex, bibtex, pdflatex."""

    def latex() -> str:
        subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "doc.tex"],
            cwd=folder,
            capture_output=True,
            timeout=600,
        )
        return (folder / "doc.log").read_text(encoding="utf-8", errors="replace")

    (folder / "doc.tex").write_text(DOCUMENT, encoding="utf-8")
    latex()
    subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, timeout=600)
    log = latex()
    return [line for line in log.splitlines() if line.startswith("! ")]


def run_biber(folder: Path) -> tuple[int, int, int, int]:
    """``(entries, errors, warnings, broken)`` of biber reading ``refs.bib`` (tool mode).

    biber decodes the LaTeX of every field to Unicode and writes it out again; a
    ``broken`` character is a combining mark left over after NFC, as biber makes of
    ``{\\'\\i}`` (a dotless i under an acute accent).
    """
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file=out.bib", "refs.bib"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    errors = sum(line.startswith("ERROR") or " ERROR - " in line for line in lines)
    warnings = sum(line.startswith("WARN") or " WARN - " in line for line in lines)
    out = folder / "out.bib"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    normal = unicodedata.normalize("NFC", text)
    broken = sum(unicodedata.combining(char) > 0 for char in normal)
    entries = len(re.findall(r"^@[A-Z]+\{", text, re.MULTILINE))  # @MISC, @ARTICLE, ...
    return entries, errors, warnings, broken


def build(text: str, folder: Path) -> dict[str, object]:
    """Every figure for one ``refs.bib`` text, built in ``folder``."""
    (folder / "refs.bib").write_text(text, encoding="utf-8")
    figures: dict[str, object] = {style: run_bibtex(folder, style) for style in STYLES}
    figures["biber"] = run_biber(folder)
    figures["latex"] = run_latex(folder)
    return figures


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if not available():
        sys.exit("needs bibtex, biber and pdflatex (texlive-latex-base texlive-bibtex-extra biber)")
    items = entries(n)
    for utf8 in (False, True):
        warnings: list[str] = []
        text = format_entries(items, utf8=utf8, warnings=warnings)
        with tempfile.TemporaryDirectory() as folder:
            figures = build(text, Path(folder))
        print(f"{n:,} papers, {'--utf8' if utf8 else 'ASCII'}: {len(warnings)} export warnings")
        for style in STYLES:
            errors, warns = figures[style]  # type: ignore[misc]
            print(f"  bibtex {style:<6} {errors} errors, {warns} warnings")
        read, errors, warns, broken = figures["biber"]  # type: ignore[misc]
        print(f"  biber         {errors} errors, {warns} warnings, {broken} broken characters"
              f" ({read} entries read)")  # fmt: skip
        latex_errors: list[str] = figures["latex"]  # type: ignore[assignment]
        print(f"  pdflatex      {len(latex_errors)} errors (plain style, T1 fonts)")
        for line in sorted(set(latex_errors))[:5]:
            print(f"                {line}")


if __name__ == "__main__":
    main()
