"""StoryApp: receives a ready DialogueManager and shows the story screen."""

from __future__ import annotations

from textual.app import App

from ..dialogue import DialogueManager
from .screens.story import StoryScreen


class StoryApp(App[None]):
    """aistories in child mode."""

    CSS_PATH = "app.tcss"
    TITLE = "aistories"
    ENABLE_COMMAND_PALETTE = False  # a child's tablet: no hidden power-user menu

    def __init__(self, manager: DialogueManager) -> None:
        super().__init__()
        self.manager = manager

    def on_mount(self) -> None:
        self.push_screen(StoryScreen(self.manager))

    def on_unmount(self) -> None:
        self.manager.end()
