"""The one home for plain-text helpers: words, sentences, names, labels and fuzzy matching.

Every module of world/ and dialogue/ that splits words or sentences, strips an article, says a
character's label ("Mo the cat") or compares a child's spelling with a known word imports it from
here. (words.py reads words against the lexicon: what a word could be, a noun, an adjective, a name.)
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from .state import Entity

# A word: letters or digits, apostrophes inside ("don't", "mo's"); any script (a Polish child's "żaba").
WORD = re.compile(r"[^\W_][\w'’]*")
# A word as extraction reads it: hyphens kept ('ice-cream'), never starting with a digit.
TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
# A sentence with its closing marks: 'Wow! Mo jumped.' -> ['Wow!', 'Mo jumped.'].
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"')\]]*|$)")
# A clause for extraction, with what ended it: a colon ends one too ('Zog: The door is too small.').
CLAUSE = re.compile(r"([^.!?;:\n]+)([.!?;:\n]*)")
_ARTICLE = re.compile(r"^(the|a|an)\s+")


def words(text: str) -> list[str]:
    """The words of a text, lower case, in order."""
    return WORD.findall(text.lower())


def sentences(text: str) -> list[str]:
    """The sentences of a text, stripped, in order."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def bare(name: str) -> str:
    """'The Banana' -> 'banana': a name without its article, lower case (what counts as saying it)."""
    return _ARTICLE.sub("", name.lower().strip())


def says(text: str, name: str) -> bool:
    """Does the text say this name (any case, whole words, with or without its article)?"""
    core = bare(name)
    return bool(core) and re.search(rf"(?<!\w){re.escape(core)}(?!\w)", text.lower()) is not None


def same_name(a: str, b: str) -> bool:
    """'the volcano' and 'Volcano' name the same thing."""
    return bare(a) == bare(b)


def with_article(name: str) -> str:
    """'lantern' -> 'the lantern'; 'the lantern', 'a key' and a proper name ('Mo') stay as they are."""
    if _ARTICLE.match(name.lower()) or name[:1].isupper():
        return name
    return f"the {name}"


def label(entity: Entity) -> str:
    """'Mo the cat' for a character whose kind is known and not already in its name, else the name."""
    kind = str(entity.attributes.get("kind") or "").split()
    noun = kind[-1] if kind else ""
    if entity.kind == "characters" and noun and noun.lower() not in entity.name.lower():
        if not entity.name.lower().startswith("the "):
            return f"{entity.name} the {noun}"
    return entity.name


def similarity(a: str, b: str) -> float:
    """0-100: how alike two strings are (normalised edit similarity)."""
    return float(fuzz.ratio(a, b))


def close(a: str, b: str, cutoff: float = 75) -> bool:
    """Same word, allowing a child's spelling: 'biscit' ~ 'biscuit' (short words must match exactly)."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and similarity(a, b) >= cutoff


def closest(word: str, choices: list[str], cutoff: float) -> str | None:
    """The choice most like a word, if any scores at least `cutoff` (0-100)."""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return best[0] if best else None


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


def stem(word: str) -> str:
    """A crude stem so 'volcanoes' takes up 'volcano' and 'jumped' takes up 'jumps'."""
    for suffix in ("ing", "ies", "es", "ed", "s", "'s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    """Stems of the content words in a text (function words, numbers and short words left out)."""
    return {stem(w) for w in words(text) if w not in FUNCTION_WORDS and len(w) > 2 and w[0].isalpha()}
