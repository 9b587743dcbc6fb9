"""The child's own words, remembered: answer a story question with the line where the child said it.

Structured facts (answers.py) cover what extraction understood; children say far more than rules read
("he talks in binary", "the bone is mayd of chocklit"). So every allowed statement is kept with the
entities it was about, and a question the facts cannot answer is matched against them: the question's
topic words (typo-tolerant), the entity it names, and evidence for what it asks (a colour word for
'what colour', 'made' for 'made of', a name for 'who'). The best line comes back in the second person:
'I remember! Your teddy is called Bampy!'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..world.lexicon import COLOURS, TYPOS
from ..world.text import close, closest, content_stems, words

# What a question asks for -> words that show a line can answer it.
EVIDENCE: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {
    "colour": (re.compile(r"\b(colou?r|culer|colur|color)"), COLOURS),
    "made": (re.compile(r"\bmade?\b|\bmayd\b"), frozenset({"made", "mayd", "out"})),
    "name": (re.compile(r"\b(name|called|calld|named)\b"), frozenset({"called", "named", "name", "calld"})),
    "eat": (
        re.compile(r"\b(eat|eats|food|ate|eating|lunch|dinner)\b"),
        frozenset({"eat", "eats", "ate", "eating", "likes", "loves"}),
    ),
}
# 'who ...?' wants a name; 'what number / code / how many' wants a number.
WHO = re.compile(r"\b(who|whos|who's|hoo)\b")
NUMBER = re.compile(r"\b(number|code|how many|how old|score|pin)\b")
DIGITS = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred)\b")
QUESTION_WORDS = frozenset(
    "what wot wat whats what's who whos who's where wheres why how when which remember again was is "
    "does did do colour color colur culer name called made kind".split()
)
MIN_SCORE = 2.0


@dataclass(frozen=True)
class Said:
    """One allowed statement of the child's, and the story things it was about."""

    text: str
    about: tuple[str, ...]
    turn: int


class Recall:
    """The session's remembered child statements."""

    def __init__(self) -> None:
        self.said: list[Said] = []

    def remember(self, text: str, about: list[str], turn: int) -> None:
        """Keep a statement (questions are not facts)."""
        if text.strip() and "?" not in text:
            self.said.append(Said(text.strip(), tuple(about), turn))

    def find(self, question: str, about: list[str], *, earliest: bool = False) -> Said | None:
        """The earlier statement that best answers a question, if one is good enough. Ties go to the
        latest (the child may have changed a detail), or with `earliest` to the first: 'what is Rex?' is
        answered by 'a dog called Rex', not by the later 'rex is big'."""
        low = question.lower()
        topic = {w for w in content_stems(low) if w not in QUESTION_WORDS}
        wanted = [key for key, (cue, _) in EVIDENCE.items() if cue.search(low)]
        wanted += [key for key, cue in (("who", WHO), ("number", NUMBER)) if cue.search(low)]
        names = {n.lower() for n in about}
        best: tuple[float, int, Said] | None = None
        for n, said in enumerate(self.said):
            for part in _sentences(said):
                score = self._score(part, topic, wanted, names)
                order = -n if earliest else n
                if score >= MIN_SCORE and (best is None or (score, order) > best[:2]):
                    best = (score, order, part)
        return best[2] if best else None

    @staticmethod
    def _score(said: Said, topic: set[str], wanted: list[str], names: set[str]) -> float:
        stems = content_stems(said.text)
        overlap = sum(1 for t in topic if any(close(t, w) for w in stems))
        score = float(overlap)
        about_words = {w for a in said.about for w in content_stems(a)}
        if names & {a.lower() for a in said.about} or any(close(t, w) for t in topic for w in about_words):
            score += 1.5
        raw = set(words(said.text))
        for key in wanted:
            if key not in EVIDENCE:
                score += _shows(said, key, names)  # 'who' wants a name, 'what code' a number
                continue
            found = raw & EVIDENCE[key][1] or (
                key == "colour" and any(close(w, c) for w in raw for c in EVIDENCE[key][1])
            )
            score += 1.0 if found else -1.0
        return score


def _sentences(said: Said) -> list[Said]:
    """A long statement's sentences, each scored alone (the answer is one of them, not the paragraph)."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", said.text) if p.strip()]
    return [said] if len(parts) <= 1 else [Said(p, said.about, said.turn) for p in parts]


def _shows(said: Said, key: str, names: set[str]) -> float:
    """+1 when a sentence holds what the question asks for (a name other than the one asked about, a
    number), -1 when it cannot ('she got bread' does not say who)."""
    if key == "number":
        return 1.0 if DIGITS.search(said.text.lower()) else -1.0
    others = [a for a in said.about if not a.lower().startswith("the ") and a.lower() not in names]
    return 1.0 if others else -1.0


_PERSON = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "im": "you're",
    "i'm": "you're",
    "myself": "yourself",
    "am": "are",
    "you": "I",
    "your": "my",
    "yours": "mine",
    "u": "I",
    "ur": "my",
}


def in_second_person(text: str) -> str:
    """'my teddy is called bampy' -> 'Your teddy is called bampy'; 'she is wite' -> 'She is white' (the
    child's own words said back, with colours and common words spelt as in a book)."""
    words = [_PERSON.get(w.lower(), _spelt(w)) for w in text.rstrip(".!?, ").split()]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def _spelt(word: str) -> str:
    """A common word or colour as a book spells it ('wite' -> 'white', 'becos' -> 'because'); names and
    everything else exactly as the child typed them."""
    low = word.lower()
    if low in TYPOS:
        return TYPOS[low]
    if low.isalpha() and low not in COLOURS:
        colour = closest(low, sorted(COLOURS), 80) if len(low) >= 3 else None  # never Greg -> grey
        if colour is not None and (len(low) >= 4 or colour.startswith(low)):
            return colour
    return word
