"""A small "love it" / "not that" pair under one storyteller reply (issue 12.2)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button

LOVE_IT = "♥ Love it"
NOT_THAT = "Not that"


class FeedbackBar(Horizontal):
    """Two compact buttons for one reply; pressing one reports Rated and marks it picked.

    A child may change their mind (the other button rates again); pressing the picked one again does
    nothing, so a reply has at most one standing rating from this bar.
    """

    @dataclass
    class Rated(Message):
        """The child rated a reply: +1 love it, -1 not that."""

        bar: FeedbackBar
        turn_id: str
        rating: int

    rating: var[int] = var(0)

    def __init__(self, turn_id: str) -> None:
        super().__init__(classes="feedback-bar")
        self.turn_id = turn_id

    def compose(self) -> ComposeResult:
        yield Button(LOVE_IT, classes="love-it", compact=True)
        yield Button(NOT_THAT, classes="not-that", compact=True)

    def watch_rating(self, rating: int) -> None:
        self.query_one(".love-it").set_class(rating > 0, "-picked")
        self.query_one(".not-that").set_class(rating < 0, "-picked")

    def set_focusable(self, can_focus: bool) -> None:
        """Only the newest reply's pair is in the Tab order; older ones stay tappable."""
        for button in self.query(Button):
            button.can_focus = can_focus

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = 1 if event.button.has_class("love-it") else -1
        if rating != self.rating:
            self.rating = rating
            self.post_message(self.Rated(self, self.turn_id, rating))
