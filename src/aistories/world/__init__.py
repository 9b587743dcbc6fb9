"""The story world the child and storyteller build together: state, extraction, memory, persistence."""

from .memory import Selection, select_facts
from .state import Contradiction, Entity, Event, Fact, Relation, WorldDiff, WorldState
from .worlds import StoryWorld, invented_world, list_worlds, load_world

__all__ = [
    "Contradiction",
    "Entity",
    "Event",
    "Fact",
    "Relation",
    "Selection",
    "StoryWorld",
    "WorldDiff",
    "WorldState",
    "invented_world",
    "list_worlds",
    "load_world",
    "select_facts",
]
