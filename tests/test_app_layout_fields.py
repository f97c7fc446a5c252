"""Each layout's own fields in the app's detail pane, on a folder of every layout."""

from __future__ import annotations

from tests.app_helpers import loaded, new_app
from tests.test_cli_formats import EXPECTED_PAPERS, mixed_folder  # noqa: F401  (fixture)
from tui_reader.digest import ordered_digest_files
from tui_reader.ui.paper_fields import NO_ABSTRACT, REPLACEMENT_NO_ABSTRACT


async def show(pilot, arxiv_id: str) -> list[str]:
    """Put the cursor on a paper; the pane's lines as drawn (wrapped, on screen)."""
    screen = pilot.app.screen
    screen.paper_list.move_to(screen.triage.position_of(arxiv_id))
    await pilot.pause()
    detail = screen.detail
    assert detail.model.paper.arxiv_id == arxiv_id
    return [line.text.rstrip() for line in detail._lines]


def field(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.startswith(label))[10:]


async def test_every_layout_shows_its_own_fields(tmp_path, mixed_folder):  # noqa: F811
    app = new_app(tmp_path, ordered_digest_files([mixed_folder]))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.triage.papers) == EXPECTED_PAPERS

        # The AI-summary page: the TL;DR right above the abstract, the category.
        lines = await show(pilot, "2506.07001")
        tldr = lines.index("TL;DR")
        assert lines[tldr + 1].startswith("A night-time dehazing network guided by")
        abstract = next(n for n, line in enumerate(lines) if line.startswith("We study dehazing"))
        assert tldr < abstract and "Note" not in lines[tldr:abstract]
        assert field(lines, "Subjects") == "cs.CV"
        assert field(lines, "arXiv").startswith("2506.07001  https://arxiv.org/abs/2506.07001")

        # arXiv's e-mail: no version (never "vNone"), categories, comments, journal-ref.
        lines = await show(pilot, "2501.03098")
        assert field(lines, "arXiv").startswith("2501.03098  https://")
        assert not any("vNone" in line for line in lines)
        assert field(lines, "Subjects") == "cs.CL"
        assert field(lines, "Comments") == "Accepted at ECIR 2025"
        assert field(lines, "Journal") == "Proc. ECIR 2025, pp. 1-15"
        lines = await show(pilot, "2412.18804")
        assert field(lines, "Subjects") == "stat.ML, cs.LG  (cross-listed here)"
        lines = await show(pilot, "2410.11520")
        assert lines[-1] == REPLACEMENT_NO_ABSTRACT
        assert pilot.app.screen.detail.text.endswith(f"\n{REPLACEMENT_NO_ABSTRACT}")
        assert field(lines, "Comments") == "v3: added ablations"

        # A topic table: topics, the code link as text, "no abstract" said plainly.
        lines = await show(pilot, "2503.10021")
        assert field(lines, "Topics") == "Point Cloud"
        assert field(lines, "Code") == "https://github.com/example/voxel-tides"
        assert lines[-1] == NO_ABSTRACT

        # The badge form: keywords recovered from the badges, the version kept.
        lines = await show(pilot, "2509.01234")
        assert field(lines, "Keywords") == "decoding, LLM, KV, cache"
        assert field(lines, "arXiv").startswith("2509.01234v2  ")
        assert not any("![" in line for line in lines)


async def test_the_code_link_is_not_a_link_and_the_arxiv_link_is(tmp_path, mixed_folder):  # noqa: F811
    app = new_app(tmp_path, ordered_digest_files([mixed_folder]))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await show(pilot, "2503.10021")
        links = {
            segment.style.link
            for line in pilot.app.screen.detail._lines
            for segment in line
            if segment.style and segment.style.link
        }
        assert links == {"https://arxiv.org/abs/2503.10021"}


async def test_below_30_rows_an_email_paper_shows_its_bare_id(tmp_path, mixed_folder):  # noqa: F811
    app = new_app(tmp_path, ordered_digest_files([mixed_folder]))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lines = await show(pilot, "2501.03098")
        assert any(line.startswith("2501.03098 · ") for line in lines)
        assert not any("vNone" in line for line in lines)


async def test_below_30_rows_the_arxiv_fields_wrap_and_nothing_is_cut(tmp_path, mixed_folder):  # noqa: F811
    """At 80x24 every field can be seen (issue 20): the layout's fields follow the
    metadata, wrapped, never cut with an ellipsis."""
    app = new_app(tmp_path, ordered_digest_files([mixed_folder]))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lines = await show(pilot, "2501.03098")
        meta = lines[1 : lines.index("")]  # after the title, up to the abstract
        first = next(n for n, line in enumerate(meta) if line.startswith("Subjects "))
        fields = " ".join(meta[first:])  # the layout's fields, wrapped over two lines
        assert "Subjects cs.CL · Comments Accepted at ECIR 2025 · Journal Proc. ECIR 2025," in (
            fields
        )
        assert fields.endswith("pp. 1-15") and not any("…" in line for line in meta)
        lines = await show(pilot, "2412.21188")  # the main layout: nothing more to show
        assert len(lines[1 : lines.index("")]) == 2  # the authors, then the id line
