"""The dialogue's read-only view of the world for one turn: the hero, who was mentioned, the story so far.

Memory selection and the recap belong to world/ (world.memory.select_facts, world.recap.recap); labels
and names to world/text.py; answers to answers.py.
"""

from __future__ import annotations

import re

from ..world import Entity, WorldState
from ..world.text import bare, label


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
        kind = str(e.attributes.get("kind") or "").lower().split()
        if re.search(rf"\b{re.escape(bare(e.name))}\b", low) or (
            kind and re.search(rf"\b{re.escape(kind[-1])}'?s?\b", low)
        ):
            found.append(e)
    return found


def story_so_far(state: WorldState) -> str:
    """A short recap of this session for recap and ending moves."""
    events = [e.text for e in state.events if e.source == "child"][-2:]
    mine = [label(e) for e in state.entities.values() if e.source == "child"][-3:]
    parts = []
    if mine:
        parts.append(f"We met {', '.join(mine)}.")
    parts += [e.rstrip(".") + "." for e in events]
    return " ".join(parts) or f"{hero_of(state)} has been very brave."
