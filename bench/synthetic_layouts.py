"""Synthetic digests in every layout ``tui_reader.formats`` reads, for the mixed benchmark.

    python -m bench.synthetic 25000 --mixed 250 -o /tmp/mixed/   # 250 files, all layouts

Each layout's papers come from ``bench.synthetic``'s generators (titles, non-ASCII
authors, math, bold keywords), written the way that layout writes them: badges for
the badge form, TeX accents and wrapped fields for arXiv's e-mail, a TL;DR for the
AI-summary page, rows for topic tables, a plain list for the link fallback.
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import textwrap
from pathlib import Path

from bench.synthetic import _abstract, _arxiv_id, _author, _title, generate_digest

_TEX = {"ü": r"\"u", "é": r"\'e", "á": r"\'a", "ö": r"\"o", "ç": r"\c{c}", "è": r"\`e"}
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _papers(rng: random.Random, count: int, date: dt.date, first: int) -> list[dict]:
    papers = []
    for index in range(first, first + count):
        arxiv_id = _arxiv_id(rng, index, date)
        if "/" in arxiv_id:  # old-style ids are the main layout's quirk; keep others new-style
            arxiv_id = f"{date.year % 100:02d}{date.month:02d}.{index % 100000:05d}"
        papers.append({
            "title": _title(rng),
            "authors": [_author(rng) for _ in range(rng.randint(1, 8))],
            "date": date - dt.timedelta(days=rng.randint(1, 6)),
            "id": arxiv_id,
            "version": rng.choice((1, 1, 1, 2, 3)),
            "abstract": _abstract(rng),
        })  # fmt: skip
    return papers


def _badges(abstract: str) -> str:
    def badge(match: re.Match[str]) -> str:
        keyword = match.group(1).replace("-", "--").replace("_", "__").replace(" ", "_")
        return f"![key](https://img.shields.io/badge/{keyword}-F08080)"

    return _BOLD.sub(badge, abstract)


def badge_digest(papers: list[dict], date: dt.date) -> str:
    toc = "".join(f"* [{p['title']}](#{p['title'].lower().replace(' ', '-')})\n" for p in papers)
    sections = "".join(
        f"\n## {p['title']}\n\n>Authors: {', '.join(p['authors'])}\n\n>{p['date']}\n\n"
        f"> [http://arxiv.org/abs/{p['id']}v{p['version']}]"
        f"(http://arxiv.org/abs/{p['id']}v{p['version']})\n\n{_badges(p['abstract'])}\n\n"
        for p in papers
    )
    return f"# {date}\n\n# Table of Contents\n{toc}\n{sections}"


def legacy_digest(papers: list[dict], date: dt.date) -> str:
    return "".join(
        f"# {p['title']}\n\n>Authors: {','.join(p['authors'])}\n\n>{p['date']}\n\n"
        f"> http://arxiv.org/abs/{p['id']}v{p['version']}\n\n{p['abstract']}\n\n\n"
        for p in papers
    )


def _tex(name: str) -> str:
    return "".join(_TEX.get(char, char) for char in name)


def _wrapped(label: str, text: str) -> str:
    return textwrap.fill(f"{label}: {text}", width=78, subsequent_indent="  ")


def email_digest(papers: list[dict], date: dt.date) -> str:
    rule = "-" * 78
    out = [f"From: no-reply@arxiv.org\nSubject: cs daily Subj-class mailing "
           f"{date:%Y%m%d} 1\nDate: {date:%a, %d %b %Y} 01:12:44 GMT\n\n"
           f"Submissions to:\nMachine Learning\n{rule}\n"]  # fmt: skip
    for number, p in enumerate(papers):
        if number == len(papers) * 4 // 5:
            out.append("%%--%%" * 13 + "\n")
        replaced = number >= len(papers) * 4 // 5
        names = [_tex(name) for name in p["authors"]]
        authors = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        when = f"{p['date']:%a, %d %b %Y} 17:45:02 GMT   (812kb)"
        out.append(
            f"\\\\\narXiv:{p['id']}\n"
            + (f"replaced with revised version {when}\n" if replaced else f"Date: {when}\n")
            + f"\n{_wrapped('Title', p['title'])}\n{_wrapped('Authors', authors)}\n"
            f"Categories: cs.LG cs.CL\n{_wrapped('Comments', '12 pages, 4 figures')}\n"
            + ("" if replaced else "\\\\\n  " + p["abstract"].replace("**", "") + "\n")
            + f"\\\\ ( https://arxiv.org/abs/{p['id']} ,  812kb)\n{rule}\n"
        )
    return "".join(out)


def ai_summary_digest(papers: list[dict], date: dt.date) -> str:
    out = ["<div id=toc></div>\n\n# Table of Contents\n\n- [cs.LG](#cs.LG)\n\n"
           "<div id='cs.LG'></div>\n\n# cs.LG [[Back]](#toc)\n\n"]  # fmt: skip
    for number, p in enumerate(papers, 1):
        first = p["abstract"].split(". ")[0]
        out.append(
            f"### [{number}] [{p['title']}](https://arxiv.org/abs/{p['id']})\n"
            f"*{','.join(p['authors'])}*\n\nMain category: cs.LG\n\n"
            f"**TL;DR**: {first}.\n\n\n<details>\n  <summary>Details</summary>\n\n"
            f"Motivation: {first}.\n\nAbstract: {p['abstract'].replace('**', '')}\n\n"
            "</details>\n\n\n"
        )
    return "".join(out)


def topic_table_digest(papers: list[dict], date: dt.date) -> str:
    out = [f"## Updated on {date:%Y.%m.%d}\n> Usually updated every day\n"]
    half = len(papers) // 2
    for topic, rows in (("Point Cloud", papers[: half + 2]), ("NeRF", papers[half:])):
        out.append(
            f"\n## {topic}\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n"
        )
        for p in rows:
            code = f"**[link](https://github.com/x/{p['id']})**" if len(p["title"]) % 2 else "null"
            out.append(f"|**{p['date']}**|**{p['title']}**|{p['authors'][0]} et.al.|"
                       f"[{p['id']}](http://arxiv.org/abs/{p['id']})|{code}|\n")  # fmt: skip
    return "".join(out)


def links_digest(papers: list[dict], date: dt.date) -> str:
    return "# Reading list\n\n" + "".join(
        f"## {p['title']}\n\n**Authors**: {', '.join(p['authors'])}\n\n"
        f"> **Abstract:** {p['abstract'].replace('**', '')}\n\n"
        f"[PDF](https://arxiv.org/pdf/{p['id']}v{p['version']})\n\n"
        for p in papers
    )


LAYOUTS = {
    "generator": None,  # bench.synthetic.generate_digest
    "badges": badge_digest,
    "generator-2024": legacy_digest,
    "arxiv-email": email_digest,
    "ai-summary": ai_summary_digest,
    "topic-table": topic_table_digest,
    "arxiv-links": links_digest,
}
SUFFIX = {"arxiv-email": ".txt"}


def write_mixed(count: int, folder: Path, *, files: int = 250, seed: int = 0) -> list[Path]:
    """``count`` papers in ``files`` files, the layouts in turn, one date per file."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file, extra = divmod(count, files)
    names = list(LAYOUTS)
    start = dt.date(2025, 1, 3)
    paths, first = [], 0
    for number in range(files):
        size = per_file + (1 if number < extra else 0)
        layout = names[number % len(names)]
        date = start + dt.timedelta(days=number)
        rng = random.Random(seed + number)
        if LAYOUTS[layout] is None:
            text = generate_digest(size, seed=seed + number, date=date, first_index=first)
        else:
            text = LAYOUTS[layout](_papers(rng, size, date, first), date)
        path = folder / f"{date}-{layout}{SUFFIX.get(layout, '.md')}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        first += size
    return paths
