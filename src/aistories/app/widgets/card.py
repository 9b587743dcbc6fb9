"""A big picture-like card on the start screen: a starter world, or a story to carry on."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static


class StoryCard(Vertical, can_focus=True):
    """Click, tap, Enter or Space picks it; reports Picked with the world's name."""

    BINDINGS = [("enter", "pick", "Choose"), ("space", "pick", "Choose")]

    @dataclass
    class Picked(Message):
        """A card was chosen."""

        world: str
        carry_on: bool

    def __init__(self, world: str, title: str, text: str, *, emblem: str, carry_on: bool = False) -> None:
        super().__init__(
            classes="card -carry-on" if carry_on else "card", id=f"{'carry' if carry_on else 'world'}-{world}"
        )
        self.world = world
        self.title = title
        self.text = text
        self.emblem = emblem
        self.carry_on = carry_on

    def compose(self) -> ComposeResult:
        yield Static(f"{self.emblem}  {self.title}", classes="card-title", markup=False)
        yield Static(self.text, classes="card-text", markup=False)

    def action_pick(self) -> None:
        self.post_message(self.Picked(self.world, self.carry_on))

    def on_click(self) -> None:
        self.action_pick()
