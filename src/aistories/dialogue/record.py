"""What one turn decided, filled stage by stage by DialogueManager.turn; its events are read off it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..safety import Verdict
from ..world import WorldDiff
from .compose import Draft
from .events import Choices, Event, SafetyChecked, Token, TurnDone, WorldUpdated
from .moves import Plan
from .turnctx import TurnContext


@dataclass
class TurnRecord:
    """One turn: the child's words, every stage's result, the timings, and the rows it stored."""

    turn_id: str
    index: int
    text: str  # what the child typed, cleaned (turns.child_text; the storybook reads it)
    started: float = field(default_factory=time.perf_counter)
    verdict_in: Verdict = field(default_factory=lambda: Verdict("allow"))
    story: str = ""  # the child's words as the model and the world may see them (personal details masked)
    diff: WorldDiff = field(default_factory=WorldDiff)  # what the child's words added to the world
    plan: Plan | None = None
    tc: TurnContext | None = None
    draft: Draft = field(default_factory=lambda: Draft(""))
    frame: tuple[str, str] = ("", "")  # the templated opener and closer around the model's sentence
    verdict_out: Verdict | None = None
    offered: list[str] = field(default_factory=list)  # the two-way choice the reply ends on, if any
    reply_diff: WorldDiff = field(default_factory=WorldDiff)  # what the model's own sentence added
    world: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    latency_ms: float = 0.0
    row: dict[str, Any] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_allowed(self) -> bool:
        """The child's message may go into the story."""
        return self.verdict_in.action == "allow"

    def events(self) -> Iterator[Event]:
        """The turn's events, in the order the UI shows them (see events.py)."""
        yield SafetyChecked(self.verdict_in)
        if self.offered:
            yield Choices(list(self.offered))
        yield Token(self.draft.reply)
        yield WorldUpdated(self.world)
        yield TurnDone(
            self.index,
            self.text,
            self.draft.reply,
            self.verdict_in.action,
            self.latency_ms,
            self.row.get("prompt_tokens", 0),
            self.row.get("completion_tokens", 0),
            self.world,
            self.row,
        )


class Stopwatch:
    """Times one stage into the record: `with Stopwatch(rec, "plan_ms"): ...`."""

    def __init__(self, record: TurnRecord, key: str) -> None:
        self.record, self.key = record, key

    def __enter__(self) -> None:
        self.t = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.record.timings[self.key] = (time.perf_counter() - self.t) * 1000
