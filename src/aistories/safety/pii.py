"""Personal details: find them in a message, and mask them (the redactor fails closed).

Covers emails, UK and international phone numbers, UK postcodes, street addresses, school names and
full names introduced as real people ("my teacher is Sarah Jones"). Story names ("a dragon called
Pip") are not PII. Research exports and the model's copy of a child's turn use `redact`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable

log = logging.getLogger(__name__)
LAYER = "pii"
MASK = "█"

_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.I)
_PHONE = re.compile(
    r"(?<![\w])(?:\+?44\s?\(?0?\)?|\(?0)\s?\d(?:[\s-]?\d){8,9}(?![\w])|(?<![\w])\+\d{1,3}(?:[\s-]?\d){7,12}(?![\w])"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_STREET = (
    r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|place|gardens|court|terrace|"
    r"grove|hill|park|square|mews"
)
_ADDRESS = re.compile(rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-Za-z']+\s+){{1,3}}(?:{_STREET})\b\.?", re.I)
# A school type word names a school in any case ('oakwood primary'); a bare 'school' or 'academy' only
# after capitalised words ('Maple Creek School'), since 'the whole school' and 'said about school' are not.
_SCHOOL_TYPE = (
    r"primary|secondary|junior|juniors|infants?|high school|grammar|middle school|elementary|montessori"
)
_SCHOOL_NOT = (
    r"to|at|go|goes|went|going|the|my|a|an|in|from|i|im|attend|back|after|before|and|new|old|big|our|your|"
    r"his|her|their|this|that|no|miss|missed|love|hate|like|at|of|for|is|was|its|it's|me|in|on|mum|dad|"
    r"said|about|when|whole|real|with|whats|what|which|every|next|last|first|normal|proper|junior|high|year"
)
_SCHOOL = re.compile(
    rf"(?i:\b(?:(?:st\.?|saint)\s+)?(?:(?!(?:{_SCHOOL_NOT})\b)[a-z][\w'’]+\s+){{1,3}}"
    rf"(?:{_SCHOOL_TYPE})(?:\s+(?:school|academy))?\b)"
    rf"|\b(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w'’]+\s+){{1,3}}(?:School|Academy|College|[Ss]chool)\b"
)
_RELATION = (
    r"mum|mummy|mom|mommy|mam|mother|dad|daddy|father|teacher|friend|best friend|brother|sister|nan|nana|"
    r"nanny|gran|granny|grandad|grandpa|grandma|uncle|aunt|auntie|aunty|carer|step ?dad|step ?mum|cousin|"
    r"neighbour|neighbor|doctor|nurse|coach|babysitter"
)
# Cues after which any-case words are a name: 'my name is amy leigh', 'my mum is called sarah smith'.
_NAME_CUE = (
    rf"(?:(?:my|ma|mah|me) (?:real |full |first |whole )?(?:name|naym|nayme|nane)(?:'s| is| iz)|i'?m called|"
    rf"i am called|full name|"
    rf"(?:my|ma) (?:{_RELATION})(?:'s|s)? (?:real )?(?:name is|is called|called|is named|named)|"
    rf"(?:mum|dad|teacher|friend)'?s called)"
)
# After a cue, one to three name words (any case), stopping at words that are never part of a name.
_NOT_NAME = (
    r"and|but|or|i|im|i'm|is|was|the|a|an|my|in|at|on|from|to|and|it|he|she|they|we|you|because|cos|so|"
    r"then|but|who|not|really|very|years?|old|age|like|likes|love|loves|lol|haha|ok|okay|too|also|btw|"
    r"its|it's|what|whats|what's|but|yeah|yes|no|when|if|with|for|of|just|actually|secretly|sometimes"
)
_NAME_WORD = rf"(?!(?:{_NOT_NAME})\b)[A-Za-z][a-z'’-]+"
_FULL_NAME = re.compile(rf"(?i:\b{_NAME_CUE})\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")
# 'my teacher is Sarah Jones', 'lives with Tom Baker': a capitalised first name and surname.
_CAPITALISED_NAME = re.compile(
    rf"(?i:\b(?:my (?:{_RELATION})(?: is)?|lives with|living with|i'?m|i am|im))\s+"
    rf"([A-Z][a-z'-]+\s+[A-Z][a-z'-]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z][a-z'-]+)?)"
)
# A title and a surname, when it names a real person around the child: 'mrs okafor', 'Mr Patel'.
_TITLED = re.compile(
    rf"(?i:\b(?:my|our|the)\s+(?:teacher|headteacher|head|neighbou?r|coach|doctor|dentist|nurse|babysitter)\s+"
    rf"(?:is\s+)?)((?:mrs|mr|miss|ms|dr|sir)\.?\s+{_NAME_WORD})"
)
_SURNAME_CUE = re.compile(r"(?i:\bmy (?:surname|last name|second name|family name) is)\s+([A-Za-z'-]+)")
_PLACE_CUE = (
    r"(?:i|we|a) (?:live|liv|lives|lived|living|are living|stay|stayed|used to live) "
    r"(?:at|in|on|near|next to|by|off)|"
    r"(?:i'?m|i am|we are|we're|we'?re|i come|we come|i'm originally|my family is) from|"
    r"my (?:house|home|flat|school|nan'?s house) is (?:in|on|at|near)|i go to school (?:in|at)"
)
_GENERIC_PLACE = (
    r"the|a|an|my|our|this|that|hospital|castle|cave|house|flat|tent|ward|bed|caravan|van|car|story|"
    r"space|here|there|heaven|home|bed|africa|europe|england|scotland|wales|ireland|america|uk|usa"
)
_WHERE = re.compile(
    rf"(?i:\b(?:{_PLACE_CUE}))\s+((?!(?:{_GENERIC_PLACE})\b)[A-Za-z0-9][\w'’-]*(?:\s+(?!(?:{_NOT_NAME}|near|next|by|off|with)\b)[A-Za-z][\w'’-]*){{0,2}})"
)
# A street said without a number: 'on ashgrove road', 'in Hearsall Lane'.
_STREET_NAME = re.compile(
    r"\b(?:on|in|at|off|near|down)\s+((?!(?:the|a|my|your|this|that|our|his|her|their|every|one|same)\b)[a-z][\w'’]+\s+(?:[a-z][\w'’]+\s+)?"
    r"(?:road|street|avenue|lane|close|drive|crescent|grove|terrace|mews|gardens|way|court))\b",
    re.I,
)
# A US town, state and ZIP code: 'Lubbock TX 79416'.
_US_TOWN_ZIP = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)\b")
_USERNAME = re.compile(r"(?i:\b(?:username|user name|gamertag|password|passcode|pin) (?:is|=|:)\s*)(\S+)")
_DIGIT = re.compile(r"\d")
_STREET_WORDS = (
    "road",
    "street",
    "avenue",
    "lane",
    "close",
    "drive",
    "crescent",
    "grove",
    "terrace",
    "mews",
    "gardens",
    "way",
    "court",
)


def _has(*needles: str) -> Callable[[str, str], bool]:
    """A gate: the lower-case text contains one of these (every match of the pattern does)."""
    return lambda _text, low: any(n in low for n in needles)


def _digit(text: str, _low: str) -> bool:
    return _DIGIT.search(text) is not None


def _upper(text: str, low: str) -> bool:
    return text != low


# Each kind with a cheap gate that every match needs: most lines skip most patterns (redaction runs on
# every turn of every research export).
_KINDS: tuple[tuple[str, re.Pattern[str], Callable[[str, str], bool]], ...] = (
    ("email", _EMAIL, _has("@", "(at)", "[at]")),
    ("phone", _PHONE, _digit),
    ("postcode", _POSTCODE, _digit),
    ("address", _ADDRESS, _digit),
    (
        "school",
        _SCHOOL,
        _has(
            "prim",
            "second",
            "junior",
            "infant",
            "grammar",
            "school",
            "elementary",
            "montessori",
            "academy",
            "college",
        ),
    ),
    ("name", _FULL_NAME, _has("na", "called")),
    ("name", _CAPITALISED_NAME, _upper),
    ("name", _TITLED, _has("mr", "ms", "miss", "dr", "sir")),
    ("name", _SURNAME_CUE, _has("name")),
    ("place", _WHERE, _has("liv", "stay", "from", " is ", "school")),
    ("address", _STREET_NAME, _has(*_STREET_WORDS)),
    ("address", _US_TOWN_ZIP, _digit),
    ("login", _USERNAME, _has("name", "tag", "pass", "pin")),
)


def _prepare(text: str) -> str:
    # Fullwidth digits and look-alike @ signs become plain, so masking sees what a reader sees.
    return unicodedata.normalize("NFKC", text)


def find_pii(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each personal detail in the NFKC form of text."""
    text = _prepare(text)
    low = text.lower()
    spans: list[tuple[str, int, int]] = []
    for kind, pattern, gate in _KINDS:
        if not gate(text, low):
            continue
        for m in pattern.finditer(text):
            start, end = (m.start(1), m.end(1)) if pattern.groups else (m.start(), m.end())
            if kind == "school" and _is_story_school(m.group(0)):
                continue
            spans.append((kind, start, end))
    return sorted(spans, key=lambda s: s[1])


def _is_story_school(found: str) -> bool:
    """'the magic school', 'my school', 'high school' are not a named school."""
    if re.search(
        r"(?i)\b(?:magic|wizard|dragon|fairy|monster|hogwarts|school for|unicorn|space|robot)\b", found
    ):
        return True
    words = re.findall(r"[\w'’]+", found.lower())
    generic = {
        "my",
        "the",
        "a",
        "at",
        "to",
        "in",
        "go",
        "our",
        "your",
        "his",
        "her",
        "new",
        "old",
        "big",
        "primary",
        "secondary",
        "high",
        "school",
        "junior",
        "middle",
        "nursery",
        "hospital",
        "art",
        "of",
        "and",
        "back",
        "from",
        "after",
        "before",
        "miss",
        "missed",
        "love",
        "hate",
        "like",
    }
    return all(w in generic for w in words) or words[:1] in (["at"], ["to"], ["in"], ["after"], ["from"])


def pii_kinds(text: str) -> list[str]:
    """The kinds of personal detail present, without duplicates, in order of appearance."""
    return list(dict.fromkeys(kind for kind, _, _ in find_pii(text)))


def _mask(text: str, spans: list[tuple[str, int, int]]) -> str:
    out, last = [], 0
    for kind, start, end in spans:
        if start < last:  # overlapping details are masked as one
            last = max(last, end)
            continue
        out.append(text[last:start])
        out.append(f"[{kind}]")
        last = end
    out.append(text[last:])
    return "".join(out)


def redact(text: str) -> str:
    """Text with personal details replaced by `[kind]`; on any internal error, fully masked (fails closed)."""
    try:
        if not isinstance(text, str):
            raise TypeError(f"redact() needs str, got {type(text).__name__}")
        prepared = _prepare(text)
        return _mask(prepared, find_pii(prepared))
    except Exception:  # noqa: BLE001 - fail closed on anything: research data must never leak
        log.exception("redaction failed; returning fully masked text")
        return MASK * 8
