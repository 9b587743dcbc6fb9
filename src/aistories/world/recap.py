"""The one-line 'last time…' recap that resumes a child's story, built from the world (template, no model)."""

from __future__ import annotations

from .state import Entity, WorldState


def who(entity: Entity) -> str:
    """'Mo the cat', or just 'Pip' when the kind is long or unknown."""
    kind = str(entity.attributes.get("kind", "")).split()
    if len(kind) == 2 and kind[0] in ("a", "an") and not entity.name.startswith("the "):
        return f"{entity.name} the {kind[1]}"
    return entity.name


def recap(state: WorldState) -> str:
    """'Last time, Pip and Mo flew to the volcano, and Mo found the key.' ('' for an empty world)."""
    if state.events:
        recent = [e.text.rstrip(".!") for e in state.events[-2:]]
        return f"Last time, {', and then '.join(recent)}."
    made = [e for e in state.of_kind("characters") if e.source != "world"][-2:]
    cast = made or state.of_kind("characters")[:2]
    if not cast:
        return ""
    names = " and ".join(who(e) for e in cast)
    # Only claim we met them somewhere the story itself went to (or, for the starter cast, its home).
    places = (
        [p for p in state.of_kind("places") if p.source != "world"][-1:]
        if made
        else state.of_kind("places")[:1]
    )
    where = f" at {places[0].name}" if places else ""
    return f"Last time, we met {names}{where}."
