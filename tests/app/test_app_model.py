"""The app on the real embedded model: pick a world, type a line, get a checked reply and a world update."""

from __future__ import annotations

import pytest
from app_pilot import open_world, say

from aistories.cli import make_app
from aistories.config import Settings

pytestmark = pytest.mark.model


async def test_a_turn_on_the_embedded_model(settings: Settings) -> None:
    app = make_app(settings)  # the registry's default model, loaded offline
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        assert screen.story_log.speakers == ["storyteller", "child", "storyteller"]
        reply = screen.story_log.lines[-1]
        assert reply and "Traceback" not in reply and not screen.child_input.disabled
        assert any("Zog" in line for line in screen.world_panel.entries("characters"))
