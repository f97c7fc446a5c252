"""The metadata cache beside the state file: append-only, damaged lines skipped, never
written where it is not ours, never written offline, the state file never touched."""

from __future__ import annotations

import os
import threading

import pytest

from tui_reader.online.cache import ARXIV, VENUE, CacheError, CacheLine, MetadataCache, cache_path
from tui_reader.online.records import ArxivRecord, Venue

RECORD = ArxivRecord("2412.20930", 1, "QAHAN: A Quantum Annealing Hard Attention Network",
                     ("Ren-Xin Zhao",), "abstract", "cs.LG", ("cs.LG", "quant-ph"))  # fmt: skip
VENUE_RECORD = Venue("conference", "AAAI Conference on Artificial Intelligence", 2025,
                     pages="18433-18441")  # fmt: skip


def test_the_cache_lives_beside_the_state_file(tmp_path):
    assert cache_path(tmp_path / "state.json") == tmp_path / "state.json.metadata.jsonl"


def test_answers_survive_a_reload_and_the_last_line_wins(tmp_path):
    path = tmp_path / "m.jsonl"
    cache = MetadataCache(path)
    cache.add([CacheLine("2412.20930", ARXIV, 1.0, RECORD),
               CacheLine("2501.99999", ARXIV, 1.0, None)])  # fmt: skip
    cache.add([CacheLine("2412.20930", VENUE, 2.0, VENUE_RECORD)])
    newer = ArxivRecord("2412.20930", 2, "QAHAN v2", ("Ren-Xin Zhao",), "abstract")
    cache.add([CacheLine("2412.20930", ARXIV, 3.0, newer)])
    again = MetadataCache(path)
    assert again.load() == []
    meta = again.metadata("2412.20930")
    assert meta.arxiv == newer and meta.venue == VENUE_RECORD
    assert again.answered("2501.99999", ARXIV) and again.metadata("2501.99999") is None
    assert not again.answered("2501.99999", VENUE)
    assert set(again.all()) == {"2412.20930"}
    assert len(path.read_bytes().splitlines()) == 4


def test_damaged_lines_are_skipped_with_a_warning_and_appends_start_afresh(tmp_path):
    path = tmp_path / "m.jsonl"
    MetadataCache(path).add([CacheLine("2412.20930", ARXIV, 1.0, RECORD)])
    with open(path, "ab") as handle:
        handle.write(b'{"id": "x", "source": "arxiv", "fetched": 1, "record": {"title": 5}}\n')
        handle.write(b"not json\n")
        handle.write(b'{"id": "2501.00001", "source": "arxiv", "fetched": 1, "rec')  # torn
    cache = MetadataCache(path)
    warnings = cache.load()
    assert len(warnings) == 3
    assert (
        warnings[2] == "m.jsonl:4: damaged line skipped (cut short (the last write did not finish))"
    )
    assert cache.metadata("2412.20930").arxiv == RECORD
    cache.add([CacheLine("2501.00002", ARXIV, 2.0, None)])
    reread = MetadataCache(path)
    assert len(reread.load()) == 3  # the torn line stays damaged; the new one is whole
    assert reread.answered("2501.00002", ARXIV)


def test_a_read_only_cache_never_creates_the_file(tmp_path):
    path = tmp_path / "m.jsonl"
    cache = MetadataCache(path, writable=False)
    cache.add([CacheLine("2412.20930", ARXIV, 1.0, RECORD)])
    assert not path.exists() and cache.metadata("2412.20930").arxiv == RECORD


def test_a_symlink_is_never_written_through(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("not ours\n")
    link = tmp_path / "m.jsonl"
    link.symlink_to(target)
    cache = MetadataCache(link)
    with pytest.raises(CacheError, match="symlink"):
        cache.add([CacheLine("2412.20930", ARXIV, 1.0, RECORD)])
    assert target.read_text() == "not ours\n"
    assert cache.metadata("2412.20930") is not None  # kept in memory all the same


def test_a_fifo_is_neither_read_nor_written_and_nothing_blocks(tmp_path):
    fifo = tmp_path / "m.jsonl"
    os.mkfifo(fifo)
    cache = MetadataCache(fifo)
    done = threading.Event()

    def use() -> None:
        assert "FIFO" in cache.load()[0]
        with pytest.raises(CacheError, match="FIFO"):
            cache.add([CacheLine("2412.20930", ARXIV, 1.0, RECORD)])
        done.set()

    thread = threading.Thread(target=use, daemon=True)
    thread.start()
    thread.join(30)
    assert done.is_set()


def test_a_device_and_a_folder_are_refused(tmp_path):
    with pytest.raises(CacheError, match="device"):
        MetadataCache(__import__("pathlib").Path("/dev/null")).add(
            [CacheLine("2412.20930", ARXIV, 1.0, RECORD)]
        )
    folder = tmp_path / "m.jsonl"
    folder.mkdir()
    with pytest.raises(CacheError, match="folder"):
        MetadataCache(folder).add([CacheLine("2412.20930", ARXIV, 1.0, RECORD)])


def test_the_state_file_is_never_touched(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"papers": {}}')
    before = os.stat(state)
    cache = MetadataCache(cache_path(state))
    cache.load()
    cache.add([CacheLine("2412.20930", ARXIV, 1.0, RECORD)])
    after = os.stat(state)
    assert (before.st_mtime_ns, before.st_size, before.st_ino) == (
        after.st_mtime_ns, after.st_size, after.st_ino)  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.metadata.jsonl"]
