"""The arXiv API client: arXiv ids -> ``ArxivRecord``s, ``BATCH`` ids a request.

``ArxivClient(base_url, http)``; ``fetch(ids) -> ArxivAnswer``: ``records`` by id
(the ids as given, an old-style ``math.GT/0309136`` too), ``unknown`` (ids arXiv
answered for with no entry: it does not know them) and ``problems`` (one line each:
an error entry, an empty feed). Raises ``FeedError`` for an answer that is not a
whole feed, ``ServiceError``/``OfflineError`` from ``http`` when no answer came.

The request is ``GET {base}?id_list=a,b,...&max_results=N`` (without
``max_results`` arXiv returns 10 entries). arXiv answers an id of the wrong shape with
one error entry for the whole request and nothing else, so the ids it names are left
out and the rest asked again, once. A feed with no entry at all for several ids is
taken for a passing fault, not for "unknown": nothing is concluded from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from .atom import parse_feed
from .http import HttpClient

__all__ = ["BATCH", "ArxivAnswer", "ArxivClient", "request_id"]

BATCH = 100  # ids a request, as arXiv asks of bulk clients
_FORMAT_ERROR_RE = re.compile(r"incorrect id format for (\S+)", re.IGNORECASE)


@dataclass
class ArxivAnswer:
    records: dict = field(default_factory=dict)  # id -> ArxivRecord
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def request_id(arxiv_id: str) -> str:
    """The id as arXiv's API takes it: ``math.GT/0309136`` -> ``math/0309136``."""
    if "/" not in arxiv_id:
        return arxiv_id
    archive, number = arxiv_id.split("/", 1)
    return f"{archive.partition('.')[0]}/{number}"


class ArxivClient:
    def __init__(self, base_url: str, http: HttpClient) -> None:
        self.base_url = base_url
        self.http = http

    def url(self, ids: Sequence[str]) -> str:
        query = urlencode({"id_list": ",".join(ids), "max_results": len(ids)}, safe=",/")
        return f"{self.base_url}{'&' if '?' in self.base_url else '?'}{query}"

    def fetch(self, ids: Sequence[str]) -> ArxivAnswer:
        if len(ids) > BATCH:
            raise ValueError(f"at most {BATCH} ids a request, not {len(ids)}")
        answer = ArxivAnswer()
        asked = {request_id(arxiv_id): arxiv_id for arxiv_id in dict.fromkeys(ids)}
        for _ in range(2):
            if not asked:
                break
            feed = parse_feed(self.http.get(self.url(list(asked))))
            if not feed.errors:
                break
            named = {m.group(1) for e in feed.errors if (m := _FORMAT_ERROR_RE.search(e))}
            answer.problems.extend(f"arXiv refused the request: {error}" for error in feed.errors)
            if not named & set(asked):
                return answer  # an error arXiv did not tie to an id: nothing to conclude
            for sent in named & set(asked):
                asked.pop(sent)
        else:
            return answer
        if not feed.records and len(asked) > 1:
            answer.problems.append(f"arXiv answered an empty feed for {len(asked)} ids")
            return answer
        for sent, arxiv_id in asked.items():
            record = feed.records.get(sent)
            if record is None:
                answer.unknown.append(arxiv_id)
            else:
                answer.records[arxiv_id] = replace(record, arxiv_id=arxiv_id)
        return answer
