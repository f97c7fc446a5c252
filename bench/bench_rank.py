"""Benchmark the "for you" ranking: its quality for simulated readers, and its speed.

Run from the repository root:  python bench/bench_rank.py [--quick] [--skip-speed]

Quality, synthetic. ``bench.synthetic`` writes WEEKS weekly digests of PER_WEEK papers
in 8 topics (``topics=8``); they are parsed as the app parses them. Each simulated
reader likes one topic: reading a digest, they star that topic's papers and leave the
others read but unstarred. Two protocols, each comparing three orders of a digest's
papers -- the model's ("for you": ``RelevanceModel`` trained on the judgements so far),
the digest's own order, and the keyword fallback (``keyword_ranking``: digest keywords,
those of starred papers counting double) trained on the same judgements:

* reference (the issue's): train on the first TRAIN_WEEKS weeks, rank each later week;
* online: read the digests in date order; at each new digest, rank it with what was
  judged before it, then read it.

Per digest it records precision@10 and average precision (AP: the mean, over the
digest's papers of the topic, of the precision at each one's rank); the tables give
their means over digests (MAP), per reader. TF-IDF is built once over every digest, as
the app builds it over the digests it opened (it uses no judgement).

Quality, the bundled sample (one digest of 30 papers): a "topic" is a digest keyword
(papers whose bold keywords include it). Reading order is shuffled with fixed seeds;
the reader reads 15 papers, stars those of the topic, and the other 15 are ranked.

Speed: N synthetic papers; TF-IDF built once (what the app does when digests are
opened), then training on the first JUDGED papers and scoring all N (what it does
after each star), then ordering all N, ``why`` and ``similar`` for one paper. CPU time
is the process's user+system time (``time.process_time``); wall time beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import TOPICS, generate_labelled_digest, write_digests
from tui_reader.digest import load_library
from tui_reader.locations import sample_digest_path
from tui_reader.model import Paper
from tui_reader.ranking import RelevanceModel, TextFeatures, keyword_ranking, term_counts
from tui_reader.ranking.model import DEFAULT_C

ORDERS = ("model", "digest", "keywords")
COLUMNS = [f"{m} {o}" for m in ("MAP", "P@10") for o in ("for you", "digest", "keywords")]


def table_header(*first: str, last: tuple[str, ...] = ()) -> str:
    names = [*first, *COLUMNS, *last]
    rule = "|---" + "|---:" * (len(names) - 1) + "|"
    return "| " + " | ".join(names) + " |\n" + rule


def cells(values: Sequence[float]) -> str:
    return " | ".join(f"{value:.2f}" for value in values)


def average_precision(order: Sequence[int], relevant: set[int]) -> float:
    hits, total = 0, 0.0
    for rank, index in enumerate(order, 1):
        if index in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def precision_at(order: Sequence[int], relevant: set[int], k: int = 10) -> float:
    top = order[:k]
    return sum(1 for index in top if index in relevant) / len(top)


def rank_three_ways(
    papers: Sequence[Paper],
    features: TextFeatures,
    judgements: dict[int, bool],
    shown: list[int],
    c: float,
) -> dict[str, list[int]]:
    model = RelevanceModel(c=c).fit(papers, judgements, features=features)
    fallback = keyword_ranking(papers, judgements)
    return {"model": model.order(shown), "digest": shown, "keywords": fallback.order(shown)}


class Scores:
    """AP and precision@10 of each order, per digest, for one reader and protocol."""

    def __init__(self) -> None:
        self.ap: dict[str, list[float]] = {name: [] for name in ORDERS}
        self.p10: dict[str, list[float]] = {name: [] for name in ORDERS}

    def add(self, orders: dict[str, list[int]], relevant: set[int]) -> None:
        if not relevant:
            return  # AP is undefined for a digest without a paper of the topic
        for name, order in orders.items():
            self.ap[name].append(average_precision(order, relevant))
            self.p10[name].append(precision_at(order, relevant))

    def means(self) -> dict[str, tuple[float, float]]:
        return {n: (statistics.fmean(self.ap[n]), statistics.fmean(self.p10[n])) for n in ORDERS}


def weekly_library(weeks: int, per_week: int, seed: int, folder: Path):
    start = dt.date(2024, 1, 5)
    labels: dict[str, int] = {}
    for week in range(weeks):
        date = start + dt.timedelta(weeks=week)
        text, week_labels = generate_labelled_digest(
            per_week, seed=seed + week, date=date, first_index=week * per_week, topics=len(TOPICS)
        )
        (folder / f"{date.isoformat()}.md").write_text(text, encoding="utf-8")
        labels |= week_labels
    library = load_library([folder])
    by_week: dict[dt.date | None, list[int]] = {}
    for index, paper in enumerate(library.papers):
        by_week.setdefault(paper.digests[0].date, []).append(index)
    weeks_in_order = [by_week[key] for key in sorted(by_week)]
    topic = [labels[paper.arxiv_id] for paper in library.papers]
    return library.papers, weeks_in_order, topic


def synthetic_quality(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-rank-") as tmp:
        papers, weeks, topic = weekly_library(args.weeks, args.per_week, args.seed, Path(tmp))
    started = time.perf_counter()
    features = TextFeatures.build(papers)
    print(
        f"\n## Synthetic: {len(weeks)} weekly digests, {len(papers)} papers, {len(TOPICS)} "
        f"topics (seed {args.seed}); TF-IDF {features.matrix.shape[1]} terms in "
        f"{time.perf_counter() - started:.1f} s"
    )
    for c in args.c:
        print(f"\nLinearSVC C = {c}")
        for protocol in ("reference", "online"):
            if protocol == "reference":
                what = f"trained on weeks 1-{args.train_weeks}, ranking the later weeks"
            else:
                what = f"ranking weeks 2-{len(weeks)}, each with the weeks before it"
            print(f"\n{protocol} protocol ({what}):\n")
            print(table_header("reader's topic", "share"))
            totals: dict[str, list[float]] = {}
            curve: dict[int, list[float]] = {}
            for liked in range(len(TOPICS)):
                scores = simulate_reader(
                    papers, features, weeks, topic, liked, protocol, args, c, curve
                )
                share = sum(1 for t in topic if t == liked) / len(topic)
                means = scores.means()
                row = [means[n][0] for n in ORDERS] + [means[n][1] for n in ORDERS]
                for key, value in zip(
                    ("map_m", "map_d", "map_k", "p_m", "p_d", "p_k"), row, strict=True
                ):
                    totals.setdefault(key, []).append(value)
                name = TOPICS[liked][1][0]
                print(f"| {name} | {share:.0%} | {cells(row)} |")
            mean = [statistics.fmean(v) for v in totals.values()]
            print("| **mean** | | " + cells(mean) + " |")
            if protocol == "online":
                points = [w for w in (2, 3, 4, 6, 11, 21, 41, len(weeks)) if w in curve]
                learning = [f"w{w} {statistics.fmean(curve[w]):.2f}" for w in points]
                print(f"\nonline, MAP of 'for you' at week w: {', '.join(learning)}")


def simulate_reader(
    papers: Sequence[Paper],
    features: TextFeatures,
    weeks: list[list[int]],
    topic: list[int],
    liked: int,
    protocol: str,
    args: argparse.Namespace,
    c: float,
    curve: dict[int, list[float]],
) -> Scores:
    scores = Scores()
    judge: Callable[[int], bool] = lambda index: topic[index] == liked  # noqa: E731
    judgements: dict[int, bool] = {}
    if protocol == "reference":
        for week in weeks[: args.train_weeks]:
            judgements |= {index: judge(index) for index in week}
        tested = weeks[args.train_weeks :]
    else:
        judgements |= {index: judge(index) for index in weeks[0]}
        tested = weeks[1:]
    for number, week in enumerate(tested, len(weeks) - len(tested) + 1):
        relevant = {index for index in week if judge(index)}
        orders = rank_three_ways(papers, features, judgements, week, c)
        scores.add(orders, relevant)
        if protocol == "online":
            if relevant:
                curve.setdefault(number, []).append(average_precision(orders["model"], relevant))
            judgements |= {index: judge(index) for index in week}
    return scores


SAMPLE_TOPICS = {
    "quantization": ("quantization", "quantize", "low-bit"),
    "KV cache": ("kv",),
    "sparsity": ("sparse", "sparsity"),
    "pruning": ("pruning",),
}


def sample_quality(args: argparse.Namespace) -> None:
    papers = load_library([sample_digest_path()]).papers
    features = TextFeatures.build(papers)
    print(
        f"\n## The bundled sample: {len(papers)} papers; read 15 in a shuffled order, rank "
        f"the other 15; {args.shuffles} shuffles\n"
    )
    for c in args.c:
        sample_table(papers, features, args.shuffles, c)


def sample_table(papers: Sequence[Paper], features: TextFeatures, shuffles: int, c: float) -> None:
    print(f"\nLinearSVC C = {c}\n")
    print(table_header("topic (keywords)", "papers", last=("shuffles that learned",)))
    for name, keywords in SAMPLE_TOPICS.items():
        liked = {
            i
            for i, paper in enumerate(papers)
            if {k.lower() for k in paper.keywords} & set(keywords)
        }
        scores, learned = Scores(), 0
        for shuffle in range(shuffles):
            order = list(range(len(papers)))
            random.Random(shuffle).shuffle(order)
            read, rest = order[:15], sorted(order[15:])
            judgements = {index: index in liked for index in read}
            learned += RelevanceModel().fit(papers, judgements, features=features).method == "model"
            scores.add(rank_three_ways(papers, features, judgements, rest, c), liked & set(rest))
        means = scores.means()
        row = [means[n][0] for n in ORDERS] + [means[n][1] for n in ORDERS]
        topic = f"{name} ({', '.join(keywords)})"
        print(f"| {topic} | {len(liked)} | {cells(row)} | {learned}/{shuffles} |")


def timed(function: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Best CPU and wall seconds of ``runs`` calls, and the last result."""
    cpu, wall, result = [], [], None
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        result = function()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall), result


def speed(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-rank-speed-") as tmp:
        write_digests(args.papers, Path(tmp), days=args.papers // 200, topics=len(TOPICS))
        papers = load_library([Path(tmp)]).papers
    print(f"\n## Speed: {len(papers)} papers, {args.judged} judged, best of {args.runs}\n")
    print("| step | CPU s | wall s |\n|---|---:|---:|")
    cpu, wall, counts = timed(lambda: term_counts(papers), max(1, args.runs - 1))
    step = f"count terms of {len(papers)} papers (can run per digest as it loads)"
    print(f"| {step} | {cpu:.2f} | {wall:.2f} |")
    cpu, wall, features = timed(lambda: TextFeatures.from_counts(papers, counts), args.runs)
    print(f"| TF-IDF weights from the counts (once all are loaded) | {cpu:.2f} | {wall:.2f} |")
    judged = range(min(args.judged, len(papers)))
    # The reader likes the papers whose title has a word of the first topic.
    words = set(TOPICS[0][0].split())
    judgements = {i: bool(words & set(papers[i].title.lower().split())) for i in judged}
    model = RelevanceModel()
    cpu, wall, ranking = timed(lambda: model.fit(papers, judgements, features=features), args.runs)
    assert ranking.method == "model"
    stars = sum(judgements.values())
    step = f"train on {len(judgements)} judged ({stars} starred) and score all"
    print(f"| {step} | {cpu:.2f} | {wall:.2f} |")
    cpu, wall, _ = timed(lambda: ranking.order(), args.runs)
    print(f"| order all {len(papers)} | {cpu:.3f} | {wall:.3f} |")
    cpu, wall, _ = timed(lambda: ranking.why(len(papers) - 1), args.runs)
    print(f"| why() of one paper | {cpu * 1000:.2f} ms | {wall * 1000:.2f} ms |")
    cpu, wall, _ = timed(lambda: features.similar(len(papers) - 1, 10), args.runs)
    print(f"| similar() of one paper, k=10 | {cpu * 1000:.1f} ms | {wall * 1000:.1f} ms |")


def gil_probe(args: argparse.Namespace) -> None:
    """How much counting terms in a thread delays small tasks on the main thread."""
    with tempfile.TemporaryDirectory(prefix="bench-rank-gil-") as tmp:
        write_digests(args.judged, Path(tmp), days=max(1, args.judged // 200), topics=8)
        papers = load_library([Path(tmp)]).papers
    term_counts(papers[:10])  # import scikit-learn before timing

    def task_time() -> float:
        started = time.perf_counter()
        time.sleep(0.001)  # a 1 ms task that waits, as the UI thread waits for keys
        sum(range(2000))
        return time.perf_counter() - started

    alone = [task_time() for _ in range(300)]
    worker = threading.Thread(target=term_counts, args=(papers,))
    worker.start()
    during = []
    while worker.is_alive():
        during.append(task_time())
    worker.join()
    print(f"\n## Main-thread delay while a thread counts the terms of {len(papers)} papers\n")
    for name, times in (("alone", alone), ("while a thread counts", during)):
        times.sort()
        p99 = times[int(0.99 * (len(times) - 1))] * 1e3
        median = statistics.median(times) * 1e3
        print(f"1 ms task, {name}: median {median:.1f} ms, 99th pct {p99:.1f} ms, "
              f"max {times[-1] * 1e3:.1f} ms ({len(times)} tasks)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=57)
    parser.add_argument("--per-week", type=int, default=200)
    parser.add_argument("--train-weeks", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--c", type=float, nargs="+", default=[DEFAULT_C], help="LinearSVC C")
    parser.add_argument("--shuffles", type=int, default=50)
    parser.add_argument("--papers", type=int, default=100_000, help="papers for the speed part")
    parser.add_argument("--judged", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    parser.add_argument(
        "--gil-probe", action="store_true", help="only: main-thread delay while counting JUDGED"
    )
    args = parser.parse_args()
    if args.quick:
        args.weeks, args.train_weeks, args.papers, args.judged = 8, 5, 5000, 1000
    if args.gil_probe:
        gil_probe(args)
        return
    if not args.skip_quality:
        sample_quality(args)
        synthetic_quality(args)
    if not args.skip_speed:
        speed(args)


if __name__ == "__main__":
    main()
