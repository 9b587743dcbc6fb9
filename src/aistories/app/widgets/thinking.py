"""A gentle "the storyteller is thinking" line with slowly twinkling stars, shown while a reply is made."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

FRAMES = ("✦ · ·", "· ✦ ·", "· · ✦", "· ✦ ·")
FRAME_S = 0.5


class Thinking(Static):
    """Hidden until `active`; then a soft animation so the child knows the story is coming."""

    active: reactive[bool] = reactive(False)
    frame: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = "thinking") -> None:  # noqa: A002
        super().__init__("", id=id, markup=False)

    def on_mount(self) -> None:
        self._timer = self.set_interval(FRAME_S, self._tick, pause=True)

    def watch_active(self, active: bool) -> None:
        self.set_class(active, "-active")
        self.frame = 0
        self._render_frame()
        if not hasattr(self, "_timer"):
            return
        if active:
            self._timer.resume()
        else:
            self._timer.pause()

    def _tick(self) -> None:
        self.frame = (self.frame + 1) % len(FRAMES)
        self._render_frame()

    def _render_frame(self) -> None:
        self.update(f"{FRAMES[self.frame]}  The storyteller is thinking…" if self.active else "")
