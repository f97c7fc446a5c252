"""The metadata services played back on 127.0.0.1, for tests and the bench.

``FakeServices(papers)`` runs a threaded ``http.server`` on port 0 answering as
arXiv's API (``GET /api/query?id_list=...&max_results=N``: an Atom feed in the exact
shape arXiv sends, ``arxiv:doi``, ``arxiv:journal_ref``, ``arxiv:comment``,
``arxiv:primary_category``, several ``category`` and ``link`` elements; an id of the
wrong shape answered with arXiv's error entry; an unknown id with no entry) and as
Semantic Scholar's batch API (``POST /graph/v1/paper/batch?fields=...`` with
``{"ids": ["ARXIV:..."]}``: a JSON array in the order of the ids, ``null`` for a
paper it does not know). ``script(service, status, body, headers)`` queues a bad
answer for the next request to that service; ``requests`` records every request
(service, query, headers, body) with the injected clock's time.

``sample_papers()``: the bundled sample's 30 papers as arXiv would have them -- the
titles with the colons the digest generator strips -- with invented venues for a few
(test data, not the real publication record). ``FakeClock`` is a clock whose sleep
advances it, so the rate limiter is checked without waiting.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

SAMPLE = Path(__file__).resolve().parents[1] / "tui_reader" / "data" / "sample-2025-01-03.md"

# arXiv's titles where the digest generator dropped punctuation (the colons).
ARXIV_TITLES = {
    "2412.20930": "QAHAN: A Quantum Annealing Hard Attention Network",
    "2412.20891": "DoTA: Weight-Decomposed Tensor Adaptation for Large Language Models",
    "2412.20767": "KeyGS: A Keyframe-Centric Gaussian Splatting Method for Monocular Image "
    "Sequences",
    "2412.20677": "Align Attention Heads Before Merging Them: An Effective Way for Converting "
    "MHA to GQA",
    "2412.20504": "ReTaKe: Reducing Temporal and Knowledge Redundancy for Long Video Understanding",
    "2412.20404": "Open-Sora: Democratizing Efficient Video Production for All",
    "2412.20105": "ST$^3$: Accelerating Multimodal Large Language Model by Spatial-Temporal "
    "Visual Token Trimming",
    "2412.19994": "From Generalist to Specialist: A Survey of Large Language Models for Chemistry",
}
# Invented published versions (test data), in Semantic Scholar's shape.
S2_VENUES = {
    "2412.20930": {
        "venue": "AAAI Conference on Artificial Intelligence",
        "publicationVenue": {"id": "bdc2e585-4e48-4e36-8af1-6d859763d405",
                             "name": "AAAI Conference on Artificial Intelligence",
                             "type": "conference", "alternate_names": ["AAAI"],
                             "url": "http://www.aaai.org/"},
        "year": 2025, "journal": {"name": "", "pages": "18433-18441", "volume": ""},
        "publicationTypes": ["JournalArticle", "Conference"],
        "externalIds": {"DBLP": "conf/aaai/Test25", "DOI": "10.1609/aaai.v39i17.99999"},
    },
    "2412.21188": {
        "venue": "Physical Review E",
        "publicationVenue": {"id": "2a4cd8c9-7ab5-4b4a-9e5b-1e3e8f1a0001",
                             "name": "Physical Review E", "type": "journal",
                             "alternate_names": ["Phys Rev E"], "issn": "2470-0045"},
        "year": 2025, "journal": {"name": "Physical Review E", "pages": "014201",
                                  "volume": "111"},
        "publicationTypes": ["JournalArticle"],
        "externalIds": {"DOI": "10.1103/PhysRevE.111.014201"},
    },
    "2412.20404": {  # known to the service only as a preprint
        "venue": "arXiv.org",
        "publicationVenue": {"id": "1901e811-ee72-4b20-8f7e-de08cd395a10", "name": "arXiv.org",
                             "alternate_names": ["ArXiv"], "issn": "2331-8422",
                             "url": "https://arxiv.org"},
        "year": 2024, "journal": {"name": "ArXiv", "volume": "abs/2412.20404"},
        "publicationTypes": ["JournalArticle"],
        "externalIds": {"ArXiv": "2412.20404", "DOI": "10.48550/arXiv.2412.20404"},
    },
}  # fmt: skip
S2_UNKNOWN = {"2412.19413"}  # papers the venue service answers null for


@dataclass
class FakePaper:
    arxiv_id: str
    version: int
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...] = ("cs.LG",)
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    published: str = "2024-12-30T12:00:00Z"
    s2: dict | None = None  # the venue service's paper object (None: it does not know it)


def sample_papers() -> dict[str, FakePaper]:
    from tui_reader.digest import DigestReader

    papers = {}
    for batch in DigestReader(SAMPLE).batches():
        for paper in batch:
            s2 = S2_VENUES.get(paper.arxiv_id)
            if s2 is None and paper.arxiv_id not in S2_UNKNOWN:
                s2 = {
                    "venue": "",
                    "publicationVenue": None,
                    "year": 2024,
                    "journal": None,
                    "publicationTypes": None,
                    "externalIds": {"ArXiv": paper.arxiv_id},
                }
            if s2 is not None:
                s2 = {"paperId": hashlib.sha1(paper.arxiv_id.encode()).hexdigest(), **s2}
            papers[paper.arxiv_id] = FakePaper(
                paper.arxiv_id, paper.version or 1,
                ARXIV_TITLES.get(paper.arxiv_id, paper.title), paper.authors, paper.abstract,
                doi="10.1103/PhysRevE.111.014201" if paper.arxiv_id == "2412.21188" else "",
                journal_ref="Phys. Rev. E 111, 014201 (2025)"
                if paper.arxiv_id == "2412.21188" else "",
                comment="Accepted at AAAI 2025" if paper.arxiv_id == "2412.20930" else "",
                categories=("cs.LG", "cs.AI", "quant-ph"), s2=s2,
            )  # fmt: skip
    return papers


def _wrap(text: str, width: int = 78, indent: str = "") -> str:
    """Hard-wrapped as arXiv's feed wraps titles and summaries."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return f"\n{indent}".join(escape(part) for part in lines)


ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'


def atom_entry(paper: FakePaper) -> str:
    versioned = f"{paper.arxiv_id}v{paper.version}"
    parts = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{versioned}</id>",
        f"    <updated>{paper.published}</updated>",
        f"    <published>{paper.published}</published>",
        f"    <title>{_wrap(paper.title, 70, '  ')}</title>",
        f"    <summary>  {_wrap(paper.abstract)}\n</summary>",
    ]
    for name in paper.authors:
        parts += ["    <author>", f"      <name>{escape(name)}</name>", "    </author>"]
    if paper.doi:
        parts.append(f"    <arxiv:doi {ARXIV_NS}>{escape(paper.doi)}</arxiv:doi>")
        parts.append(f'    <link title="doi" href={quoteattr("http://dx.doi.org/" + paper.doi)} '
                     'rel="related"/>')  # fmt: skip
    if paper.comment:
        parts.append(f"    <arxiv:comment {ARXIV_NS}>{_wrap(paper.comment, 70, '  ')}"
                     "</arxiv:comment>")  # fmt: skip
    if paper.journal_ref:
        parts.append(f"    <arxiv:journal_ref {ARXIV_NS}>{escape(paper.journal_ref)}"
                     "</arxiv:journal_ref>")  # fmt: skip
    parts += [
        f'    <link href="http://arxiv.org/abs/{versioned}" rel="alternate" type="text/html"/>',
        f'    <link title="pdf" href="http://arxiv.org/pdf/{versioned}" rel="related" '
        'type="application/pdf"/>',
        f'    <arxiv:primary_category {ARXIV_NS} term="{paper.categories[0]}" '
        'scheme="http://arxiv.org/schemas/atom"/>',
        *(f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
          for c in paper.categories),
        "  </entry>",
    ]  # fmt: skip
    return "\n".join(parts)


def atom_feed(query: str, entries: list[str], total: int) -> str:
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f'  <link href={quoteattr("http://arxiv.org/api/query?" + query)} rel="self" '
        'type="application/atom+xml"/>',
        f'  <title type="html">ArXiv Query: {escape(query)}</title>',
        "  <id>http://arxiv.org/api/4SDZlTyJeoLwNbeUq4bVpIwXcJ0</id>",
        "  <updated>2025-01-03T00:00:00-05:00</updated>",
        '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"{total}</opensearch:totalResults>",
        '  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0'
        "</opensearch:startIndex>",
        '  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"{total}</opensearch:itemsPerPage>",
        *entries,
        "</feed>",
        "",
    ])  # fmt: skip


def error_feed(bad_id: str) -> str:
    message = f"incorrect id format for {bad_id}"
    anchor = message.replace(" ", "_")
    return (Path(__file__).parent / "data" / "online" / "arxiv-error-entry.xml").read_text(
    ).replace("incorrect_id_format_for_1234.12345", anchor).replace(
        "incorrect id format for 1234.12345", message).replace("1234.12345", bad_id)  # fmt: skip


_ID_SHAPE_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+/\d{7})(?:v\d+)?$")


@dataclass
class Recorded:
    service: str  # "arxiv" or "venue"
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: object
    at: float  # the injected clock's time


@dataclass
class FakeClock:
    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class FakeServices:
    def __init__(self, papers: dict[str, FakePaper], clock: FakeClock | None = None) -> None:
        self.papers = papers
        self.clock = clock or FakeClock()
        self.requests: list[Recorded] = []
        self._scripts: dict[str, deque] = {"arxiv": deque(), "venue": deque()}
        self._lock = threading.Lock()
        services = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                services._answer(self, "arxiv")

            def do_POST(self) -> None:
                services._answer(self, "venue")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.arxiv_url = f"http://{host}:{port}/api/query"
        self.venue_url = f"http://{host}:{port}/graph/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeServices:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, service: str, status: int, body: bytes | str = b"",
               headers: dict[str, str] | None = None, *, delay: float = 0.0,
               hold: threading.Event | None = None) -> None:  # fmt: skip
        """Answer the next request to ``service`` so (``delay``: seconds before answering;
        ``hold``: not before the test sets it, at most a minute)."""
        data = body.encode() if isinstance(body, str) else body
        self._scripts[service].append((status, data, headers or {}, delay, hold))

    def served(self, service: str) -> list[Recorded]:
        return [r for r in self.requests if r.service == service]

    def _answer(self, handler: BaseHTTPRequestHandler, service: str) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        with self._lock:
            headers = dict(handler.headers.items())
            self.requests.append(
                Recorded(service, parse_qs(url.query), headers, body, self.clock())
            )
            scripted = self._scripts[service].popleft() if self._scripts[service] else None
        if scripted is not None:
            status, data, headers, delay, hold = scripted
            if delay:
                threading.Event().wait(delay)
            if hold is not None:
                hold.wait(60)
        elif service == "arxiv" and url.path.endswith("/query"):
            status, data, headers = 200, self._feed(url.query).encode(), {}
        elif service == "venue" and url.path.endswith("/paper/batch"):
            status, data, headers = self._batch(body)
        else:
            status, data, headers = 404, b'{"error":"Not found"}', {}
        try:
            handler.send_response(status)
            for name, value in {"Content-Length": str(len(data)), **headers}.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout test)

    def _feed(self, query: str) -> str:
        ids = [i for i in parse_qs(query).get("id_list", [""])[0].split(",") if i]
        for arxiv_id in ids:
            if not _ID_SHAPE_RE.match(arxiv_id):
                return error_feed(arxiv_id)
        limit = int(parse_qs(query).get("max_results", ["10"])[0])
        entries = [atom_entry(self.papers[i]) for i in ids if i in self.papers][:limit]
        return atom_feed(query, entries, len(entries))

    def _batch(self, body: object) -> tuple[int, bytes, dict[str, str]]:
        if not isinstance(body, dict) or not isinstance(body.get("ids"), list):
            return 400, b'{"error":"Unacceptable body"}', {}
        if len(body["ids"]) > 500:
            return 400, b'{"error":"-- Max 500 ids allowed"}', {}
        items = []
        for wanted in body["ids"]:
            prefix, _, arxiv_id = str(wanted).partition(":")
            paper = self.papers.get(arxiv_id) if prefix.upper() == "ARXIV" else None
            items.append(paper.s2 if paper is not None else None)
        return 200, json.dumps(items).encode(), {"Content-Type": "application/json"}
