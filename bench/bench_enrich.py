"""What enriching costs: requests, arXiv's pace (simulated), CPU, and the cache.

    python bench/bench_enrich.py                 # 3,800 papers (the issue's figure)
    python bench/bench_enrich.py 3800 100000     # and a year of papers

For each size, synthetic papers (``bench/synthetic.py``) are served by the local
stand-ins for arXiv's API and Semantic Scholar (``tests/online_helpers.FakeServices``,
127.0.0.1) and enriched with the program's own code, on an injected clock: the rate
limiter's 3 s between requests are counted, not waited. Reported: requests to each
service, the simulated time at arXiv's pace (what a real run takes, give or take the
services' own answer times), the wall and CPU time of this process for the whole run
(feeds built and served included), the cache's size, and the time to read it back (what
the app pays at start, in its background thread). Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.online_helpers import FakeClock, FakePaper, FakeServices  # noqa: E402
from tui_reader.online.arxiv_api import request_id  # noqa: E402
from tui_reader.online.cache import MetadataCache  # noqa: E402
from tui_reader.online.enrich import Endpoints, make_enricher  # noqa: E402


def fake_papers(count: int) -> tuple[list[str], dict[str, FakePaper]]:
    from bench.synthetic import generate_digest
    from tui_reader.digest import parse_digest_text

    papers = parse_digest_text(generate_digest(count), Path("synthetic.md")).papers
    served = {}
    for n, paper in enumerate(papers):
        s2 = {"paperId": f"{n:040d}", "venue": "", "publicationVenue": None, "year": 2025,
              "journal": None, "publicationTypes": None, "externalIds": {}}  # fmt: skip
        if n % 7 == 0:
            s2 |= {"publicationVenue": {"name": "Synthetic Conference", "type": "conference"},
                   "journal": {"name": "", "pages": f"{n}-{n + 9}"}}  # fmt: skip
        served[request_id(paper.arxiv_id)] = FakePaper(
            request_id(paper.arxiv_id), paper.version or 1, paper.title, paper.authors,
            paper.abstract, s2=s2,
        )  # fmt: skip
    return [paper.arxiv_id for paper in papers], served


def measure(count: int) -> dict[str, float]:
    ids, served = fake_papers(count)
    clock = FakeClock(now=0.0)
    with FakeServices(served, clock) as services, tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "state.json.metadata.jsonl"
        cache = MetadataCache(path)
        enricher = make_enricher(cache, Endpoints(services.arxiv_url, services.venue_url),
                                 clock=clock, sleep=clock.sleep)  # fmt: skip
        wall, cpu = time.perf_counter(), time.process_time()
        report = enricher.run(ids)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = path.stat().st_size
        load = time.perf_counter()
        again = MetadataCache(path)
        again.load()
        known = len(again.all())
        load = time.perf_counter() - load
        return {
            "papers": len(ids),
            "arxiv requests": len(services.served("arxiv")),
            "venue requests": len(services.served("venue")),
            "simulated s": clock.now,
            "wall s": wall,
            "cpu s": cpu,
            "cache MB": size / 1e6,
            "load s": load,
            "known": known,
            "warnings": len(report.warnings),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[3800])
    args = parser.parse_args()
    columns = ("papers", "arxiv requests", "venue requests", "simulated s", "wall s", "cpu s",
               "cache MB", "load s", "known", "warnings")  # fmt: skip
    print("  ".join(f"{c:>14}" for c in columns), flush=True)
    for count in args.counts:
        figures = measure(count)
        print("  ".join(f"{figures[c]:>14,.2f}" if isinstance(figures[c], float)
                        else f"{figures[c]:>14,}" for c in columns), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
