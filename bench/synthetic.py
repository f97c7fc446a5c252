"""Synthetic arXiv digests in the real digests' format, for tests and benchmarks.

    python -m bench.synthetic 10000 -o /tmp/digest-10k.md
    python -m bench.synthetic 100000 --days 250 -o /tmp/year/   # one file per day
    python -m bench.synthetic 2000 --topics 8 -o /tmp/topics.md  # papers in 8 topics
    python -m bench.synthetic 25000 --mixed 250 -o /tmp/mixed/  # 250 files, every layout

Papers carry what the real ones do: LaTeX math (``$\\alpha$``, ``ST$^3$``), ``%`` and
``\\%``, non-ASCII author names, bold keywords inside words (``**quantize**d``),
second paragraphs that start with an indent, old-style ids and versions above 1.
Output is deterministic for a given seed.

With ``topics=N`` (N <= len(TOPICS)) each paper also belongs to one of N research
topics, drawn with unequal weights (the first topic about three times as common as the
eighth): its title usually carries a word of the topic's vocabulary, zero to three
sentences of its abstract use that vocabulary (one in three papers also a sentence of
another topic), and those sentences may bold one of the topic's keywords. So topics
are learnable but noisy, as in real digests. ``generate_labelled_digest`` returns the
topic of each id too (for benchmarks of ranking). ``topics=0``, the default, leaves
the output byte for byte what it was without topics.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import textwrap
from pathlib import Path

FIRST_NAMES = [
    "Rainer",
    "Mikhail",
    "Łukasz",
    "José",
    "Zoë",
    "Søren",
    "Jürgen",
    "Ana María",
    "Wei",
    "Yi-Pei",
    "Hideki",
    "François",
    "Ngozi",
    "Åsa",
    "Dmitrii",
    "Siân",
    "Bi'an",
    "Keng-Wei",
    "Chiara",
    "Ólafur",
    "Ren-Xin",
    "Priya",
    "Ahmet",
    "Nguyen Thi",
    "Émilie",
    "王",
]
LAST_NAMES = [
    "Engelken",
    "Müller",
    "Kowalski",
    "García",
    "Ñúñez",
    "Østergaard",
    "Nakayama",
    "Chen",
    "Smith",
    "Dubois",
    "Okafor",
    "Lindqvist",
    "Chernyshev",
    "Jones",
    "Du",
    "Chang",
    "Rossi",
    "Guðmundsson",
    "Zhao",
    "Iyer",
    "Yılmaz",
    "Hai Yen",
    "Lefèvre",
    "van der Berg",
    "伟",
]
ACRONYMS = ["LLM", "KV", "MHA", "GQA", "PCA", "BRST", "SfM", "3DGS", "LoRA", "QDoTA", "ViT"]
TITLE_WORDS = [
    "Sparse",
    "Chaos",
    "Efficient",
    "Quantization",
    "Attention",
    "Diffusion",
    "Graph",
    "Signals",
    "Learning",
    "Adaptive",
    "Tensor",
    "Decomposition",
    "Memory",
    "Inference",
    "Scalable",
    "Robust",
    "Video",
    "Understanding",
    "Models",
    "Networks",
    "Towards",
    "Language",
    "Pruning",
    "Hardware",
    "Survey",
    "Matching",
    "Crowdsourced",
    "Topological",
]
WORDS = (
    "we propose a method for the model that improves inference efficiency and reduces "
    "memory while keeping accuracy on standard benchmarks across tasks with large "
    "language models diffusion graph signals sparse attention heads cache layers "
    "training data evaluation results show significant gains in throughput latency "
    "energy cost compared to prior work our approach uses learned embeddings and "
    "structured low-rank updates"
).split()
BOLD_TERMS = ["sparse", "quantize", "quantization", "pruning", "KV", "acceleration", "low-bit"]
MATH = [
    r"$\alpha$",
    r"$\mathit{L_0}$",
    r"$\ell_1$",
    r"$\log p$",
    r"$(s_0)^{3/2}$",
    r"$\mathbf{2\times}$",
    r"$\textbf{ST}^{3}$",
    r"$\beta_2 \leq 0.5$",
    r"$O(n \log n)$",
]
SPECIALS = ["87.5%", r"0.0003\%", "~700 times", "(<1%)", "demand/supply", "x_i", "A & B"]
OLD_ARCHIVES = ["hep-th", "math.GT", "cond-mat", "astro-ph", "quant-ph"]
# Research topics: a vocabulary each (title and abstract words), its bold keywords last.
TOPICS = [
    ("retrieval augmented generation reranking passages corpus queries grounding "
     "hallucination citations dense retriever", ("retrieval", "RAG")),
    ("protein folding residues binding affinity molecular docking ligands enzymes "
     "sequence structure", ("protein", "docking")),
    ("robot manipulation grasping tactile policy locomotion embodied trajectories "
     "sim-to-real actuators", ("robot", "manipulation")),
    ("speech recognition acoustic phonemes speaker audio transcription spoken prosody "
     "waveform", ("speech", "ASR")),
    ("federated clients privacy differential aggregation heterogeneous devices "
     "communication rounds server", ("federated", "privacy")),
    ("reinforcement reward agents exploration policy-gradient environment episodes "
     "offline value critic", ("reinforcement", "reward")),
    ("medical imaging radiology segmentation tumor scans clinical patients lesions "
     "diagnosis", ("medical", "segmentation")),
    ("quantum circuits qubits entanglement variational gates noise fidelity hamiltonian "
     "annealing", ("quantum", "qubits")),
]  # fmt: skip


def _title(rng: random.Random) -> str:
    words = rng.sample(TITLE_WORDS, rng.randint(4, 9))
    if rng.random() < 0.5:
        words.insert(0, rng.choice(ACRONYMS))
    if rng.random() < 0.1:
        words[0] = words[0] + "$^3$"
    if rng.random() < 0.05:
        words.append("for Ünïcode Ωmega")
    return " ".join(words)


def _author(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    roll = rng.random()
    if roll < 0.35:
        term = rng.choice(BOLD_TERMS)
        word = f"**{term}**"
        if rng.random() < 0.3:
            word = word + "d" if term == "quantize" else f"Pivot{word}"
        words.insert(rng.randrange(len(words)), word)
    elif roll < 0.55:
        words.insert(rng.randrange(len(words)), rng.choice(MATH))
    elif roll < 0.65:
        words.insert(rng.randrange(len(words)), rng.choice(SPECIALS))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _abstract(rng: random.Random, extra: tuple[tuple[int, str], ...] = ()) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(7, 11))]
    for position, sentence in extra:
        sentences.insert(position % (len(sentences) + 1), sentence)
    body = textwrap.fill(
        " ".join(sentences), width=79, break_long_words=False, break_on_hyphens=False
    )
    if rng.random() < 0.08:
        second = textwrap.fill(
            " ".join(_sentence(rng) for _ in range(3)),
            width=79,
            break_long_words=False,
            break_on_hyphens=False,
        )
        body += "\n  " + second
    return body


def _arxiv_id(rng: random.Random, index: int, day: dt.date) -> str:
    if rng.random() < 0.01:
        # Seven digits from the running index keep every id unique.
        return f"{rng.choice(OLD_ARCHIVES)}/{index % 10_000_000:07d}"
    return f"{day.year % 100:02d}{day.month:02d}.{index % 100000:05d}"


def _topic_sentence(trng: random.Random, topic: int) -> str:
    vocabulary, keywords = TOPICS[topic]
    words = [trng.choice(WORDS) for _ in range(trng.randint(8, 14))]
    for _ in range(trng.randint(2, 4)):
        words.insert(trng.randrange(len(words)), trng.choice(vocabulary.split()))
    if trng.random() < 0.4:
        words.insert(trng.randrange(len(words)), f"**{trng.choice(keywords)}**")
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _topic_parts(trng: random.Random, topics: int) -> tuple[int, str, tuple[tuple[int, str], ...]]:
    """A paper's topic, a title word of it ('' for some), and sentences to insert."""
    topic = trng.choices(range(topics), weights=[1 / (t + 1) ** 0.6 for t in range(topics)])[0]
    title_word = trng.choice(TOPICS[topic][0].split()).title() if trng.random() < 0.7 else ""
    sentences = trng.choice((0, 1, 1, 2, 3))
    extra = [(trng.randrange(12), _topic_sentence(trng, topic)) for _ in range(sentences)]
    if topics > 1 and trng.random() < 1 / 3:
        other = trng.choice([t for t in range(topics) if t != topic])
        extra.append((trng.randrange(12), _topic_sentence(trng, other)))
    return topic, title_word, tuple(extra)


def generate_digest(
    count: int,
    *,
    seed: int = 0,
    date: dt.date | None = None,
    first_index: int = 0,
    topics: int = 0,
) -> str:
    """A digest of ``count`` papers, dated ``date``, with ids starting at ``first_index``."""
    return generate_labelled_digest(
        count, seed=seed, date=date, first_index=first_index, topics=topics
    )[0]


def generate_labelled_digest(
    count: int,
    *,
    seed: int = 0,
    date: dt.date | None = None,
    first_index: int = 0,
    topics: int = 0,
) -> tuple[str, dict[str, int]]:
    """``generate_digest``'s text and, with ``topics``, each paper's topic by arXiv id."""
    if not 0 <= topics <= len(TOPICS):
        raise ValueError(f"topics must be 0 to {len(TOPICS)}, not {topics}")
    rng = random.Random(seed)
    # Topic choices draw from their own generator so the rest of the text stays the same.
    trng = random.Random(f"topics-{seed}")
    date = date or dt.date(2025, 1, 3)
    papers = []
    labels: dict[str, int] = {}
    for index in range(first_index, first_index + count):
        submitted = date - dt.timedelta(days=rng.randint(1, 6))
        title = _title(rng)
        authors = ", ".join(_author(rng) for _ in range(rng.randint(1, 8)))
        arxiv_id = _arxiv_id(rng, index, date)
        url = f"http://arxiv.org/abs/{arxiv_id}v{rng.choice((1, 1, 1, 2, 3))}"
        extra: tuple[tuple[int, str], ...] = ()
        if topics:
            labels[arxiv_id], title_word, extra = _topic_parts(trng, topics)
            if title_word:
                words = title.split(" ")
                words.insert(trng.randrange(len(words) + 1), title_word)
                title = " ".join(words)
        papers.append((title, authors, submitted.isoformat(), url, _abstract(rng, extra)))
    toc = "\n".join(f"* [{title}](#{title.replace(' ', '-')})" for title, *_ in papers)
    sections = "\n\n".join(
        f"## {title}\n\n>Authors: {authors}\n\n>{submitted}\n\n> {url}\n\n{abstract}\n"
        for title, authors, submitted, url, abstract in papers
    )
    return f"# {date.isoformat()}\n\n# Table of Contents\n{toc}\n\n\n{sections}", labels


def write_digests(
    count: int, target: Path, *, days: int = 1, seed: int = 0, topics: int = 0
) -> list[Path]:
    """Write ``count`` papers to ``target``: one file, or ``days`` dated files in a folder."""
    if days <= 1 and target.suffix == ".md":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generate_digest(count, seed=seed, topics=topics), encoding="utf-8")
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    per_day, extra = divmod(count, max(days, 1))
    paths = []
    first = 0
    start = dt.date(2025, 1, 3)
    for day in range(max(days, 1)):
        size = per_day + (1 if day < extra else 0)
        date = start + dt.timedelta(days=day)
        path = target / f"{date.isoformat()}.md"
        path.write_text(
            generate_digest(size, seed=seed + day, date=date, first_index=first, topics=topics),
            encoding="utf-8",
        )
        paths.append(path)
        first += size
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of papers")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="a .md file, or a folder when --days > 1"
    )
    parser.add_argument("--days", type=int, default=1, help="split over this many daily files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--topics", type=int, default=0, help=f"papers in this many topics (0-{len(TOPICS)})"
    )
    parser.add_argument("--mixed", type=int, metavar="FILES",
                        help="FILES files in every layout (bench.synthetic_layouts)")  # fmt: skip
    args = parser.parse_args()
    if args.mixed:
        from bench.synthetic_layouts import write_mixed

        paths = write_mixed(args.count, args.output, files=args.mixed, seed=args.seed)
    else:
        paths = write_digests(
            args.count, args.output, days=args.days, seed=args.seed, topics=args.topics
        )
    size = sum(path.stat().st_size for path in paths)
    print(f"wrote {args.count} papers in {len(paths)} file(s), {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
