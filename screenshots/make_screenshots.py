"""Make the SVG screenshots in this folder from the bundled sample digest.

    python screenshots/make_screenshots.py

Uses the app factory on a throwaway state file with a few papers already judged, so
the screens show what a reader mid-triage sees.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.synthetic import write_digests  # noqa: E402
from tui_reader.locations import sample_digest_path  # noqa: E402
from tui_reader.store import StateStore  # noqa: E402
from tui_reader.ui.app import make_app  # noqa: E402

SHOTS = {
    # name: (size, keys pressed after loading)
    "main": ((130, 36), ["j", "j", "j", "j", "j", "j"]),
    "search": ((130, 36), ["slash", *"quantiz", "enter"]),
    "note": ((130, 36), ["j", "j", "j", "j", "j", "n", *"Compare with 3DGS-free SfM"]),
    "help": ((130, 40), ["question_mark"]),
    "narrow-80x24": ((80, 24), ["j", "j", "j", "j", "j", "j", "j", "j"]),
    # Reading at 80x24: space gives the list's rows to the paper.
    "reading-80x24": ((80, 24), ["j", "j", "j", "j", "j", "space"]),
    "main-120x36": ((120, 36), ["J", "J"]),
    "wide-200x60": ((200, 60), ["J", "J", "J"]),
    # Tags (set in prepared_store), sorted by title, three papers selected.
    "organise": ((130, 36), ["O", "O", "x", "x", "j", "x", "g", *"jjjjj"]),
    # The "for you" order learned from the prepared stars and reads, with its why-line:
    # y lands on the best unjudged paper; the judged ones close the list, marked.
    "for-you": ((130, 36), ["y"]),
}
# Twelve synthetic daily digests (bench.synthetic), to show the digest dividers.
MANY = {
    "many-digests": ((120, 36), ["right_square_bracket", "right_square_bracket", "j"]),
    "digest-picker": ((120, 36), ["right_square_bracket", "right_square_bracket", "D", "0"]),
    # At 80 columns the header keeps the filter, search, sort and selection in sight.
    "header-80x24": ((80, 24), ["f", "slash", *"author:chen", "enter", "O", "x", "x"]),
}


def prepared_store(folder: Path) -> StateStore:
    store = StateStore.open(folder / "state.json", background=False)
    store.set_read(["2412.21188", "2412.21140", "2412.21102"], True)
    store.set_starred(["2412.20891", "2412.20767"], True)
    store.set_note("2412.20891", "Tensor adaptation; try against LoRA baseline.")
    store.set_tags(["2412.21140", "2412.20891"], add=["to-cite"])
    store.set_tags(["2412.20891"], add=["tensors"])
    return store


async def shoot(
    name: str, size: tuple[int, int], keys: list[str], folder: Path, paths: list[Path]
) -> Path:
    store = prepared_store(folder)
    app = make_app(paths, store, words=("LLM",), read_after=60.0, restore=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            if key in ("O", "y"):  # a sort or a ranking settles in a worker first
                await app.workers.wait_for_complete()
        # Not wait_for_complete(): the note editor's worker waits for the dialog.
        await pilot.pause(0.5)
        app.clear_notifications()
        await pilot.pause()
        path = HERE / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(HERE))
    store.close()
    return path


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        many = sorted(write_digests(240, Path(scratch) / "digests", days=12, seed=3))
        for shots, paths in ((SHOTS, [sample_digest_path()]), (MANY, many)):
            for name, (size, keys) in shots.items():
                folder = Path(scratch) / name
                folder.mkdir()
                print(await shoot(name, size, keys, folder, paths))


if __name__ == "__main__":
    asyncio.run(main())
