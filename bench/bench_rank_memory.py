"""Memory of the "for you" ranking: peak RSS of each step the app's worker takes.

    python bench/bench_rank_memory.py                  # 100,000 synthetic papers
    python bench/bench_rank_memory.py --digest bench/out/digest-100000.md

Loads the papers (generated as ``bench_rank.py``'s speed part does: 8 topics, daily
digests of 200; or ``--digest``, e.g. the file ``bench_app.py`` opens), then runs a
``RankingService`` (no Textual) through what the app does once loading ends, one step
at a time, and reports the process's resident memory after the step and its peak
during the step (VmHWM, reset before each step through ``/proc/self/clear_refs``):

* libraries: importing scikit-learn and scipy (``load_libraries``);
* count: the terms of every paper, ``COUNT_CHUNK`` at a time, as the worker counts;
* fit, no judgements: the keyword fallback (a fresh state file);
* fit, JUDGED judged: the first JUDGED papers judged (starred: a title with a word of
  the first topic), so the TF-IDF features are made and the classifier trained;
* similar: ``similar`` of one paper.

Also the sizes of the term counts and of the features' weights. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import TOPICS, write_digests
from tui_reader.digest import load_library
from tui_reader.ranking.service import RankedPapers, RankingService, load_libraries


def memory_mb() -> tuple[float, float]:
    """(resident, peak since the last reset) of this process, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024 / 1e6
    return fields["VmRSS"], fields["VmHWM"]


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def step(name: str, action) -> None:
    resets = reset_peak()
    cpu = time.process_time()
    action()
    cpu = time.process_time() - cpu
    resident, peak = memory_mb()
    label = "peak" if resets else "peak since start"
    print(f"| {name} | {resident:.0f} | {peak:.0f} ({label}) | {cpu:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--judged", type=int, default=10_000)
    parser.add_argument("--digest", type=Path, help="a digest to load instead of generating")
    args = parser.parse_args()
    if args.digest:
        papers = load_library([args.digest]).papers
    else:
        with tempfile.TemporaryDirectory(prefix="bench-rank-memory-") as tmp:
            write_digests(args.papers, Path(tmp), days=args.papers // 200, topics=len(TOPICS))
            papers = load_library([Path(tmp)]).papers
    words = set(TOPICS[0][0].split())
    judged = {
        paper.arxiv_id: SimpleNamespace(
            read=True, starred=bool(words & set(paper.title.lower().split()))
        )
        for paper in papers[: args.judged]
    }
    unjudged = SimpleNamespace(read=False, starred=False)
    judging = False

    def state_of(arxiv_id: str):
        return judged.get(arxiv_id, unjudged) if judging else unjudged

    results: list = []
    service = RankingService(state_of, publish=results.append, count_pause=0)
    resident, peak = memory_mb()
    print(f"\n## Memory of the ranking's steps: {len(papers)} papers\n")
    print(f"Papers loaded: {resident:.0f} MB resident, {peak:.0f} MB peak so far.\n")
    print("| step | resident MB after | peak MB during | CPU s |\n|---|---:|---:|---:|")
    step("import scikit-learn, scipy", load_libraries)

    def count() -> None:
        service.add_papers(papers)
        service.run(until_idle=True)

    def fit() -> None:
        service.request_fit()
        service.run(until_idle=True)
        assert isinstance(results[-1], RankedPapers)

    step("count terms", count)
    step("fit, no judgements (keyword fallback)", fit)
    assert results[-1].ranking.method == "keywords"
    judging = True
    step(f"fit, {len(judged)} judged (features made, classifier)", fit)
    assert results[-1].ranking.method == "model", results[-1].ranking.detail

    def similar() -> None:
        service.request_similar(len(papers) - 1, 20)
        service.run(until_idle=True)

    step("similar, one paper", similar)
    # The sizes of what the service keeps (its private state: this is its bench).
    counts = service._terms.matrix()
    weights = service._features.matrix.data
    print(
        f"\nTerm counts: {counts.nnz:,} entries, "
        f"{(counts.data.nbytes + counts.indices.nbytes + counts.indptr.nbytes) / 1e6:.0f} MB "
        f"({counts.data.dtype} counts, {counts.indices.dtype} columns); "
        f"features' own weights: {weights.nbytes / 1e6:.0f} MB ({weights.dtype})."
    )


if __name__ == "__main__":
    main()
