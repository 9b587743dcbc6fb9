"""StoryApp: receives a ready DialogueManager; child mode (start, story) and carer mode behind a PIN."""

from __future__ import annotations

from argon2 import PasswordHasher
from textual.app import App

from ..dialogue import DialogueManager
from ..voice import Transcriber
from .screens.start import StartScreen
from .theme import WARD_THEME


class StoryApp(App[None]):
    """aistories: the child's start screen first; carer screens sit on top and are all removed on leaving."""

    CSS_PATH = "app.tcss"
    TITLE = "aistories"
    ENABLE_COMMAND_PALETTE = False  # a child's tablet: no hidden power-user menu

    def __init__(self, manager: DialogueManager, *, pin_hasher: PasswordHasher | None = None) -> None:
        super().__init__()
        self.register_theme(WARD_THEME)
        self.manager = manager
        self.pin_hasher = pin_hasher or PasswordHasher()  # argon2id; tests pass a cheaper one
        self._is_fresh = True  # the constructor's manager has not been used for a story yet
        self._is_open = True  # its session has not been ended
        self.transcriber: Transcriber | None = None  # Whisper, loaded on the first "Talk" and kept

    def on_mount(self) -> None:
        self.theme = "aistories-ward"
        self.push_screen(StartScreen())

    def manager_for(self, world: str) -> DialogueManager:
        """A manager for the child's story in this world: the ready one if unused, else a new session."""
        old = self.manager
        if self._is_fresh and old.world.name == world:
            self._is_fresh = False
            return old
        self.end_story()
        self.manager = DialogueManager(
            old.backend,
            old.store,
            world=world,
            age_band=old.age_band,
            child=old.child["pseudonym"],
            seed=old.seed,
            options=old.options,
        )
        self._is_fresh, self._is_open = False, True
        return self.manager

    def end_story(self) -> None:
        """Close the current session once (its summary is written)."""
        if self._is_open:
            self._is_open = False
            self.manager.end()

    def data_deleted(self) -> None:
        """A carer deleted stories: the next story gets a fresh manager (and the child row, if needed)."""
        self._is_fresh = self._is_open = False

    def leave_carer(self) -> None:
        """Back to the child's start screen, with no carer screen left on the stack to go 'back' to.

        Not awaited: a screen awaiting its own removal would wait forever; the pops take effect at once.
        """
        while not isinstance(self.screen, StartScreen) and len(self.screen_stack) > 1:
            self.pop_screen()

    def on_unmount(self) -> None:
        self.end_story()
