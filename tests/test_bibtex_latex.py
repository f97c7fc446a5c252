"""BibTeX as a LaTeX writer needs it: accents, group authors, junk names, key, warnings."""

from __future__ import annotations

import pytest

from tests.test_bibtex import entry_fields, make_paper, parse_one
from tui_reader.bibtex import format_entry, is_group_name


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("Íñigo Martí", "{\\'I}{\\~n}igo Mart{\\'i}"),
        ("Ïsa Jïrí", '{\\"I}sa J{\\"i}r{\\\'i}'),
        ("Ĵan Ǐlić", "{\\^J}an {\\v{I}}li{\\'c}"),
        ("Nguyễn Văn Hoàng", "Nguy{\\~{\\^e}}n V{\\u{a}}n Ho{\\`a}ng"),
        ("Phạm Tuấn", "Ph{\\d{a}}m Tu{\\'{\\^a}}n"),
        ("Đỗ Thị Hồng Ngọc", "{\\DJ}{\\~{\\^o}} Th{\\d{i}} H{\\`{\\^o}}ng Ng{\\d{o}}c"),
        ("Pál Erdős", "P{\\'a}l Erd{\\H{o}}s"),
        ("Jürgen Müller", 'J{\\"u}rgen M{\\"u}ller'),
    ],
)
def test_accents_sit_on_plain_letters_and_stack(name, latex):
    fields = entry_fields(make_paper("2501.00001", "T", [name]))
    assert fields["author"] == latex
    assert "\\i" not in fields["author"] and "\\j" not in fields["author"]


@pytest.mark.parametrize(
    ("names", "author"),
    [
        (["Gemma Team", "Ada Lovelace"], "{Gemma Team} and Ada Lovelace"),
        (["DeepSeek-AI"], "{DeepSeek-AI}"),
        (["The ATLAS Collaboration"], "{The ATLAS Collaboration}"),
        (["Mistral AI", "Qwen Team"], "{Mistral AI} and {Qwen Team}"),
        (["Ai Chen", "Teamo Suzuki"], "Ai Chen and Teamo Suzuki"),
        (["OpenAI"], "OpenAI"),  # one word: BibTeX's family name already
    ],
)
def test_group_authors_are_braced_whole(names, author):
    assert entry_fields(make_paper("2501.00001", "T", names))["author"] == author


def test_group_names():
    assert is_group_name("Gemma Team") and is_group_name("DeepSeek-AI")
    assert not is_group_name("Ai Chen") and not is_group_name("Jean de La Fontaine")


def test_junk_names_are_dropped_with_a_warning():
    warnings: list[str] = []
    paper = make_paper("2501.00001", "T", [":", "Ada Lovelace", " ", "...", "Alan Turing"])
    entry = format_entry(paper, "lovelace2024t", warnings=warnings)
    assert parse_one(entry)["author"] == "Ada Lovelace and Alan Turing"
    assert warnings == [
        "lovelace2024t: dropped the author ':', which is not a name",
        "lovelace2024t: dropped the author '', which is not a name",
        "lovelace2024t: dropped the author '...', which is not a name",
    ]


def test_an_entry_without_authors_has_a_key_field():
    fields = entry_fields(make_paper("2501.00001", "Über **LLM** agents", [":"]))
    assert "author" not in fields
    assert fields["key"] == '{\\"U}ber LLM agents'
    assert "key" not in entry_fields(make_paper("2501.00001", "T", ["Ada Lovelace"]))


def test_characters_without_ascii_latex_are_a_warning_naming_the_entry():
    warnings: list[str] = []
    paper = make_paper("2501.00001", "Emoji 🙂 and שלום", ["Ada Lovelace"])
    format_entry(paper, "lovelace2024emoji", warnings=warnings)
    assert len(warnings) == 1
    assert warnings[0].startswith("lovelace2024emoji: no ASCII LaTeX for ")
    assert "🙂 (U+1F642)" in warnings[0] and "--utf8" in warnings[0]
    warnings.clear()
    format_entry(paper, "lovelace2024emoji", utf8=True, warnings=warnings)
    assert warnings == []
    format_entry(make_paper("2501.00001", "Plain Müller", ["Ada"]), "k", warnings=warnings)
    assert warnings == []


def test_markdown_bold_in_a_title_is_emphasis():
    fields = entry_fields(make_paper("2501.00001", "Why **LLM** agents **fail often**", ["A B"]))
    assert fields["title"] == "Why \\emph{{LLM}} agents \\emph{fail often}"
    fields = entry_fields(make_paper("2501.00001", "**Bold** start, a ** b", ["A B"]))
    assert fields["title"] == "\\emph{Bold} start, a ** b"


def test_tags_become_keywords():
    entry = format_entry(make_paper("2501.00001", "T", ["A B"]), "k", tags=("ml", "to_cite"))
    assert parse_one(entry)["keywords"] == "ml, to\\_cite"


def test_primary_class_from_the_first_category():
    import dataclasses

    paper = dataclasses.replace(
        make_paper("2501.00001", "T", ["A B"]), categories=("cs.LG", "stat.ML")
    )
    assert entry_fields(paper)["primaryClass"] == "cs.LG"
    old = dataclasses.replace(make_paper("math.GT/0309136", "T", ["A B"]), categories=("x.Y",))
    assert entry_fields(old)["primaryClass"] == "math.GT"
    odd = dataclasses.replace(paper, categories=("Computer Science {x}",))
    assert "primaryClass" not in entry_fields(odd)
