"""The dialogue's read-only view of the world: labels, snapshot and recap for one turn (answers: answers.py).

Memory selection and the recap belong to world/ (world.memory.select_facts, world.recap.recap); until
those land this module uses a small stand-in with the same shape, so the manager does not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..backends.base import CountTokens
from ..world import Entity, WorldState


@dataclass
class Snapshot:
    """Facts chosen for one prompt, and why (the stand-in for world.memory's Selection)."""

    text: str
    why: list[dict[str, Any]] = field(default_factory=list)
    tokens: int = 0


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


def snapshot(state: WorldState, recent: list[str], budget: int, count_tokens: CountTokens) -> Snapshot:
    """Facts for this turn's prompt within a token budget (world.memory when available)."""
    try:
        from ..world.memory import select_facts
    except ImportError:
        return _local_snapshot(state, recent, budget, count_tokens)
    sel = select_facts(state, recent, budget, count_tokens)
    return Snapshot(sel.text, list(sel.why), getattr(sel, "tokens", count_tokens(sel.text)))


def _local_snapshot(state: WorldState, recent: list[str], budget: int, count_tokens: CountTokens) -> Snapshot:
    """Mentioned entities first, then the main cast, each as 'Name: kind, colour'."""
    chosen = mentioned(" ".join(recent), state)
    why = [{"entity": e.name, "why": "mentioned in the last turns"} for e in chosen]
    for e in state.of_kind("characters")[:4]:
        if e not in chosen:
            chosen.append(e)
            why.append({"entity": e.name, "why": "main cast"})
    parts: list[str] = []
    used = 0
    for e in chosen:
        part = describe(e)
        cost = count_tokens(part)
        if used + cost > budget:
            break
        parts.append(part)
        used += cost
    return Snapshot(" ".join(parts), why[: len(parts)], used)


def describe(e: Entity) -> str:
    """Plain sentences about an entity ('Mo is a cat. Mo is blue.'), which the model copies less."""
    a = e.attributes
    said = [f"{e.name} is {a['kind']}." if a.get("kind") else ""]
    said += [f"{e.name} is {a[k]}." for k in ("colour", "size", "mood") if a.get(k)]
    said.append(f"{e.name} wants {a['wants']}." if a.get("wants") else "")
    return " ".join(s for s in said if s) or f"{_cap(e.name)} is here."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def recap_line(state: WorldState, world_title: str) -> str:
    """A one-line 'last time…' recap (world.recap when available)."""
    try:
        from ..world.recap import recap
    except ImportError:
        recap = None
    if recap is not None:
        return str(recap(state))
    mine = [label(e) for e in state.entities.values() if e.source == "child"][:3]
    hero = hero_of(state)
    if not mine:
        return f"Last time, {hero} had an adventure in {world_title}."
    return f"Last time, we met {', '.join(mine)} in {world_title}."


def story_so_far(state: WorldState) -> str:
    """A short recap of this session for recap and ending moves."""
    events = [e.text for e in state.events if e.source == "child"][-2:]
    mine = [label(e) for e in state.entities.values() if e.source == "child"][-3:]
    parts = []
    if mine:
        parts.append(f"We met {', '.join(mine)}.")
    parts += [e.rstrip(".") + "." for e in events]
    return " ".join(parts) or f"{hero_of(state)} has been very brave."
