"""What a child's line is doing: stuck, asking, saying goodbye, playing with words, or picking an option."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..world.text import words as word_list

STUCK = {
    "dunno",
    "idk",
    "i dunno",
    "i dont know",
    "i don't know",
    "dont know",
    "don't know",
    "no idea",
    "not sure",
    "nothing",
    "um",
    "umm",
    "ummm",
    "hmm",
    "hmmm",
    "eh",
    "meh",
    "you pick",
    "u pick",
    "you choose",
    "u choose",
    "you decide",
    "whatever",
    "anything",
    "i don't know what",
    "?",
    "??",
    "???",
    "no",
    "nope",
    "dunno lol",
    "idc",
    "dunno what",
    "you say",
}
BYE = {
    "bye",
    "goodbye",
    "bye bye",
    "the end",
    "stop",
    "i want to stop",
    "im tired",
    "i'm tired",
    "i have to go",
    "gotta go",
    "good night",
    "goodnight",
    "finish",
    "the end!",
    "end",
}
# Words that ask: as written, and as children type them ('wot colur is biscit').
QUESTION_WORD = frozenset(
    "what who where why how which whats what's wheres where's whos who's wot wat wht wut whut wots wats "
    "wos wich hoo hw whit wit wer wher whare wair remember rember remeber".split()
)
# A line opening with one of these (and two words or more) is a question; a question word may also
# follow filler: 'wait what's the rocket called', 'ok so who was the baddie'.
QUESTION_START = QUESTION_WORD | frozenset("when is are can does do did will was were wer wen".split())
SILLY = {
    "poo",
    "poop",
    "poopoo",
    "bum",
    "fart",
    "burp",
    "blah",
    "bla",
    "boop",
    "beep",
    "wibble",
    "wobble",
    "skibidi",
    "gobbledygook",
    "bleh",
    "lol",
    "lolol",
    "haha",
    "hahaha",
    "hehe",
    "hehehe",
    "banana",
    "bananas",
    "boing",
    "splat",
    "bonk",
    "wee",
    "weee",
    "yeet",
    "moo",
    "oink",
    "woof",
    "meow",
    "la",
    "lala",
    "doo",
    "dee",
    "zoop",
    "bloop",
    "squish",
    "plop",
    "toot",
    "booger",
    "bogey",
    "bottom",
}
VOWELS = set("aeiouy")


# Clauses of a line ('ok not bad. what colour is his brace then'): a question may follow chatter.
_PARTS = re.compile(r"[.!;,]+\s*")
_RECAP = re.compile(r"\b(what happened|what has happened|so far|recap)\b")
_REMIND = re.compile(r"\bremind me\b")
# 'who designed the dress, remind me' asks one thing, not for the story so far.
_SPECIFIC = re.compile(r"\b(who|whos|what|whats|wot|wat|where|which|how)\b(?! happened| has happened)")


# A question word closing a clause after one of these asks for the missing part.
ECHO_BEFORE = frozenset("of is was called named with from in to at".split())
FILLER = frozenset("and so ok okay wait hang on but then um umm hmm right lol ha hey oh also now".split())


def _asks(said: list[str], starts: frozenset[str]) -> bool:
    """Does one clause ask something: 'what colour is it', 'ok so who was the baddie'? A later clause
    must open with a question word ('..., when he wakes up' is not a question)."""
    while said and said[0] in FILLER:
        said = said[1:]  # 'and were is the pitch', 'ok so wait who was it'
    if len(said) >= 2 and said[0] in starts:
        return True
    if len(said) >= 3 and said[-1] in QUESTION_WORD and said[-2] in ECHO_BEFORE:
        return True  # 'and the ball was made of wat', 'his name is what'
    return len(said) >= 3 and bool(QUESTION_WORD & set(said[1:3])) and said[0] not in {"i", "we", "he", "she"}


@dataclass(frozen=True)
class Signals:
    """Cheap facts about one child line that the planner uses."""

    words: list[str] = field(default_factory=list)
    is_stuck: bool = False
    is_question: bool = False
    is_bye: bool = False
    is_silly: bool = False
    wants_recap: bool = False
    picked: str | None = None  # the offered option the child chose, if any
    new_story: str = ""  # the kind of story the child asked for instead ('robot', 'space pirate')


def read_signals(text: str, offered: list[str] | None = None) -> Signals:
    """Classify a (cleaned) child line; never raises on any text."""
    low = text.lower().strip()
    said = word_list(low)
    bare = " ".join(said)
    parts = [word_list(part) for part in _PARTS.split(low)]
    is_question = bare not in STUCK and (
        "?" in low or any(_asks(p, QUESTION_START if n == 0 else QUESTION_WORD) for n, p in enumerate(parts))
    )
    wants_recap = bool(_RECAP.search(low)) or (bool(_REMIND.search(low)) and not _SPECIFIC.search(low))
    return Signals(
        words=said,
        is_stuck=not said or bare in STUCK or low in STUCK,
        is_question=is_question and not wants_recap,
        is_bye=bare in BYE or low in BYE,
        is_silly=_is_silly(said),
        wants_recap=wants_recap,
        picked=_picked(low, said, offered or []),
        new_story=story_request(low),
    )


# 'can we do a robot story instead', 'i want a space adventure', 'a story about pirates please'.
_ASK = (
    r"(?:can we|could we|can u|can you|lets|let's|let us|i want|i wanna|i'd like|id like|make it|"
    r"how about|what about|do|tell me|now)"
)
_REQUEST = re.compile(
    rf"\b{_ASK}\b[^.?!]{{0,20}}?\b(?:a|an)\s+((?:[a-z]+\s+){{0,1}}[a-z]+)\s+(?:story|adventure|tale)\b"
    r"|\b(?:story|adventure|tale)\s+(?:about|with)\s+(?:a |an |the |some )?([a-z]+(?:\s+[a-z]+)?)"
)
_NOT_A_KIND = {
    "new",
    "different",
    "other",
    "another",
    "same",
    "good",
    "fun",
    "funny",
    "nice",
    "happy",
    "long",
    "short",
    "better",
    "real",
    "true",
    "cool",
    "whole",
    "bedtime",
    "little",
    "big",
    "scary",
    "sad",
    "this",
    "that",
    "me",
    "you",
    "us",
    "it",
    "my",
    "our",
    "your",
    "please",
    "pls",
    "plz",
    "now",
    "instead",
    "one",
    "again",
    "ok",
    "okay",
    "today",
    "then",
    "too",
}


# 'can we do a heist instead', 'can we do sheep insted of a garden', 'lets do a football one instead'.
_INSTEAD = re.compile(
    r"\b(?:can we|could we|can u|can you|lets|let's|let us|i want to|i wanna|how about we)"
    r" (?:do|have|make|play)"
    r" (?:a |an |some )?((?:(?!the\b)[a-z]+\s+)?(?!the\b)[a-z]+) (?:one |story |stories |adventure )?"
    r"(?:instead|insted|instid|insteed|insted of)\b"
)


def story_request(low: str) -> str:
    """The kind of story asked for ('robot'), or '' when the line asks for none."""
    m = _REQUEST.search(low) or _INSTEAD.search(low)
    if not m:
        return ""
    kind = (m.group(1) or (m.group(2) if m.re is _REQUEST else "") or "").strip()
    words = [w for w in kind.split() if w not in _NOT_A_KIND]
    return " ".join(words)


def _is_silly(words: list[str]) -> bool:
    """Nonsense or language play: silly words, repeated letters, vowel-less or repeated chunks."""
    if not words:
        return False
    odd = 0
    for w in words:
        if w in SILLY or re.search(r"(.)\1\1", w) or (len(w) > 3 and not VOWELS & set(w)):
            odd += 1
        elif len(w) >= 6 and re.fullmatch(r"(.{2,4})\1+.?", w):
            odd += 1
    return odd * 2 >= len(words) or (len(words) >= 2 and len(set(words)) == 1)


def _picked(low: str, words: list[str], offered: list[str]) -> str | None:
    """Which of the last offered options the child picked ("the first one", "lantern", "b")."""
    if len(offered) < 2:
        return None
    if words[:1] in (["a"], ["1"], ["first"]) and len(words) <= 3 or "first" in words:
        return offered[0]
    if words[:1] in (["b"], ["2"], ["second"]) and len(words) <= 3 or "second" in words or "other" in words:
        return offered[1]
    hits = [o for o in offered if _content_words(o) & set(words)]
    return hits[0] if len(hits) == 1 else None


def _content_words(option: str) -> set[str]:
    """Words of an option that identify it (not 'the', 'to', ...)."""
    small = {"the", "a", "an", "to", "of", "in", "on", "go", "find", "and", "with", "up", "at", "it"}
    return {w for w in word_list(option) if w not in small and len(w) > 2}
