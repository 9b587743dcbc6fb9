"""World state: the characters, places, objects and events of one child's story."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .worlds import StoryWorld

KINDS = ("characters", "places", "objects")


@dataclass
class Entity:
    """A named thing in the story, with where it came from."""

    name: str
    kind: str  # one of KINDS
    attributes: dict[str, Any] = field(default_factory=dict)
    source: str = "world"  # world | child | storyteller
    turn: int = 0

    def to_contract(self) -> dict[str, Any]:
        """The shape `play --json` prints."""
        return {"name": self.name, **self.attributes, "source": self.source}


@dataclass
class WorldState:
    """Everything the story has established so far."""

    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_world(cls, world: StoryWorld) -> WorldState:
        """The state a starter world begins with."""
        state = cls()
        for kind in KINDS:
            for seed in getattr(world, kind):
                attrs = {k: v for k, v in {"kind": seed.kind, "traits": seed.traits}.items() if v}
                state.add(Entity(seed.name, kind, attrs, source="world"))
        return state

    def add(self, entity: Entity) -> bool:
        """Add an entity unless one of that kind and name exists; True if it was new."""
        key = (entity.kind, entity.name.lower())
        if key in self.entities:
            return False
        self.entities[key] = entity
        return True

    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind, in insertion order."""
        return [e for e in self.entities.values() if e.kind == kind]

    def to_contract(self) -> dict[str, list[dict[str, Any]]]:
        """`{"characters", "places", "objects", "events"}`, each a list of objects with a `name`."""
        out: dict[str, list[dict[str, Any]]] = {k: [e.to_contract() for e in self.of_kind(k)] for k in KINDS}
        out["events"] = [dict(e) for e in self.events]
        return out
