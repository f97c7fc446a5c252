"""Digests made to be too large to show: one paper per way a text can be huge.

``huge_digest(scale=1.0) -> str`` is a digest of the main layout whose papers, in
order, are a small ordinary paper (so the app starts on it), then papers with: one
10 MB line of abstract; 100,000 short paragraphs; a 1 MB title; 100,000 authors;
50,000 keywords; math nested or unbalanced 100,000 deep (``$``, ``\\(``,
``\\frac{``, braces); Markdown the same (``**``, brackets, backticks, HTML).
``FAMILIES`` names them, each name the start of its title. ``scale`` shrinks every
size, for quicker tests.
"""

from __future__ import annotations

FAMILIES = (
    "Small paper",
    "Huge line",
    "Many short lines",
    "Huge title",
    "Huge author list",
    "Huge keyword list",
    "Nested math",
    "Nested markdown",
)
_WORDS = "sparse attention **model** of $x^2$ neural data results show the".split()


def _words(characters: int) -> str:
    count = characters // 7 + 1
    return " ".join(_WORDS[i % len(_WORDS)] for i in range(count))


def _section(number: int, title: str, authors: str, abstract: str) -> str:
    return (
        f"## {title}\n\n>Authors: {authors}\n\n>2024-12-30\n\n"
        f"> http://arxiv.org/abs/2412.{20000 + number}v1\n\n{abstract}\n"
    )


def huge_digest(scale: float = 1.0) -> str:
    def n(count: int) -> int:
        return max(1, int(count * scale))

    plain = "A. Author, B. Author"
    math = " ".join(
        ["$" * n(100_000), "\\(" * n(50_000), "$" + "\\frac{" * n(50_000) + "$",
         "{" * n(100_000), "$" + "x^{" * n(50_000) + "$", "\\textbf{" * n(50_000)]
    )  # fmt: skip
    markdown = " ".join(
        ["**" * n(100_000), "[" * n(100_000), "`" * n(100_000), "*_" * n(100_000),
         "](" * n(50_000), "<details>" * n(10_000)]
    )  # fmt: skip
    sections = [
        _section(0, "Small paper", plain, "A short abstract."),
        _section(1, "Huge line", plain, _words(n(10_000_000))),
        _section(2, "Many short lines", plain, "\n\n".join(["a b"] * n(100_000))),
        _section(3, "Huge title " + _words(n(1_000_000)), plain, "An abstract."),
        _section(
            4,
            "Huge author list",
            ", ".join(f"Author {i}" for i in range(n(100_000))),
            "An abstract.",
        ),
        _section(5, "Huge keyword list", plain, " ".join(f"**kw{i}**" for i in range(n(50_000)))),
        _section(6, "Nested math", plain, math),
        _section(7, "Nested markdown", plain, markdown),
    ]
    return "# 2025-01-03\n\n" + "\n".join(sections)
