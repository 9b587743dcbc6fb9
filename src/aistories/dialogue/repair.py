"""Cheap repairs of a model reply: cut meta-talk and runaway text, fix names, trim, add the closing question.

Each function is pure and total (any text in, text out). The manager regenerates only when what is
left after repair still fails validation, and shows a templated turn when that fails too.
"""

from __future__ import annotations

import re

from ..world.text import closest, sentences, words
from .validate import INTERJECTION_WORDS, META, ends_with_prompt

DANGLING = {
    "and",
    "the",
    "to",
    "a",
    "an",
    "of",
    "with",
    "but",
    "or",
    "so",
    "because",
    "in",
    "on",
    "at",
    "his",
    "her",
    "their",
    "its",
    "my",
    "your",
    "that",
    "who",
    "which",
    "then",
    "very",
    "was",
    "is",
}
_CAPWORD = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,})\b")


def cut(text: str) -> str:
    """Text before the first line break, role tag or meta-talk; stray brackets and quotes removed."""
    text = text.split("\n", 1)[0]
    m = META.search(text)
    if m:
        text = text[: m.start()]
    text = re.sub(r"[\"“”*_~`(){}<>|\\]", "", text)
    return unscript(" ".join(text.split()))


_SCRIPT = re.compile(r"(^|\b[A-Z][a-z]+)\s*:\s+(\w+)")
_COMMON_STARTS = set("The A An It We You This That My There Oh Yes No".split())


def unscript(text: str) -> str:
    """'Zog: The door is too small.' (a script line) becomes 'Zog said, the door is too small.'"""

    def said(m: re.Match[str]) -> str:
        word = m.group(2)
        word = word.lower() if word in _COMMON_STARTS else word
        return f"{m.group(1)} said, {word}" if m.group(1) else f" said, {word}"

    return _SCRIPT.sub(said, text)


def fix_names(text: str, names: list[str]) -> str:
    """Known names in their canonical spelling ('mo' → 'Mo', 'Hooot' → 'Hoot')."""
    names = [n for n in names if n[:1].isupper()]  # 'the key' stays as the sentence has it
    singles = [n for n in names if " " not in n and len(n) >= 3]
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", name, text, flags=re.IGNORECASE)

    def near(m: re.Match[str]) -> str:
        word = m.group(1)
        if word in singles:
            return word
        return closest(word, singles, 80) or word

    return _CAPWORD.sub(near, text)


def trim(text: str, max_counted: int) -> str:
    """At most `max_counted` real sentences (interjections ride along); a cut-off tail is closed."""
    kept: list[str] = []
    counted = 0
    for s in sentences(text):
        is_real = len(words(s)) > INTERJECTION_WORDS
        if is_real and counted >= max_counted:
            break
        kept.append(s)
        counted += is_real
    if kept and kept[-1][-1] not in ".!?\"')":
        kept[-1] = _close_sentence(kept[-1])
    return " ".join(k for k in kept if k)


def _close_sentence(s: str) -> str:
    """End a cut-off sentence cleanly, or drop it when too little is left."""
    words = s.rstrip(",;:- ").split()
    while words and words[-1].lower().strip(",") in DANGLING:
        words.pop()
    return (" ".join(words).rstrip(",;:-") + ".") if len(words) >= 3 else ""


def drop_repeats(text: str, lead: str) -> str:
    """Sentences of the model's text that only say again what the templated lead just said."""
    said = [_words(s) for s in sentences(lead)]
    said = [s for s in said if len(s.split()) >= 3]  # 'Ooh!' may come twice
    return " ".join(s for s in sentences(text) if not any(f" {x} " in f" {_words(s)} " for x in said))


def _words(text: str) -> str:
    return " ".join(words(text))


def drop_questions(text: str) -> str:
    """Question sentences become statements ('Mo can fly, what else?' → 'Mo can fly.') or go."""
    kept = []
    for s in sentences(text):
        if not s.endswith("?"):
            kept.append(s)
        elif ", " in s and len(head := s.rsplit(", ", 1)[0].split()) >= 3:
            kept.append(" ".join(head).rstrip(",;:") + ".")
    return " ".join(kept)


def close(body: str, closer: str, ending: str, keep_own_question: bool = False) -> str:
    """Body plus the closing question or choice (the model's own short question may stay)."""
    if keep_own_question and ends_with_prompt(body, ending) and len(words(sentences(body)[-1])) <= 12:
        return body
    body = drop_questions(body)
    return f"{body} {closer}".strip()


def add_idea(text: str, idea: str) -> str:
    """Name the child's idea up front when the reply forgot it."""
    return f"{idea}! {text}" if idea else text


def capitalise(text: str) -> str:
    """Each sentence starts with a capital letter."""
    return " ".join(s[:1].upper() + s[1:] for s in sentences(text)) if text else text
