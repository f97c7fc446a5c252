"""Pages the generic reader has never seen, generated from parts: the same answers.

Each page repeats one block per paper, its parts (title, id, authors, abstract) in an
order drawn once for the page and written one of several ways; abstracts cite other
ids at random. Whatever the order and the markup: one paper per block, in order, no
phantom paper for a cited id, and every paper keeps its own title, authors and
abstract (none stolen from a neighbour).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.formats import arxiv_links

WORDS = "sparse graph neural field kernel robust tensor quantum signal memory policy vision".split()
FIRST = ["Ana", "Bo", "Chen", "Dana", "Emil", "Femi", "Gita", "Hugo", "Ines", "Jun"]
LAST = ["Lima", "Novak", "Okafor", "Park", "Quist", "Rossi", "Sato", "Tanaka", "Ueda"]

ids = st.integers(10000, 99999).map(lambda n: f"25{(n % 12) + 1:02d}.{n:05d}")


@st.composite
def paper(draw):
    title = " ".join(
        w.capitalize() for w in draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=7))
    )
    names = draw(
        st.lists(st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)), min_size=1, max_size=4)
    )
    sentences = draw(
        st.lists(st.lists(st.sampled_from(WORDS), min_size=8, max_size=14), min_size=2, max_size=4)
    )
    abstract = " ".join(" ".join(words).capitalize() + "." for words in sentences)
    return title, [f"{a} {b}" for a, b in names], abstract


LINKS = {
    "abs": "[arXiv](https://arxiv.org/abs/{id})",
    "text": "arXiv:{id}",
    "hf": "https://huggingface.co/papers/{id}",
    "label": "**arXiv**: [{id}](https://arxiv.org/abs/{id})",
}
AUTHORS = {"label": "**Authors**: {names}", "italic": "_{names}_", "plain": "{names}"}
ABSTRACTS = {
    "label": "**Abstract**: {text}",
    "details": "<details><summary>Abstract</summary>\n{text}\n</details>",
    "plain": "{text}",
}
CITES = ["as shown in arXiv:{id}", "(see https://arxiv.org/abs/{id})", "unlike arXiv {id}"]


@st.composite
def page(draw):
    papers = draw(st.lists(paper(), min_size=2, max_size=6))
    own = draw(st.lists(ids, min_size=len(papers), max_size=len(papers), unique=True))
    cited = draw(st.lists(ids.filter(lambda i: i not in own), min_size=1, max_size=4))
    link = draw(st.sampled_from(sorted(LINKS)))
    authors = draw(st.sampled_from(sorted(AUTHORS)))
    abstract = draw(st.sampled_from(sorted(ABSTRACTS)))
    order = draw(st.permutations(["link", "authors", "abstract"]))
    if authors == "plain":  # a bare line of names is read right after the title
        order = ["authors", *[part for part in order if part != "authors"]]
    heading = draw(st.sampled_from(["## ", "### ", "#### "]))
    number = draw(st.booleans())
    blocks = []
    for index, ((title, names, text), arxiv_id) in enumerate(zip(papers, own, strict=True)):
        if draw(st.booleans()):
            cite = draw(st.sampled_from(CITES)).format(id=draw(st.sampled_from(cited)))
            text = f"{text[:-1]}, {cite}."
        parts = {
            "link": LINKS[link].format(id=arxiv_id),
            "authors": AUTHORS[authors].format(names=", ".join(names)),
            "abstract": ABSTRACTS[abstract].format(text=text),
        }
        lead = f"{index + 1}. " if number else ""
        blocks.append("\n\n".join([f"{heading}{lead}{title}", *(parts[p] for p in order)]))
    text = "# Digest\n\n" + "\n\n".join(blocks) + "\n"
    return text, papers, own, cited


@settings(max_examples=200, deadline=None)
@given(page())
def test_generated_pages_read_one_paper_per_block_with_its_own_parts(drawn):
    text, papers, own, cited = drawn
    reading = arxiv_links.read(text, Path("generated.md"))
    assert [p.arxiv_id for p in reading.papers] == own, text
    for got, (title, names, abstract) in zip(reading.papers, papers, strict=True):
        assert got.title == title, text
        assert got.authors == tuple(names), text
        assert got.abstract.startswith(abstract[:-1]), text
        assert not set(cited) & {got.arxiv_id}
