"""A turn the app cannot save (disk full): the child sees the gentle line, staff the reason, and the
same words said again are saved as that turn, with nothing half-written in between (issue 14.3)."""

from __future__ import annotations

import pytest
from app_pilot import open_world, say

from aistories.app.screens.story import GENTLE_ERROR, StoryScreen
from aistories.config import Settings
from aistories.errors import StoreFull
from aistories.store import Store


async def test_a_turn_that_cannot_be_saved_is_said_kindly_and_can_be_said_again(
    app_for, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    real_insert = Store.insert_turn
    failures = [StoreFull("Could not save to the database: ... The disk is full (database or disk is full).")]

    def insert_turn(self: Store, row: dict[str, object], extra: object = None) -> None:
        if failures:
            raise failures.pop()
        real_insert(self, row, extra)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "insert_turn", insert_turn)
    staff: list[str] = []
    monkeypatch.setattr(StoryScreen, "notify", lambda self, message, **kw: staff.append(message))
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        assert screen.story_log.lines[-2:] == ["a dragon called Zog", GENTLE_ERROR]
        assert any(m.startswith("StoreFull:") and "disk is full" in m for m in staff), staff
        assert not screen.thinking and not screen.child_input.disabled
        await say(pilot, "a dragon called Zog")
        assert screen.story_log.lines[-1] != GENTLE_ERROR
    turns = list(Store.open(settings.db_path).db["turns"].rows)
    assert [(t["turn_index"], t["child_text"]) for t in turns] == [(1, "a dragon called Zog")]
