"""The dialogue manager: one turn from the child's words to a checked, stored reply."""

from .events import Choices, Event, SafetyChecked, Token, TurnDone, WorldUpdated
from .manager import DialogueManager

__all__ = ["Choices", "DialogueManager", "Event", "SafetyChecked", "Token", "TurnDone", "WorldUpdated"]
