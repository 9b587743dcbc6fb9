"""Words of a child's sentence: tokens, typo folding, and what a word could be (noun, adjective, name)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import lexicon as lx

MAX_CHARS = 1000
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A colon ends a clause too: in "Zog: The door is too small." the name is a script label.
SENTENCE = re.compile(r"([^.!?;:\n]+)([.!?;:\n]*)")
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
    out = []
    for m in _WORD.finditer(sentence):
        raw = m.group(0).strip("'-")
        low = raw.lower()
        if low in _CONTRACTIONS:
            out.extend(Tok(w, w) for w in _CONTRACTIONS[low])
            continue
        if low.endswith("'s"):
            raw, low = raw[:-2], low[:-2]
        if raw:
            out.append(Tok(raw, lx.TYPOS.get(low, low)))
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


def name_of(words: list[Tok]) -> str:
    """Display form: each word capitalised, as a child would see it in a book."""
    return " ".join(w.text[:1].upper() + w.text[1:] for w in words)


def fact_attribute(adj: str) -> str:
    """Which attribute an adjective sets: colour, size, mood or (many at once) traits."""
    if adj in lx.COLOURS:
        return "colour"
    if adj in lx.SIZES:
        return "size"
    return "mood" if adj in lx.MOODS else "traits"


# Function words and chat filler: never an "idea" however new (the idea-uptake figure counts content words).
FUNCTION_WORDS = frozenset(
    """a an the and or but so then than that this these those there here it its it's is are was were be
    been being am i im i'm me my mine you your yours u ur he him his she her hers they them their we us our
    to of in on at by for with from into onto over under up down out off about after before again also
    just very really too not no yes yeah yep ok okay oh ooh um uh hmm like can could will would should
    shall may might must do does did done have has had get got go goes went going come came make made
    let lets let's what who whom whose which where when why how all any some more most much many lot lots
    one two three now next first last because if as only even still ever never always maybe please thanks
    thank hi hello bye say says said tell told know think want wants see saw look looks dont don't didnt
    didn't cant can't wont won't isnt isn't im i'll ill i've ive he's she's they're were we're you're
    gonna wanna kinda lol haha hehe xd omg idk dunno cuz cos coz because bc tho though""".split()
)
_CONTENT_WORD = re.compile(r"[a-z][a-z']+")


def stem(word: str) -> str:
    """A crude stem so 'volcanoes' takes up 'volcano' and 'jumped' takes up 'jumps'."""
    for suffix in ("ing", "ies", "es", "ed", "s", "'s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    """Stems of the content words in a text (function words and one- or two-letter words left out)."""
    return {stem(w) for w in _CONTENT_WORD.findall(text.lower()) if w not in FUNCTION_WORDS and len(w) > 2}
