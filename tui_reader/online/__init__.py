"""Online metadata: arXiv's exact records and the published venues, fetched once, cached.

Off by default; nothing here runs unless ``online = true``, ``--online`` or
``digest-reader enrich`` asks, and ``--offline`` never builds a client. Only arXiv ids
are sent: to arXiv's API and to one venue service (Semantic Scholar). The core never
imports Textual; this package imports nothing of the UI.

One module per concern:
  records    the data: ArxivRecord, Venue, Metadata, Publication, OnlineWarning
  atom       arXiv's Atom answers -> records (expat, no DTD, no entities)
  http       rate limiter (injectable clock) and a polite, retrying HTTP client
  arxiv_api  ids -> arXiv records, 100 a request
  venue_api  ids -> venues (Semantic Scholar's batch API)
  cache      the append-only cache beside the state file
  enrich     what to fetch, in which order, and the report
  view       what exports, the detail pane and search take from the metadata
"""
