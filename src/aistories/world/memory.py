"""Memory in the prompt: the facts that matter for this turn, as a compact snapshot within a token budget.

    sel = select_facts(state, recent_texts=[child_text, last_reply, ...], budget_tokens=80,
                       count_tokens=backend.count_tokens)
    sel.text   # "Mo: a cat, hungry, wants to fly. Pip: a brave little bed. Place: the volcano."
    sel.why    # [{"fact": "Mo: a cat, hungry.", "entity": "Mo", "reason": "named in last turn"}, ...]

Priority: things named in the last turn, then the main cast (always, if the budget allows), then things
named in earlier recent turns, then keyword matches (a kind or attribute word was said: 'dragon' finds
Zog), then the latest event. A line that does not fit is retried in a short form, then skipped.
world never imports a backend: the caller passes `count_tokens` (STYLE.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import lexicon as lx
from .state import Entity, WorldState
from .text import says, words

log = logging.getLogger(__name__)

MAIN_CAST = 3
# List attributes as snapshot words: 'likes cake and jam', 'scared of the dark'.
TASTE_WORDS = {"likes": "likes", "eats": "eats", "hates": "hates", "fears": "scared of", "has": "has"}


@dataclass
class Selection:
    """Facts chosen for one prompt, and why."""

    text: str = ""
    why: list[dict[str, Any]] = field(default_factory=list)
    tokens: int = 0


def entity_line(entity: Entity, *, short: bool = False) -> str:
    """One entity as a snapshot line: 'Mo: a cat, purple, hungry, wants to fly.'"""
    if entity.kind == "places":
        return f"Place: {entity.name}."
    if entity.kind == "objects":
        colour = entity.attributes.get("colour")
        return f"Object: {entity.name}{f' ({colour})' if colour and not short else ''}."
    a = entity.attributes
    parts = [a["kind"]] if a.get("kind") else []
    if not short:
        parts += [str(a[k]) for k in ("size", "colour", "mood") if a.get(k)]
        parts += [str(t) for t in a.get("traits", [])[:2]]
        if a.get("wants"):
            parts.append(f"wants {a['wants']}")
        parts += [f"{TASTE_WORDS[k]} {' and '.join(a[k][-2:])}" for k in TASTE_WORDS if a.get(k)]
    return f"{entity.name}: {', '.join(parts)}." if parts else f"{entity.name}."


def _words(texts: list[str]) -> set[str]:
    return {w for t in texts for w in words(t)} - lx.STOP


def is_named_in(entity: Entity, text: str) -> bool:
    """Does the text say this entity's name (any case, whole words)?"""
    return says(text, entity.name)


def _keywords(entity: Entity) -> set[str]:
    """Words that bring an entity to mind: its kind's head noun, colour, mood, traits."""
    a = entity.attributes
    values = [str(a.get(k, "")) for k in ("kind", "colour", "mood", "size")]
    values += [str(t) for k in ("traits", *TASTE_WORDS) for t in a.get(k, [])]
    found = {w for v in values for w in words(v)}
    if entity.name.startswith("the "):
        found |= set(words(entity.name))
    return found - lx.STOP


def main_cast(state: WorldState, n: int = MAIN_CAST) -> list[Entity]:
    """The characters the story is most about: most facts and events, the world's hero breaking ties."""
    chars = [
        e for e in state.of_kind("characters") if state.newest(e) is e
    ]  # a renamed one goes by its new name
    score = {e.name: 0 for e in chars}
    for f in state.facts:
        if f.entity in score:
            score[f.entity] += 1
    for ev in state.events:
        for name in ev.who:
            if name in score:
                score[name] += 2
    order = {e.name: i for i, e in enumerate(chars)}
    return sorted(chars, key=lambda e: (-score[e.name], order[e.name]))[:n]


def _candidates(state: WorldState, recent_texts: list[str]) -> list[tuple[Entity, str]]:
    """Entities in priority order, each with the reason it was picked."""
    last = recent_texts[-1] if recent_texts else ""
    earlier = " \n ".join(recent_texts[:-1])
    words = _words(recent_texts)
    entities = list(state.entities.values())
    out: list[tuple[Entity, str]] = [(e, "named in last turn") for e in entities if is_named_in(e, last)]
    out += [(e, "main cast") for e in main_cast(state)]
    out += [(e, "named recently") for e in entities if is_named_in(e, earlier)]
    out += [(e, "keyword match") for e in entities if _keywords(e) & words and state.newest(e) is e]
    seen: set[str] = set()
    unique = []
    for e, reason in out:
        if e.id not in seen:
            seen.add(e.id)
            unique.append((e, reason))
    return unique


def select_facts(
    state: WorldState, recent_texts: list[str], budget_tokens: int, count_tokens: Callable[[str], int]
) -> Selection:
    """The world facts relevant to this turn, rendered compactly, within budget_tokens."""
    lines: list[str] = []
    why: list[dict[str, Any]] = []
    used = 0

    def try_add(line: str, entity: str, reason: str) -> bool:
        nonlocal used
        cost = count_tokens(" ".join([*lines, line]))
        if cost > budget_tokens:
            return False
        lines.append(line)
        why.append({"fact": line, "entity": entity, "reason": reason})
        used = cost
        return True

    for entity, reason in _candidates(state, recent_texts):
        if not try_add(entity_line(entity), entity.name, reason):
            try_add(entity_line(entity, short=True), entity.name, reason)
    if state.events:
        try_add(f"Last: {state.events[-1].text}.", state.events[-1].name, "latest event")
    log.debug("memory: %d facts, %d tokens of %d", len(lines), used, budget_tokens)
    return Selection(" ".join(lines), why, used)
