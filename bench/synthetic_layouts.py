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


def _cited(p: dict, number: int) -> str:
    """The abstract, citing another paper's id in one paper of three (a trap for the
    readers: a cited id is no paper)."""
    abstract = p["abstract"].replace("**", "")
    return f"{abstract} We build on arXiv:2301.{number:05d}." if number % 3 == 0 else abstract


def _et_al(p: dict) -> str:
    names = p["authors"]
    return ", ".join(names[:3]) + (", et al." if len(names) > 3 else "")


def topic_details_digest(papers: list[dict], date: dt.date) -> str:
    out = [f"# Daily arXiv Digest ({date})\n"]
    for number, p in enumerate(papers):
        if number % 25 == 0:
            out.append(f"\n## Topic {number // 25 + 1}\n")
        code = f"[[code](https://github.com/x/{p['id']})]\n" if number % 2 else ""
        out.append(
            f"\n### [{p['title']}](https://arxiv.org/abs/{p['id']}v{p['version']})\n{code}"
            f"{_et_al(p)}\n\n<details><summary>Abstract</summary>\n{_cited(p, number)}\n"
            f"</details>\n\n**comments**: 9 pages; extended version of arXiv:2209.{number:05d}\n"
        )
    return "".join(out)


def topic_bullets_digest(papers: list[dict], date: dt.date) -> str:
    out = [f"## Updated on {date:%Y.%m.%d}\n\n## SLAM\n\n"]
    for p in papers:
        url = f"http://arxiv.org/abs/{p['id']}v{p['version']}"
        code = "https://github.com/x/y"
        out.append(f"- {p['date']}, **{p['title']}**, {p['authors'][0]} et.al., "
                   f"Paper: [{url}]({url}), Code: **[{code}]({code})**\n")  # fmt: skip
    return "".join(out)


def newsletter_digest(papers: list[dict], date: dt.date) -> str:
    return f"# Daily Papers — {date}\n\n" + "".join(
        f"## {number}. {p['title']}\n\n[📄 Paper](https://huggingface.co/papers/{p['id']}) · ⬆️ 12"
        f"\n\n{_cited(p, number)}\n\n"
        for number, p in enumerate(papers, 1)
    )


def static_site_digest(papers: list[dict], date: dt.date) -> str:
    return f"---\ntitle: Digest\ndate: {date}\n---\n\n" + "".join(
        f'<article class="paper-card">\n<span class="paper-id">arXiv {p["id"]}</span>\n\n'
        f"#### [{p['title']}](papers/{p['id']}.md)\n\n*{_et_al(p)}*\n\n{_cited(p, number)}\n\n"
        "</article>\n\n"
        for number, p in enumerate(papers)
    )


def html_table_digest(papers: list[dict], date: dt.date) -> str:
    rows = "".join(
        f'<tr data-arxiv-id="{p["id"]}v{p["version"]}">\n  <td><a href="./papers/{p["id"]}.html">'
        f"{p['title']}</a></td>\n  <td>{_et_al(p)}</td>\n  <td>{_cited(p, number)}</td>\n</tr>\n"
        for number, p in enumerate(papers)
    )
    return f"<h1>Daily papers — {date}</h1>\n<h2>Robotics</h2>\n<table>\n{rows}</table>\n"


def weekly_table_digest(papers: list[dict], date: dt.date) -> str:
    out = [f"## Top ML Papers of the Week ({date})\n\n| **Paper** | **Links** |\n| --- | --- |\n"]
    for number, p in enumerate(papers, 1):
        summary = " ".join(p["abstract"].split(". ")[0].replace("**", "").replace("|", "/").split())
        link = f"[Paper](https://arxiv.org/abs/{p['id']})"
        if number % 5 == 0:
            link = f"[Paper]([{p['id']}](https://arxiv.org/abs/{p['id']}))"
        out.append(
            f"| {number}) **{p['title']}** - {summary}. | {link}, [Tweet](https://x.com/{number})"
            " |\n"
        )
    return "".join(out)


def awesome_digest(papers: list[dict], date: dt.date) -> str:
    out = [f"# Papers · {date}\n\n[![Total](https://img.shields.io/badge/Papers-{len(papers)}-2688EB)]()\n\n"
           "## Paper List\n\n"]  # fmt: skip
    for number, p in enumerate(papers):
        out.append(
            f"- **[{p['title']}](https://arxiv.org/abs/{p['id']})**  `arXiv:{p['id']}`  `cs.LG`  \n"
            f"  _{_et_al(p)}_\n  <details open><summary>Abstract</summary>\n"
            f"  {_cited(p, number)}\n  </details>\n\n"
        )
    return "".join(out)


def rss_digest(papers: list[dict], date: dt.date) -> str:
    rows = "".join(f"| [^{n}] | [{p['title']}](https://arxiv.org/abs/{p['id']}) | 总结 |\n"
                   for n, p in enumerate(papers, 1))  # fmt: skip
    notes = "".join(
        f"[^{n}]: 标题\n\n    {p['title']}\n\n    [https://arxiv.org/abs/{p['id']}](https://arxiv.org/"
        f"abs/{p['id']})\n\n    总结\n\n    \n\n    摘要\n\n    arXiv:{p['id']}v{p['version']} "
        f"Announce Type: new  Abstract: {_cited(p, n)}\n    \n"
        for n, p in enumerate(papers, 1)
    )
    return f"# 摘要\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n{rows}\n# 详细\n\n{notes}"


def field_list_digest(papers: list[dict], date: dt.date) -> str:
    return f"# Daily Digest - {date}\n\n" + "".join(
        f"## {n}. {p['title']}\n\n**arXiv**: [{p['id']}](https://arxiv.org/abs/{p['id']})  \n"
        f"**Authors**: {', '.join(p['authors'])}  \n**Date**: {p['date']:%d %b %Y}  \n"
        f"**Categories**: cs.LG, stat.ML  \n**Type**: new submission  \n\n"
        f"**Abstract**: {_cited(p, n)}  \n\n---\n\n"
        for n, p in enumerate(papers, 1)
    )


def tagged_daily_digest(papers: list[dict], date: dt.date) -> str:
    return "# 机器学习 cs.LG\n\n## 最新发布\n\n" + "".join(
        f"#### [new {n:03d}] {p['title']}\n- **分类: cs.LG; cs.AI**\n\n"
        "- **简介: 该论文提出一种方法。**\n\n"
        f"- **链接: [https://arxiv.org/pdf/{p['id']}v{p['version']}](https://arxiv.org/pdf/"
        f"{p['id']}v{p['version']})**\n\n> **作者:** {'; '.join(p['authors'])}\n>\n"
        f"> **摘要:** {_cited(p, n)}\n>\n---\n"
        for n, p in enumerate(papers, 1)
    )


LAYOUTS = {
    "generator": None,  # bench.synthetic.generate_digest
    "badges": badge_digest,
    "generator-2024": legacy_digest,
    "arxiv-email": email_digest,
    "ai-summary": ai_summary_digest,
    "topic-table": topic_table_digest,
    "arxiv-links": links_digest,
    # The families of issue 19 (the last ones the generic reader's).
    "topic-bullets": topic_bullets_digest,
    "weekly-table": weekly_table_digest,
    "rss-footnotes": rss_digest,
    "topic-details": topic_details_digest,
    "newsletter": newsletter_digest,
    "static-site": static_site_digest,
    "html-table": html_table_digest,
    "awesome": awesome_digest,
    "field-list": field_list_digest,
    "tagged-daily": tagged_daily_digest,
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
