"""Carer mode through Pilot: the PIN (set, enter, lockout), alerts, consent, reading and deleting."""

from __future__ import annotations

from app_pilot import open_world, say
from textual.widgets import Button, Checkbox, Input, TabbedContent

from aistories.app.screens.carer import CarerScreen
from aistories.app.screens.confirm import ConfirmScreen
from aistories.app.screens.pin import PinScreen
from aistories.app.screens.start import StartScreen
from aistories.app.screens.story_view import StoryViewScreen
from aistories.config import Settings
from aistories.store import Store
from aistories.store.carer import MAX_FAILURES

PIN = "2468"
DISCLOSURE = "my uncle hurts me and says its our secret"


async def enter_carer(pilot, pin: str = PIN, *, first_time: bool = False) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+g")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PinScreen)
    for _ in range(2 if first_time else 1):
        await pilot.press(*pin, "enter")
        await pilot.pause()


async def test_the_pin_is_chosen_on_first_use_and_leaving_leaves_no_way_back(
    app_for, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await enter_carer(pilot, first_time=True)
        assert isinstance(app.screen, CarerScreen)
        await pilot.click("#leave")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert not any(isinstance(s, CarerScreen | PinScreen) for s in app.screen_stack)
        await pilot.press("escape")  # no "back" into carer mode
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await enter_carer(pilot)  # the second time the PIN is asked for, not chosen
        assert isinstance(app.screen, CarerScreen)
    db = Store.open(settings.db_path).db
    assert db["carer_pin"].get("carer")["hash"].startswith("$argon2id$")
    assert [a["outcome"] for a in db["carer_attempts"].rows_where(order_by="rowid")] == ["set", "ok"]


async def test_mismatched_pins_are_not_set(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g", *"1234", "enter", *"4321", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        assert "did not match" in str(app.screen.query_one("#pin-message").render())
    assert Store.open(settings.db_path).db["carer_pin"].count == 0


async def test_wrong_pins_lock_carer_mode_and_every_attempt_is_logged(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await enter_carer(pilot, first_time=True)
        await pilot.click("#leave")
        await pilot.press("ctrl+g")
        for _ in range(MAX_FAILURES):
            await pilot.press(*"0000", "enter")
        await pilot.press(*PIN, "enter")  # even the right PIN is refused while locked
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        assert "locked" in str(app.screen.query_one("#pin-message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    outcomes = [
        a["outcome"] for a in Store.open(settings.db_path).db["carer_attempts"].rows_where(order_by="rowid")
    ]
    assert outcomes == ["set", *["wrong"] * MAX_FAILURES, "locked"]


async def test_open_alerts_come_first_and_acknowledging_records_who_and_when(
    app_for, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await open_world(pilot)
        await say(pilot, DISCLOSURE)
        await pilot.press("escape")
        await enter_carer(pilot, first_time=True)
        screen = app.screen
        assert screen.query_one(TabbedContent).active == "alerts-tab"
        assert "1 open" in str(screen.query_one(TabbedContent).get_tab("alerts-tab").label)
        item = screen.query_one(".alert-item.-open")
        assert "OPEN" in str(item.query_one("Static").render()) and "tester" in str(
            item.query_one("Static").render()
        )
        item.query_one(Button).press()  # no name typed yet: refused
        await pilot.pause()
        assert screen.query(".alert-item.-open")
        screen.query_one("#staff-name", Input).value = "Nurse Ada"
        screen.query_one(".ack", Button).press()
        await pilot.pause()
        assert not screen.query(".alert-item.-open")
        assert "Acknowledged by Nurse Ada" in str(screen.query_one(".alert-item.-acked Static").render())
    (row,) = Store.open(settings.db_path).db["alerts"].rows
    assert row["acknowledged_by"] == "Nurse Ada" and row["acknowledged_utc"]


async def test_consent_and_reading_a_story(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        await pilot.press("escape")
        await enter_carer(pilot, first_time=True)
        screen = app.screen
        screen.query_one(TabbedContent).active = "children-tab"
        await pilot.pause()
        research = next(c for c in screen.query(Checkbox) if str(c.name).startswith("research|"))
        research.toggle()
        await pilot.pause()
        screen.query_one(".read", Button).press()
        await pilot.pause()
        view = app.screen
        assert isinstance(view, StoryViewScreen)
        text = " ".join(str(s.render()) for s in view.query(".turn-item"))
        assert "Child: a dragon called Zog" in text and "Remembered:" in text
        assert "• Zog, a dragon (made up by you)" in view.world_panel_entries()
        await pilot.click("#leave")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and len(app.screen_stack) == 2
    (child,) = Store.open(settings.db_path).db["children"].rows
    assert child["consent_research"] == 1 and child["consent_updated_utc"]


async def test_deleting_a_childs_data_leaves_nothing_in_the_database(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await open_world(pilot)
        await say(pilot, "a purple zebra called Zizi")
        await pilot.press("escape")
        await enter_carer(pilot, first_time=True)
        screen = app.screen
        screen.query_one(TabbedContent).active = "children-tab"
        await pilot.pause()
        screen.query_one(".delete-child", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # "keep it" first: nothing happens
        await pilot.pause()
        assert Store.open(settings.db_path).db["children"].count == 1
        screen.query_one(".delete-child", Button).press()
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, CarerScreen) and "No children yet" in str(
            screen.query_one("#child-list .all-clear").render()
        )
        await pilot.click("#leave")
        await pilot.pause()
        assert not [c for c in app.screen.query("StoryCard") if c.carry_on]  # type: ignore[attr-defined]
    db = Store.open(settings.db_path).db
    dump = repr([list(db[t].rows) for t in db.table_names() if t not in ("carer_pin", "carer_attempts")])
    assert "Zizi" not in dump and "tester" not in dump and "zebra" not in dump
    assert db["children"].count == db["sessions"].count == db["turns"].count == 0
