"""Snapshot of the story screen after one turn (fake backend, so the text is fixed)."""

from __future__ import annotations

from aistories.backends.fake import FakeBackend
from aistories.cli import make_app
from aistories.config import Settings


def test_story_screen_after_one_turn(snap_compare, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """You should see the castle's opening line, the child's line "You: a dragon called Zog" in the accent
    colour, the storyteller taking up Zog and asking what happens, and the input box at the bottom asking
    "What happens next?"."""
    fake = FakeBackend()
    fake.enqueue(["Zog landed softly on the Tower of Pillows."])
    app = make_app(settings, backend=fake)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*"a dragon called Zog", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
