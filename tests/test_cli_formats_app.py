"""The app opens a folder of every layout plus files that are not digests."""

from __future__ import annotations

from tests.app_helpers import loaded, new_app
from tests.test_cli_formats import EXPECTED_PAPERS, mixed_folder  # noqa: F401  (fixture)
from tui_reader.digest import ordered_digest_files


async def test_the_app_opens_a_mixed_folder_and_names_the_skipped_files(
    tmp_path,
    mixed_folder,  # noqa: F811
):
    app = new_app(tmp_path, ordered_digest_files([mixed_folder]))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.triage.papers) == EXPECTED_PAPERS
        seen = "\n".join(app.notifications_seen)
        for name in ("README.md", "binary.md", "empty.md"):
            assert str(mixed_folder / name) in seen
        assert "No papers could be loaded" not in seen
