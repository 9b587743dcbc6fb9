"""Snapshots of the main screens on the fake backend (fixed text). Read the report before updating."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from textual.widgets import Input

from aistories.backends.fake import FakeBackend
from aistories.cli import make_app
from aistories.config import Settings

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def no_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same picture whether or not this machine has espeak-ng ('Read it to me' hidden)."""
    monkeypatch.setattr("aistories.app.speech.shutil.which", lambda name: None)


async def steady_cursor(pilot) -> None:  # type: ignore[no-untyped-def]
    """A blinking cursor would make the picture depend on the moment it is taken."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def _story(pilot, *lines: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    pilot.app.screen.query_one("#world-flying-beds-castle").focus()
    await pilot.press("enter")
    for line in lines:
        await pilot.press(*line, "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_start_screen(snap_compare, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """You should see "Let's make a story!" in a double border, "Start a new story", and big cards (an
    emblem, the title, one sentence) for the starter worlds, three to a row, the first one focused; a
    small "Grown-ups" button and the footer at the bottom. No "Carry on" row: this child has no story yet."""
    app = make_app(settings, backend=FakeBackend())
    assert snap_compare(app, terminal_size=(100, 36))


def test_story_screen_after_one_turn(snap_compare, settings: Settings, no_espeak: None) -> None:  # type: ignore[no-untyped-def]
    """You should see the castle's opening in a lavender 'Storyteller' bubble on the left, the child's
    "a dragon called Zog" in a sand-coloured 'You' bubble on the right, the storyteller taking up Zog,
    with a small "♥ Love it" / "Not that" pair tucked under its bubble (the opening has none), the world
    panel on the right listing Zog (made up by you) under the castle's cast, and the input box asking
    "What happens next?" with the Go!, Our world, The end and Home buttons."""
    fake = FakeBackend()
    fake.enqueue(["Zog landed softly on the Tower of Pillows."])
    app = make_app(settings, backend=fake)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _story(pilot, "a dragon called Zog")
        await steady_cursor(pilot)

    assert snap_compare(app, terminal_size=(100, 36), run_before=run_before)


def test_story_screen_with_choice_buttons(snap_compare, settings: Settings, no_espeak: None) -> None:  # type: ignore[no-untyped-def]
    """As above after "dunno": the storyteller offers two options, shown as two big buttons above the
    input box ("Find the silver lantern" and "Sing a silly song"), matching the storyteller's question."""
    fake = FakeBackend()
    fake.enqueue(["Zog landed softly on the Tower of Pillows."])
    app = make_app(settings, backend=fake)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _story(pilot, "a dragon called Zog", "dunno")
        await steady_cursor(pilot)

    assert snap_compare(app, terminal_size=(100, 36), run_before=run_before)


def test_carer_alerts(snap_compare, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """Carer mode after a disclosure: the 'Safety alerts (1 open)' tab first, one terracotta OPEN alert
    naming the child (tester), its category and words, with an Acknowledge button; the name box and
    "Leave carer mode" at the top."""
    app = make_app(settings, backend=FakeBackend())
    app.pin_hasher = FAST

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _story(pilot, "my uncle hurts me and says its our secret")
        db = pilot.app.manager.store.db
        for row in list(db["alerts"].rows):  # a fixed time, so the snapshot does not change by the minute
            db["alerts"].update(row["id"], {"datetime_utc": "2026-11-29T08:30:00.000+00:00"})
        await pilot.press("escape", "ctrl+g", *"2468", "enter", *"2468", "enter")
        await pilot.pause()
        await steady_cursor(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
