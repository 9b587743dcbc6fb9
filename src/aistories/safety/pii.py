"""Personal details: find them in a message, and mask them (the redactor fails closed).

Covers emails, UK and international phone numbers, UK postcodes, street addresses, school names and
full names introduced as real people ("my teacher is Sarah Jones"). Story names ("a dragon called
Pip") are not PII. Research exports and the model's copy of a child's turn use `redact`.
"""

from __future__ import annotations

import logging
import re
import unicodedata

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
    r"grove|hill|park|square|mews|row|walk|view"
)
_ADDRESS = re.compile(rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-Za-z']+\s+){{1,3}}(?:{_STREET})\b\.?", re.I)
_SCHOOL = re.compile(
    r"\b(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w']+\s+){1,4}(?:Primary|Secondary|Junior|Infants?|High|Grammar|"
    r"Middle|Prep|Preparatory|Community|C\.?\s?of\s?E\.?|Catholic)\s*(?:School|Academy)?\b"
    r"|\b(?:[A-Z][\w']+\s+){1,4}(?:School|Academy)\b"
)
_NAME_CUE = (
    r"(?:my (?:real |full )?name is|i'?m called|my (?:mum|mummy|mom|dad|daddy|teacher|friend|brother|sister|"
    r"nan|nana|grandad|grandma|uncle|aunt|auntie|carer|step ?dad|step ?mum)(?:'s name)? is|"
    r"(?:mum|dad|teacher|friend)'?s called|lives with)"
)
_FULL_NAME = re.compile(rf"(?i:\b{_NAME_CUE})\s+([A-Z][a-z'-]+\s+[A-Z][a-z'-]+(?:-[A-Z][a-z]+)?)")
_SURNAME_CUE = re.compile(r"(?i:\bmy (?:surname|last name|second name) is)\s+([A-Za-z'-]+)")
_WHERE = re.compile(r"(?i:\bi (?:live|go to school) (?:at|in|on))\s+([A-Z0-9][\w' -]{2,40})")
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("phone", _PHONE),
    ("postcode", _POSTCODE),
    ("address", _ADDRESS),
    ("school", _SCHOOL),
    ("name", _FULL_NAME),
    ("name", _SURNAME_CUE),
    ("place", _WHERE),
)


def _prepare(text: str) -> str:
    # Fullwidth digits and look-alike @ signs become plain, so masking sees what a reader sees.
    return unicodedata.normalize("NFKC", text)


def find_pii(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each personal detail in the NFKC form of text."""
    text = _prepare(text)
    spans: list[tuple[str, int, int]] = []
    for kind, pattern in _KINDS:
        for m in pattern.finditer(text):
            start, end = (m.start(1), m.end(1)) if pattern.groups else (m.start(), m.end())
            if kind == "school" and _is_story_school(m.group(0)):
                continue
            spans.append((kind, start, end))
    return sorted(spans, key=lambda s: s[1])


def _is_story_school(found: str) -> bool:
    return bool(re.search(r"(?i)\b(?:magic|wizard|dragon|fairy|monster|hogwarts|school for)\b", found))


def pii_kinds(text: str) -> list[str]:
    """The kinds of personal detail present, without duplicates, in order of appearance."""
    return list(dict.fromkeys(kind for kind, _, _ in find_pii(text)))


def _mask(text: str, spans: list[tuple[str, int, int]]) -> str:
    out, last = [], 0
    for kind, start, end in spans:
        if start < last:
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
