"""The scrolling story: the child's lines and the storyteller's replies."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static


class StoryLog(VerticalScroll):
    """A column of story lines; the newest is scrolled into view."""

    DEFAULT_CSS = """
    StoryLog { height: 1fr; padding: 0 1; }
    StoryLog > .line { margin: 0 0 1 0; }
    StoryLog > .-child { color: $accent; text-style: bold; }
    StoryLog > .-storyteller { color: $text; }
    """

    def add_line(self, speaker: str, text: str) -> Static:
        """Append one line said by 'child' or 'storyteller'."""
        prefix = "You: " if speaker == "child" else ""
        line = Static(prefix + text, classes=f"line -{speaker}", markup=False)
        self.mount(line)
        self.scroll_end(animate=False)
        return line

    @property
    def lines(self) -> list[str]:
        """The plain text of every line, oldest first."""
        return [str(w.render()) for w in self.query(".line").results(Static)]
