"""Answers from the world: 'what does Zog eat?' -> 'Zog eats cake!', templated, before any model text.

    text, name = answer("what does zog eat?", state, focus="Zog")   # ('', '') when nothing fits

The child's question is matched to the attribute it asks about (colour, food, likes, fears, home,
belongings, name, kind...), for the entity it names, or by its kind noun ('the dragon'), or, for
'he'/'she'/'it', the character the conversation is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..world import Entity, WorldState
from .worldview import mentioned

Asker = Callable[[Entity, WorldState], str]


def _one(attr: str, frame: str) -> Asker:
    """An answer from a single-valued attribute: frame.format(name, value)."""
    return lambda e, _s: frame.format(e.name, e.attributes[attr]) if e.attributes.get(attr) else ""


def _many(attr: str, frame: str) -> Asker:
    """An answer from a list attribute, newest two values: 'Zog likes cake and jam!'."""

    def ask(e: Entity, _s: WorldState) -> str:
        values = e.attributes.get(attr) or []
        return frame.format(e.name, " and ".join(values[-2:])) if values else ""

    return ask


def _related(predicates: tuple[str, ...], attr: str = "") -> Asker:
    """A relation ('Zog lives in the cave!'), else a list attribute of things ('Zog has a hat!')."""

    def ask(e: Entity, s: WorldState) -> str:
        for r in reversed(s.relations):
            if r.subject.lower() == e.name.lower() and r.predicate in predicates:
                return f"{r.subject} {r.predicate} {r.object}!"
        return _many(attr, "{} has {}!")(e, s) if attr else ""

    return ask


def _kind(e: Entity, _s: WorldState) -> str:
    kind = e.attributes.get("kind")
    return f"{e.name} is {kind}!" if kind else ""


def _name(e: Entity, _s: WorldState) -> str:
    kind = e.attributes.get("kind")
    return f"It's {e.name}, {kind}!" if kind else f"It's {e.name}!"


def _fear(e: Entity, s: WorldState) -> str:
    return _many("fears", "{} is scared of {}!")(e, s) or _one("mood", "{} feels {}!")(e, s)


def _food(e: Entity, s: WorldState) -> str:
    return _many("eats", "{} eats {}!")(e, s) or _many("likes", "{} likes {}!")(e, s)


_PRONOUN = re.compile(r"\b(he|she|it|him|her|his|its|they|them|their)\b")
# Question cue -> how to answer it, most specific first.
ASKERS: list[tuple[re.Pattern[str], Asker]] = [
    (re.compile(r"\b(colou?rs?)\b"), _one("colour", "{} is {}!")),
    (re.compile(r"\b(eats?|eating|ate|food|dinner|lunch|breakfast|snack)\b"), _food),
    (re.compile(r"\b(scared|afraid|frightened|fear|fears|scary)\b"), _fear),
    (re.compile(r"\b(hates?|hated|dislikes?)\b"), _many("hates", "{} does not like {}!")),
    (re.compile(r"\b(likes?|loves?|favou?rite)\b"), _many("likes", "{} likes {}!")),
    (re.compile(r"\b(wants?|wish|wishes|need|needs)\b"), _one("wants", "{} wants {}!")),
    (re.compile(r"\b(where|live|lives|home|house)\b"), _related(("lives in", "is in", "went to"))),
    (re.compile(r"\b(has|have|got|carry|carries|holding)\b"), _related(("has",), "has")),
    (re.compile(r"\bname\b|\bcalled\b"), _name),
    (re.compile(r"\b(big|small|size|tall|tiny)\b"), _one("size", "{} is {}!")),
    (re.compile(r"\b(feel|feeling|feels|happy|sad|mood)\b"), _one("mood", "{} feels {}!")),
    (re.compile(r"\bwho\b|\bwhat (is|was|kind|sort)\b|\bwhat'?s\b|\bwhat\b.*\b(is|was)\b"), _kind),
]


def answer(question: str, state: WorldState, focus: str = "") -> tuple[str, str]:
    """(answer sentence, entity name) for a question about the world, or ('', '') when nothing fits."""
    q = question.lower()
    ask = next((ask for cue, ask in ASKERS if cue.search(q)), None)  # the most specific cue decides
    for entity in _asked_about(q, state, focus) if ask else []:
        if said := ask(entity, state):  # type: ignore[misc]
            return said, entity.name
    return "", ""


def _asked_about(q: str, state: WorldState, focus: str) -> list[Entity]:
    """The entities a question names; else ('what does he eat?') the character the turn is about."""
    named = mentioned(q, state)
    if named or not _PRONOUN.search(q):
        return named  # 'what is this place?' is not about the hero
    found = state.find(focus) if focus else None
    return [found] if found is not None else []
