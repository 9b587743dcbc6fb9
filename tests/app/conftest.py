"""Pilot helpers for the app tests: the app on the fake backend, a cheap argon2id, starting a story."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from aistories.app.app import StoryApp
from aistories.app.screens.story import StoryScreen
from aistories.backends.fake import FakeBackend
from aistories.cli import make_app
from aistories.config import Settings

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # still argon2id, just cheap


@pytest.fixture
def app_for(settings: Settings):  # type: ignore[no-untyped-def]
    """Build the real app around a (fake) backend, with a cheap PIN hasher."""

    def build(backend: FakeBackend | None = None) -> StoryApp:
        app = make_app(settings, backend=backend or FakeBackend())
        app.pin_hasher = FAST_HASHER
        return app

    return build


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_world(pilot, world: str = "flying-beds-castle") -> StoryScreen:  # type: ignore[no-untyped-def]
    """Pick a starter world's card with the keyboard, as a child would."""
    pilot.app.screen.query_one(f"#world-{world}").focus()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StoryScreen)
    return screen


async def say(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a line and press Enter, then wait for the reply."""
    await pilot.press(*text, "enter")
    await settle(pilot)
