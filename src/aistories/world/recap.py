"""The one-line 'last time…' recap that resumes a child's story, built from the world (template, no model)."""

from __future__ import annotations

from .state import WorldState
from .text import label


def recap(state: WorldState) -> str:
    """'Last time, Pip and Mo flew to the volcano, and Mo found the key.' ('' for an empty world)."""
    if state.events:
        recent = [e.text.rstrip(".!") for e in state.events[-2:]]
        return f"Last time, {', and then '.join(recent)}."
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
    return f"Last time, we met {names}{where}."
