"""The child's own words, remembered: answer a story question with the line where the child said it.

Structured facts (answers.py) cover what extraction understood; children say far more than rules read
("he talks in binary", "the bone is mayd of chocklit"). So every allowed statement is kept with the
entities it was about (a sentence that starts with 'he'/'she'/'it' also with the character the line
before was about), and a question is matched against each sentence by a small learned ranker: a
logistic regression over match features (topic words, typo-tolerant and weighted by how rare they are in
this story; the entity asked about; evidence for what the question wants: a colour word for 'what
colour', 'made' for 'made of', a name for 'who', a number for 'what code'; how recent the line is).
Its weights are `models/recall_ranker.json`, built by `scripts/train_recall_ranker.py` from the spent
story sessions, sha256 checked at load. The best line comes back in the second person: 'I remember!
Your teddy is called Bampy!'.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..config import data_dir
from ..errors import DataFileError
from ..world.lexicon import COLOURS, TYPOS
from ..world.text import close, closest, content_stems, words

# What a question asks for -> (the cue in the question, the evidence in a line that can answer it).
SLOTS: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {
    "colour": (re.compile(r"\b(colou?rs?|culer|colur|colr)\b"), None),  # None: a colour word, typos too
    "made": (
        re.compile(r"\b(made?|mayd|make|built|build|out of)\b"),
        re.compile(r"\b(made|mayd|out of|from|built)\b"),
    ),
    "name": (
        re.compile(r"\b(name|names|called|calld|named|call)\b"),
        re.compile(r"\b(called|calld|cald|named|name|call|calls)\b"),
    ),
    "eat": (
        re.compile(r"\b(eat|eats|food|ate|eating|lunch|dinner|breakfast|snack)\b"),
        re.compile(r"\b(eat|eats|ate|eating|likes|loves|food|munch|munches|breakfast|dinner|lunch)\b"),
    ),
    "where": (
        re.compile(r"\b(where|wher)\b"),
        re.compile(r"\b(in|on|at|to|under|behind|inside|near|by|lives|went|hide|hid|hides)\b"),
    ),
}
# 'who ...?' wants a name; 'what number / code / how many' wants a number.
WHO = re.compile(r"\b(who|whos|who's|hoo)\b")
NUMBER = re.compile(r"\b(number|code|how many|how old|score|pin)\b")
DIGITS = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred)\b")
PRONOUN_START = re.compile(r"^(he|she|it|they|his|her|its|hes|shes|he's|she's|it's|their|them|him)\b")
QUESTION_WORDS = frozenset(
    "what wot wat whats what's who whos who's where wheres why how when which remember again was is "
    "does did do colour color colur culer name called made kind".split()
)
FEATURES = (
    "overlap", "idf_overlap", "names_match", "topic_in_about", *(f"slot_{k}" for k in SLOTS),
    "who_name", "number", "recency", "latest", "length", "has_fact", "specific", "no_topic",
)  # fmt: skip
RANKER_FILE = "recall_ranker.json"


@dataclass(frozen=True)
class Said:
    """One allowed statement of the child's, and the story things it was about."""

    text: str
    about: tuple[str, ...]
    turn: int


@dataclass(frozen=True)
class Question:
    """What a question asks, worked out once for all candidate lines."""

    text: str
    topic: frozenset[str]
    names: frozenset[str]
    slots: tuple[str, ...]
    who: bool
    number: bool
    has_fact: bool
    specific: bool

    @classmethod
    def of(cls, text: str, names: list[str], has_fact: bool = False, specific: bool = False) -> Question:
        low = text.lower()
        return cls(
            text=low,
            topic=frozenset(w for w in content_stems(low) if w not in QUESTION_WORDS),
            names=frozenset(n.lower() for n in names),
            slots=tuple(k for k, (cue, _) in SLOTS.items() if cue.search(low)),
            who=bool(WHO.search(low)),
            number=bool(NUMBER.search(low)),
            has_fact=has_fact,
            specific=specific,
        )


@dataclass(frozen=True)
class Ranker:
    """Logistic-regression weights over FEATURES, the answer threshold, and the extra confidence the
    ranker needs to overrule a structured fact for a specific question ('what colour is Zog?')."""

    weights: np.ndarray
    bias: float
    threshold: float
    fact_margin: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(rows @ self.weights + self.bias)))

    @staticmethod
    def payload_sha256(payload: dict[str, object]) -> str:
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()

    @classmethod
    def read(cls, path: Path) -> Ranker:
        """The ranker file, its sha256 and feature list checked (a DataFileError names the fix)."""
        fix = "rebuild: python scripts/train_recall_ranker.py"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            payload = data["ranker"]
            if data["sha256"] != cls.payload_sha256(payload):
                raise DataFileError(f"{path}: sha256 does not match its contents ({fix})")
            if tuple(payload["features"]) != FEATURES:
                raise DataFileError(f"{path}: trained for other features than this code's ({fix})")
            return cls(
                np.asarray(payload["weights"], dtype=np.float64),
                float(payload["bias"]),
                float(payload["threshold"]),
                float(payload["fact_margin"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{path}: unreadable recall ranker ({exc}; {fix})") from exc


@cache
def shipped_ranker() -> Ranker:
    """The shipped ranker (models/recall_ranker.json), read once."""
    return Ranker.read(data_dir("models") / RANKER_FILE)


class Recall:
    """The session's remembered child statements."""

    def __init__(self, ranker: Ranker | None = None) -> None:
        self.said: list[Said] = []
        self.ranker = ranker
        self._last_cast: tuple[str, ...] = ()

    def remember(self, text: str, about: list[str], turn: int) -> None:
        """Keep a statement (questions are not facts); 'she has a silver mane' is also about the
        character the line before named."""
        text = text.strip()
        if not text or "?" in text:
            return
        cast = tuple(a for a in about if not a.lower().startswith("the "))
        held = tuple(about)
        if PRONOUN_START.match(text.lower()) and self._last_cast:
            held = tuple(dict.fromkeys((*held, *self._last_cast)))
        if cast:
            self._last_cast = cast
        self.said.append(Said(text, held, turn))

    def candidates(self, question: Question) -> tuple[list[Said], np.ndarray]:
        """Every remembered sentence and its feature row for this question."""
        parts = [p for said in self.said for p in _sentences(said)]
        return parts, features(question, parts)

    def find(self, question: str, about: list[str], *, fact: str = "", specific: bool = False) -> Said | None:
        """The earlier sentence that best answers a question, if the ranker is confident enough (more so
        when a structured `fact` already answers a specific question). Ties go to the latest line."""
        has_fact = bool(fact)
        parts, rows = self.candidates(Question.of(question, about, has_fact, specific))
        if not parts:
            return None
        ranker = self.ranker or shipped_ranker()
        p = ranker.probability(rows)
        best = int(len(p) - 1 - np.argmax(p[::-1]))  # the latest of equal scores: the child may rename
        needed = ranker.threshold + (ranker.fact_margin if has_fact and specific else 0.0)
        return parts[best] if p[best] >= needed else None


def features(q: Question, parts: list[Said]) -> np.ndarray:
    """One row of FEATURES per candidate sentence (see the module docstring)."""
    stems = [content_stems(p.text) for p in parts]
    n = len(parts)
    matches = {t: [any(close(t, w) for w in st) for st in stems] for t in q.topic}
    idf = {t: math.log(1 + n / (1 + sum(m))) for t, m in matches.items()}
    norm = sum(idf.values()) or 1.0
    rows = []
    for i, part in enumerate(parts):
        hit = [t for t in q.topic if matches[t][i]]
        about_words = {w for a in part.about for w in content_stems(a)}
        raw = set(words(part.text))
        low = part.text.lower()
        slots = [_evidence(k, raw, low) if k in q.slots else 0.0 for k in SLOTS]
        others = [a for a in part.about if not a.lower().startswith("the ") and a.lower() not in q.names]
        rows.append([
            len(hit),
            sum(idf[t] for t in hit) / norm,
            float(bool(q.names & {a.lower() for a in part.about})),
            float(any(close(t, w) for t in q.topic for w in about_words)),
            *slots,
            (1.0 if others else -1.0) if q.who else 0.0,
            (1.0 if DIGITS.search(low) else -1.0) if q.number else 0.0,
            (n - i) / n,
            float(i == n - 1),
            len(raw) / 20,
            float(q.has_fact),
            float(q.specific),
            float(not q.topic),
        ])  # fmt: skip
    return np.asarray(rows, dtype=np.float64).reshape(len(parts), len(FEATURES))


def _evidence(slot: str, raw: set[str], low: str) -> float:
    """+1 when a line holds what the question asks for, -1 when it cannot ('she got bread' says no who)."""
    if slot == "colour":
        found = bool(raw & COLOURS) or any(close(w, c) for w in raw for c in COLOURS)
    else:
        pattern = SLOTS[slot][1]
        found = bool(pattern and pattern.search(low))
    return 1.0 if found else -1.0


def _sentences(said: Said) -> list[Said]:
    """A long statement's sentences, each scored alone (the answer is one of them, not the paragraph)."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", said.text) if p.strip()]
    return [said] if len(parts) <= 1 else [Said(p, said.about, said.turn) for p in parts]


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
