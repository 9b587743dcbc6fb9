"""Carer mode: read one story, turn by turn, with what was remembered and why, beside its world."""

from __future__ import annotations

import json

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from ...store.children import memory_why, story_turns
from ..catalog import starter_worlds, story_world
from ..widgets.world_panel import WorldPanel
from .carer import minute


def turn_text(turn: dict, why: dict | None) -> str:  # type: ignore[type-arg]
    """One turn as a carer reads it."""
    lines = [
        f"Turn {turn['turn_index']} · {minute(turn['datetime_utc'])} · safety: {turn['safety_action']}",
        f"Child: {turn['child_text']}",
        f"Storyteller: {turn['reply']}",
    ]
    reasons = json.loads(why["why_json"]) if why and why.get("why_json") else []
    if reasons:
        lines.append("Remembered: " + "; ".join(f"{r.get('fact')} ({r.get('reason')})" for r in reasons))
    return "\n".join(lines)


class StoryViewScreen(Screen[None]):
    """Escape goes back to the carer screen; 'Leave carer mode' goes to the child's start screen."""

    BINDINGS = [("escape", "back", "Back")]

    def __init__(self, child_id: str, world: str) -> None:
        super().__init__()
        self.child_id = child_id
        self.world = world

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="carer-top"):
            yield Button("Back", id="back")
            yield Button("Leave carer mode", id="leave", variant="warning")
        with Horizontal(id="story-body"):
            yield VerticalScroll(id="turn-list")
            yield WorldPanel(id="world-panel")
        yield Footer()

    def on_mount(self) -> None:
        store = self.app.manager.store  # type: ignore[attr-defined]
        titles = {w.name: w.title for w in starter_worlds()}
        child = store.db.table("children").get(self.child_id)
        self.title = f"{child['pseudonym']}: {titles.get(self.world, self.world)}"
        turns = story_turns(store.db, self.child_id, self.world)
        why = memory_why(store.db, [t["id"] for t in turns])
        self.query_one("#turn-list").mount_all(
            Static(turn_text(t, why.get(t["id"])), classes="turn-item", markup=False) for t in turns
        )
        self.query_one(WorldPanel).world = story_world(store, self.child_id, self.world)

    def world_panel_entries(self) -> list[str]:
        """Every line of the world panel, for tests."""
        panel = self.query_one(WorldPanel)
        return [line for kind in ("characters", "places", "objects") for line in panel.entries(kind)]

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#leave")
    def leave(self) -> None:
        self.app.leave_carer()  # type: ignore[attr-defined]
