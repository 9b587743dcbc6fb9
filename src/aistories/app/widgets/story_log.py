"""The scrolling story as speech bubbles: the child's on the right, the storyteller's on the left."""

from __future__ import annotations

from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

SPEAKERS = {"child": "You", "storyteller": "Storyteller"}


class Bubble(Static):
    """One thing said, in a rounded bubble titled with who said it."""

    def __init__(self, speaker: str, text: str) -> None:
        super().__init__(text, classes=f"bubble -{speaker}", markup=False)
        self.speaker = speaker
        self.text = text
        self.border_title = SPEAKERS.get(speaker, speaker)


class StoryLog(VerticalScroll):
    """A column of bubbles; the newest is scrolled into view."""

    def add_line(self, speaker: str, text: str) -> Bubble:
        """Append one bubble said by 'child' or 'storyteller'."""
        bubble = Bubble(speaker, text)
        self.mount(Horizontal(bubble, classes=f"bubble-row -{speaker}"))
        self.scroll_end(animate=False)
        return bubble

    @property
    def lines(self) -> list[str]:
        """The text of every bubble, oldest first."""
        return [b.text for b in self.query(Bubble)]

    @property
    def speakers(self) -> list[str]:
        """Who said each bubble, oldest first."""
        return [b.speaker for b in self.query(Bubble)]
