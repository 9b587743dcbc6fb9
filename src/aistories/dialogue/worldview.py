"""The dialogue's read-only view of the world: the hero, who was mentioned, the story so far, last time.

Memory selection belongs to world/ (world.memory.select_facts); labels and names to world/text.py;
answers to answers.py. Every sentence here is worded by prompts/lines.yaml.
"""

from __future__ import annotations

import re

from ..world import Entity, WorldState
from ..world.text import bare, label
from .lines import frame


def hero_of(state: WorldState) -> str:
    """The main character: the child's first character, else the world's first."""
    chars = state.of_kind("characters")
    mine = [c for c in chars if c.source == "child"]
    if not chars:
        return "our hero"
    return state.newest((mine or chars)[0]).name  # a renamed hero goes by the new name


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
        parts.append(frame("so_far", "met").format(names=", ".join(mine)))
    parts += [e.rstrip(".") + "." for e in events]
    return " ".join(parts) or frame("so_far", "nothing_yet").format(hero=hero_of(state))


def last_time(state: WorldState) -> str:
    """'Last time, Pip and Mo flew to the volcano, and then Mo found the key.' ('' for an empty world)."""
    if state.events:
        recent = [e.text.rstrip(".!") for e in state.events[-2:]]
        return frame("last_time", "events").format(events=", and then ".join(recent))
    made = [e for e in state.of_kind("characters") if e.source != "world"][-2:]
    cast = made or state.of_kind("characters")[:2]
    if not cast:
        return ""
    names = " and ".join(label(e) for e in cast)
    # Only claim we met them somewhere the story itself went to (or, for the starter cast, its home).
    places = (
        [p for p in state.of_kind("places") if p.source != "world"][-1:]
        if made
        else state.of_kind("places")[:1]
    )
    where = f" at {places[0].name}" if places else ""
    return frame("last_time", "cast").format(names=names, where=where)
