"""Author names as BibTeX and reference managers need them: family name, groups, junk.

``family_name(name)``: BibTeX's "Last" part of "First von Last" without Jr./III.
``is_group_name(name)``: no personal name in it (``Gemma Team``, ``DeepSeek-AI``).
``usable_name(name)``: False for junk a digest may carry (``:``, empty, ``...``).
Plain functions, no I/O, no Textual.
"""

from __future__ import annotations

import re

__all__ = ["family_name", "is_group_name", "usable_name"]

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


# Words that make a name an organisation's, not a person's ("Gemma Team").
_GROUP_WORDS = frozenset(
    """team collaboration consortium group groups lab labs laboratory project committee
    initiative alliance organization organisation foundation institute university
    corporation corp inc ltd llc association society community authors contributors
    network center centre""".split()
)
_GROUP_TOKENS_CASED = frozenset({"AI"})  # "Mistral AI" but not the given name "Ai"
_HAS_ALNUM_RE = re.compile(r"[^\W_]")


def is_group_name(name: str) -> bool:
    """True for an author with no personal name: ``Gemma Team``, ``DeepSeek-AI``, ``OpenAI``.

    A single word is a group (or a mononym, which BibTeX treats the same way); so is a
    name holding a word such as Team, Collaboration, Consortium, Lab, Inc, or ``AI``.
    """
    tokens = name.split()
    if len(tokens) <= 1:
        return True
    return any(
        token.strip(".,()").lower() in _GROUP_WORDS or token in _GROUP_TOKENS_CASED
        for token in tokens
    )


def usable_name(name: str) -> bool:
    """False for junk a digest may carry as an author: empty, ``:``, ``-``, ``...``."""
    return _HAS_ALNUM_RE.search(name) is not None


def _starts_lowercase(token: str) -> bool:
    for char in token:
        if char.isalpha():
            return char.islower()
    return False


def family_name(name: str) -> str:
    """BibTeX's "Last" part of a "First von Last" name, without Jr./III suffixes."""
    tokens = name.split()
    while len(tokens) > 1 and tokens[-1].lower().rstrip(".,") in _SUFFIXES:
        tokens.pop()
    if tokens:
        tokens[-1] = tokens[-1].rstrip(",")
    particles = [i for i in range(1, len(tokens) - 1) if _starts_lowercase(tokens[i])]
    start = particles[-1] + 1 if particles else len(tokens) - 1
    return " ".join(tokens[start:])
