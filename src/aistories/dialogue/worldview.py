"""The dialogue's read-only view of the world: labels, snapshot and recap for one turn (answers: answers.py).

Memory selection and the recap belong to world/ (world.memory.select_facts, world.recap.recap).
"""

from __future__ import annotations

import re

from ..backends.base import CountTokens
from ..world import Entity, WorldState
from ..world.memory import Selection, select_facts
from ..world.recap import recap


def label(e: Entity) -> str:
    """'Mo the cat' when the kind is known, else the name."""
    kind = str(e.attributes.get("kind") or "")
    noun = kind.split()[-1] if kind else ""
    if noun and noun.lower() not in e.name.lower() and e.kind == "characters":
        return f"{e.name} the {noun}"
    return e.name


def hero_of(state: WorldState) -> str:
    """The main character: the child's first character, else the world's first."""
    chars = state.of_kind("characters")
    mine = [c for c in chars if c.source == "child"]
    return (mine or chars)[0].name if chars else "our hero"


def mentioned(text: str, state: WorldState) -> list[Entity]:
    """Entities named in a text (or whose kind noun is), longest names first."""
    low = text.lower()
    found: list[Entity] = []
    for e in sorted(state.entities.values(), key=lambda e: -len(e.name)):
        bare = re.sub(r"^(the|a|an) ", "", e.name.lower())
        kind = str(e.attributes.get("kind") or "").lower().split()
        if re.search(rf"\b{re.escape(bare)}\b", low) or (
            kind and re.search(rf"\b{re.escape(kind[-1])}'?s?\b", low)
        ):
            found.append(e)
    return found


def snapshot(state: WorldState, recent: list[str], budget: int, count_tokens: CountTokens) -> Selection:
    """Facts for this turn's prompt within a token budget, and why each was chosen."""
    return select_facts(state, recent, budget, count_tokens)


def recap_line(state: WorldState) -> str:
    """A one-line 'last time…' recap."""
    return recap(state)


def story_so_far(state: WorldState) -> str:
    """A short recap of this session for recap and ending moves."""
    events = [e.text for e in state.events if e.source == "child"][-2:]
    mine = [label(e) for e in state.entities.values() if e.source == "child"][-3:]
    parts = []
    if mine:
        parts.append(f"We met {', '.join(mine)}.")
    parts += [e.rstrip(".") + "." for e in events]
    return " ".join(parts) or f"{hero_of(state)} has been very brave."
