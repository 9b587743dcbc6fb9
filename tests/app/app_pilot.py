"""Pilot helpers shared by the app tests (a uniquely named module: every conftest.py is 'conftest')."""

from __future__ import annotations

from aistories.app.screens.story import StoryScreen


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
