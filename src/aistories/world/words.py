"""Words of a child's sentence: tokens, typo folding, and what a word could be (noun, adjective, name)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import lexicon as lx
from .text import TOKEN

MAX_CHARS = 1000
_NOUNS = lx.CREATURES | lx.PLACES | lx.OBJECTS
_NEVER_NAMES = lx.STOP | lx.DETERMINERS | lx.INTENSIFIERS | lx.LINKING | lx.PRONOUNS
_BY_INITIAL: dict[str, list[str]] = {}
for _noun in sorted(_NOUNS | lx.ADJECTIVES):
    _BY_INITIAL.setdefault(_noun[0], []).append(_noun)


@dataclass
class Tok:
    """One word: as typed, and folded (lower case, typos fixed, possessive dropped)."""

    text: str
    low: str
    pause: bool = False  # a comma or dash follows: 'Dr Pfeffer, the scientist' is a name, then a kind


def normalise(text: str) -> str:
    """Emoji to words, compatibility forms folded, length bounded."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    for emoji, word in lx.EMOJI.items():
        if emoji in text:
            text = text.replace(emoji, f" {word} ")
    return text.replace("’", "'")


_CONTRACTIONS = {
    "it's": ("it", "is"),
    "its": ("it", "is"),
    "he's": ("he", "is"),
    "she's": ("she", "is"),
    "hes": ("he", "is"),
    "shes": ("she", "is"),
    "they're": ("they", "are"),
    "theyre": ("they", "are"),
}


def tokens(sentence: str) -> list[Tok]:
    """The words of one sentence: contractions split, possessive 's dropped, typos folded."""
    out: list[Tok] = []
    for m in TOKEN.finditer(sentence):
        raw = m.group(0).strip("'-")
        low = raw.lower()
        if low in _CONTRACTIONS:
            out.extend(Tok(w, w) for w in _CONTRACTIONS[low])
            continue
        if low.endswith("'s"):
            raw, low = raw[:-2], low[:-2]
        if raw:
            pause = sentence[m.end() : m.end() + 2].lstrip(" ")[:1] in (",", "-", "–", "—", ";", ":", "(")
            out.append(Tok(raw, lx.TYPOS.get(low, low), pause))
    return out


def noun(word: str, *, fuzzy: bool = True) -> str | None:
    """The lexicon noun a word stands for (plural, or one typo away), or None."""
    if word in lx.STOP:
        return None
    if word in _NOUNS:
        return word
    for cut in (1, 2):
        if word.endswith("es"[-cut:]) and word[:-cut] in _NOUNS and len(word) > 3:
            return word[:-cut]
    return _near(word, _NOUNS) if fuzzy else None


def adjective(word: str, *, fuzzy: bool = True) -> str | None:
    """The lexicon adjective a word stands for (or one typo away), or None."""
    if word in lx.ADJECTIVES:
        return word
    return _near(word, lx.ADJECTIVES) if fuzzy else None


def _near(word: str, vocab: frozenset[str]) -> str | None:
    """A vocabulary word one edit away from a long-enough word (children's spelling)."""
    if len(word) < 5 or word in lx.STOP or word in _NOUNS or word in lx.ADJECTIVES:
        return None
    for cand in _BY_INITIAL.get(word[0], []):
        if cand in vocab and abs(len(cand) - len(word)) <= 1 and _one_edit(word, cand):
            return cand
    return None


def _one_edit(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


def is_name_word(tok: Tok, *, allow_common: bool = False) -> bool:
    """Could this word be (part of) a name? Stop words, pronouns and filler never are."""
    low = tok.low
    if len(low) < 2 or not low[0].isalpha() or low in _NEVER_NAMES or re.search(r"(.)\1\1", low):
        return False  # 'Ahhhh', 'Zzzz' are noises, not names
    fuzzy = not tok.text[:1].isupper()  # 'Sparkle' is a name, though 'sparkle' is one typo from 'sparkly'
    if not allow_common and (
        noun(low, fuzzy=fuzzy) or adjective(low, fuzzy=fuzzy) or _looks_like_adverb_or_verb(low)
    ):
        return False
    return True


def _looks_like_adverb_or_verb(low: str) -> bool:
    """'Suddenly', 'Really', 'Flying' are not names; 'Lily', 'Molly', 'Bing' may be."""
    if low.endswith("ly") and len(low) >= 6 and not low.endswith(("olly", "illy", "elly")):
        return True
    return low.endswith("ing") and len(low) >= 6


NAME_LINK_WORDS = lx.wordset("the of von van de del du la le a lot")


def name_of(words: list[Tok]) -> str:
    """Display form: each word capitalised, as a child would see it in a book; a link word inside a
    name stays as typed ('Dougie the Sneck', 'La Robe de Minuit')."""
    return " ".join(
        w.text if i and w.low in NAME_LINK_WORDS else w.text[:1].upper() + w.text[1:]
        for i, w in enumerate(words)
    )


def fact_attribute(adj: str) -> str:
    """Which attribute an adjective sets: colour, size, mood or (many at once) traits."""
    if adj in lx.COLOURS:
        return "colour"
    if adj in lx.SIZES:
        return "size"
    return "mood" if adj in lx.MOODS else "traits"
