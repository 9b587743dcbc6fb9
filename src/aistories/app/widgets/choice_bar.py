"""Two big buttons for the storyteller's two-way choice (the child may also type either one)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button


class ChoiceButton(Button):
    """A big button holding one option's words."""

    option: str = ""


class ChoiceBar(Horizontal):
    """Hidden until `offer(options)`; pressing a button reports ChoiceMade with the option's words."""

    @dataclass
    class ChoiceMade(Message):
        """The child pressed one of the two options."""

        text: str

    def compose(self) -> ComposeResult:
        yield ChoiceButton("", id="choice-a", classes="choice")
        yield ChoiceButton("", id="choice-b", classes="choice")

    def offer(self, options: list[str]) -> None:
        """Show two options as buttons; anything but two hides the bar."""
        shown = len(options) == 2
        self.set_class(shown, "-open")
        for button, text in zip(self.query(ChoiceButton), options if shown else ["", ""], strict=True):
            button.label = text[:1].upper() + text[1:]
            button.option = text

    @property
    def options(self) -> list[str]:
        """The options on offer ([] when hidden)."""
        return [b.option for b in self.query(ChoiceButton)] if self.has_class("-open") else []

    @on(Button.Pressed, ".choice")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, ChoiceButton) and event.button.option:
            self.post_message(self.ChoiceMade(event.button.option))
