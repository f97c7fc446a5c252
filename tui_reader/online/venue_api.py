"""The venue service: where an arXiv paper was published, from Semantic Scholar.

``VenueClient(base_url, http)``; ``fetch(ids) -> (venues, unknown)`` for at most
``BATCH`` arXiv ids: ``POST {base}/paper/batch?fields=FIELDS`` with
``{"ids": ["ARXIV:2412.20930", ...]}``. The answer is a JSON array in the order of
the ids, ``null`` where the service does not know the paper: those ids are
``unknown``; ``venues`` maps every other id to its ``Venue``, or None when it is known
only as a preprint. Raises ``ServiceError`` for an answer of another shape.

``venue_of(item) -> Venue | None`` reads one paper object: its ``publicationVenue``
(``type`` conference or journal, ``name``), ``venue``, ``journal`` (``name``,
``volume``, ``pages``), ``publicationTypes``, ``year`` and ``externalIds`` (``DOI``,
``DBLP``). A paper known only as a preprint (the venue or journal is arXiv, CoRR,
bioRxiv...) has no venue; an arXiv DOI (``10.48550/...``) is not a published one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .arxiv_api import request_id
from .http import HttpClient, ServiceError
from .records import Venue

__all__ = ["BATCH", "FIELDS", "VenueClient", "venue_of"]

BATCH = 500  # the service's own limit for one batch
FIELDS = "externalIds,venue,publicationVenue,year,journal,publicationTypes,publicationDate"
_PREPRINT_NAMES = frozenset(
    {"arxiv", "arxiv.org", "corr", "biorxiv", "medrxiv", "ssrn", "research square", "preprint"}
)


def _str(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _preprint(name: str) -> bool:
    lowered = name.casefold()
    return not lowered or lowered in _PREPRINT_NAMES or lowered.startswith(("arxiv", "corr "))


def venue_of(item: object) -> Venue | None:
    if not isinstance(item, dict):
        return None
    place = item.get("publicationVenue") if isinstance(item.get("publicationVenue"), dict) else {}
    journal = item.get("journal") if isinstance(item.get("journal"), dict) else {}
    types = item.get("publicationTypes") if isinstance(item.get("publicationTypes"), list) else []
    ids = item.get("externalIds") if isinstance(item.get("externalIds"), dict) else {}
    place_type = _str(place.get("type")).casefold()
    journal_name, place_name, venue = (
        _str(journal.get("name")), _str(place.get("name")), _str(item.get("venue"))
    )  # fmt: skip
    if place_type == "conference" or (not place_type and "Conference" in types):
        kind, name = "conference", place_name or venue or journal_name
    elif place_type == "journal" or "JournalArticle" in types:
        kind, name = "journal", journal_name or place_name or venue
    else:
        return None
    if _preprint(name) or (kind == "journal" and _preprint(journal_name or name)):
        return None
    doi = _str(ids.get("DOI"))
    if doi.casefold().startswith("10.48550/"):
        doi = ""
    year = item.get("year")
    return Venue(
        kind=kind,
        name=name,
        year=year if type(year) is int and 1900 < year < 3000 else None,
        volume=_str(journal.get("volume")) if kind == "journal" else "",
        pages=_str(journal.get("pages")),
        doi=doi,
        dblp=_str(ids.get("DBLP")),
    )


class VenueClient:
    def __init__(self, base_url: str, http: HttpClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    def url(self) -> str:
        return f"{self.base_url}/paper/batch?fields={FIELDS}"

    def fetch(self, ids: Sequence[str]) -> tuple[dict[str, Venue | None], list[str]]:
        if len(ids) > BATCH:
            raise ValueError(f"at most {BATCH} ids a request, not {len(ids)}")
        ids = list(dict.fromkeys(ids))
        body = self.http.post_json(self.url(), {"ids": [f"ARXIV:{request_id(i)}" for i in ids]})
        try:
            items = json.loads(body)
        except (ValueError, RecursionError):
            raise ServiceError("the venue service's answer is not JSON") from None
        if not isinstance(items, list) or len(items) != len(ids):
            raise ServiceError("the venue service's answer is not a list with one item per id")
        venues: dict[str, Venue | None] = {}
        unknown: list[str] = []
        for arxiv_id, item in zip(ids, items, strict=True):
            if isinstance(item, dict):
                venues[arxiv_id] = venue_of(item)
            else:
                unknown.append(arxiv_id)
        return venues, unknown
