"""What a turn yields, in order: SafetyChecked, Choices?, Token*, WorldUpdated, TurnDone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..safety import Verdict


@dataclass(frozen=True)
class SafetyChecked:
    """The verdict on the child's message."""

    verdict: Verdict


@dataclass(frozen=True)
class Token:
    """A piece of the reply to show."""

    text: str


@dataclass(frozen=True)
class Choices:
    """The two options the reply offers, for buttons in the UI."""

    options: list[str]


@dataclass(frozen=True)
class WorldUpdated:
    """The world after this turn, in the `play --json` shape."""

    world: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class TurnDone:
    """The finished turn: what the child sees and what was stored."""

    turn: int
    child: str
    reply: str
    safety: str
    latency_ms: float
    prompt_tokens: int
    completion_tokens: int
    world: dict[str, list[dict[str, Any]]]
    record: dict[str, Any] = field(default_factory=dict)

    def to_contract(self) -> dict[str, Any]:
        """One `play --json` line."""
        return {
            "turn": self.turn,
            "child": self.child,
            "reply": self.reply,
            "latency_ms": round(self.latency_ms, 1),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "safety": self.safety,
            "world": self.world,
        }


Event = SafetyChecked | Choices | Token | WorldUpdated | TurnDone
