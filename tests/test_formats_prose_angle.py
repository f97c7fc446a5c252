"""A ``<`` of prose (``(<1%)``, ``<1%`` at a wrapped line's start) is not an HTML tag.

The generic reader ended a list item at a line that starts with ``<`` (meant for a
``<details>`` line), and took a mention after a ``<`` with no ``>`` after it for a tag's
attribute (so never a citation): an abstract saying "(<1%)" lost its text after a
wrapped line, or made the id it cites look like the paper's.
"""

from __future__ import annotations

from pathlib import Path

from tui_reader.formats import arxiv_links
from tui_reader.formats.ids import mentions
from tui_reader.formats.lines import Lines, line_numbers, opens_tag
from tui_reader.formats.slots import Slots

ABSTRACT = (
    "We prune attention heads with a learned gate and keep accuracy within one point while\n"
    "<1% of the heads stay active at long context, and the gate costs (<1%) of the\n"
    "training time, which makes pruning cheap enough to run at every checkpoint."
)


def _item(number: int, abstract: str) -> str:
    """An awesome-list item; the abstract's wrapped lines are lazy (not indented)."""
    return (
        f"- **[Pruned Heads, Part {number}](https://arxiv.org/abs/2509.0406{number})**"
        f"  `arXiv:2509.0406{number}`  `cs.LG`\n"
        f"  _Ana Li, Bo Chen, Carla Diaz_\n"
        f"  <details open><summary>Abstract</summary>\n  {abstract}\n  </details>\n\n"
    )


def test_a_wrapped_line_that_starts_with_less_than_stays_in_the_abstract():
    text = "# Pruning papers\n\n" + "".join(_item(n, ABSTRACT) for n in range(1, 4))
    papers = arxiv_links.read(text, Path("awesome.md")).papers
    assert [p.arxiv_id for p in papers] == ["2509.04061", "2509.04062", "2509.04063"]
    for paper in papers:
        assert paper.abstract == " ".join(ABSTRACT.split())
        assert paper.authors == ("Ana Li", "Bo Chen", "Carla Diaz")


def test_an_id_cited_after_a_less_than_sign_is_a_citation():
    text = (
        "## Cheap Gates for Pruning\n\n"
        "[PDF](https://arxiv.org/pdf/2509.04061)\n\n"
        "The gate costs (<1%) of the training time of the pruning method of\n"
        "arXiv:2401.00011 and keeps its accuracy on every benchmark we tried.\n"
    )
    found = mentions(text)
    page = Lines(text)
    slots = Slots(text, page, found, line_numbers(text, [m.start for m in found]))
    assert [m.arxiv_id for m in found] == ["2509.04061", "2401.00011"]
    assert [slots.citing(index) for index in range(2)] == [False, True]


def test_opens_tag_tells_tags_from_prose():
    assert all(map(opens_tag, ["<details>", "</td>", "<!-- x -->", "<b>", "<"]))
    assert not any(map(opens_tag, ["<1%", "< 5", "<=2", "<-", "(<1%)", "a <b>"]))
