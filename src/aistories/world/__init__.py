"""The story world the child and storyteller build together."""

from .state import Entity, WorldState
from .worlds import StoryWorld, list_worlds, load_world

__all__ = ["Entity", "StoryWorld", "WorldState", "list_worlds", "load_world"]
