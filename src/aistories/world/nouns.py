"""The open noun list (lexicon/nouns.txt, built by scripts/build_nouns.py): story things beyond the lexicon.

The lexicon's few hundred creatures, places and objects carry kinds and typo folding; this list only
says "a word that can name a thing" (about 17,800 lemmas and their plurals), so the rules can keep
"a cooler", "the water pistol" and "a zamboni". It is never used to decide that a word is not a name:
'Bob', 'Pip' and 'Rose' are nouns too. Read once, with the sha256 in its header checked.
"""

from __future__ import annotations

import hashlib
from functools import cache

from ..config import data_dir
from ..errors import DataFileError


@cache
def _table() -> dict[str, str]:
    """Every form (lemma or plural) -> its lemma."""
    path = data_dir("lexicon") / "nouns.txt"
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n# sha256 ")
    digest, _, body = body.partition("\n")
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != digest.strip():
        raise DataFileError(f"{path}: sha256 does not match its header (rebuild: scripts/build_nouns.py)")
    out: dict[str, str] = {}
    for line in body.splitlines():
        lemma, *plurals = line.split()
        out.setdefault(lemma, lemma)
        for form in plurals:
            out.setdefault(form, lemma)
    return out


def verify() -> int:
    """Read the list afresh, checking its sha256 (a DataFileError if altered); the number of word forms."""
    _table.cache_clear()
    return len(_table())


def thing(word: str) -> str | None:
    """The noun lemma a lower-case word stands for ('coolers' -> 'cooler'), or None."""
    return _table().get(word)
