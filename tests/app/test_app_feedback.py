"""Feedback in the story screen (issue 12.2): love it / not that under each reply, choice picks recorded."""

from __future__ import annotations

from app_pilot import open_world, say, settle

from aistories.app.widgets.feedback_bar import FeedbackBar
from aistories.backends.fake import FakeBackend
from aistories.config import Settings
from aistories.store import Store
from aistories.store.feedback import rate_reply


def _feedback(settings: Settings) -> list[dict]:  # type: ignore[type-arg]
    rows = Store.open(settings.db_path).db["feedback"].rows_where(order_by="datetime_utc")
    return [
        {k: r[k] for k in ("turn_id", "kind", "rating", "target", "alternative", "given_by")} for r in rows
    ]


def _turns(settings: Settings) -> list[dict]:  # type: ignore[type-arg]
    return list(Store.open(settings.db_path).db["turns"].rows_where(order_by="turn_index"))


async def test_love_it_and_not_that_sit_under_each_reply_and_write_feedback_rows(  # type: ignore[no-untyped-def]
    app_for, settings: Settings
) -> None:
    fake = FakeBackend()
    fake.enqueue(["Zog landed softly on the Tower of Pillows."])
    fake.enqueue(["Zog shared a slice with Hoot."])
    app = app_for(fake)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert list(screen.query(FeedbackBar)) == []  # the opening line is not a turn: nothing to rate
        await say(pilot, "a dragon called Zog")
        await say(pilot, "zog likes cake")
        bars = list(screen.query(FeedbackBar))
        turns = _turns(settings)
        assert [b.turn_id for b in bars] == [t["id"] for t in turns]
        # Each bar sits right after its reply's bubble row in the log.
        children = list(screen.story_log.children)
        assert [children.index(b) for b in bars] == [3, 6]
        await pilot.click(bars[0].query_one(".love-it"))
        await pilot.click(bars[1].query_one(".not-that"))
        await pilot.pause()
        assert (bars[0].rating, bars[1].rating) == (1, -1)
        assert bars[0].query_one(".love-it").has_class("-picked")
    assert _feedback(settings) == [
        {
            "turn_id": turns[0]["id"],
            "kind": "reply",
            "rating": 1,
            "target": turns[0]["reply"],
            "alternative": None,
            "given_by": "child",
        },
        {
            "turn_id": turns[1]["id"],
            "kind": "reply",
            "rating": -1,
            "target": turns[1]["reply"],
            "alternative": None,
            "given_by": "child",
        },
    ]


async def test_a_change_of_mind_replaces_the_rating_and_a_second_press_adds_nothing(  # type: ignore[no-untyped-def]
    app_for, settings: Settings
) -> None:
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        bar = screen.query_one(FeedbackBar)
        for button in (".love-it", ".love-it", ".not-that"):
            await pilot.click(bar.query_one(button))
            await pilot.pause()
    assert [(r["kind"], r["rating"]) for r in _feedback(settings)] == [("reply", -1)]


async def test_the_newest_pair_is_reachable_from_the_keyboard(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        await say(pilot, "zog likes cake")
        old, new = list(screen.query(FeedbackBar))
        assert app.focused is screen.child_input
        presses = 0
        while app.focused is not new.query_one(".not-that") and presses < 3:  # past the world panel
            await pilot.press("shift+tab")
            presses += 1
        assert app.focused is new.query_one(".not-that")
        await pilot.press("shift+tab")
        assert app.focused is new.query_one(".love-it")
        await pilot.press("enter")
        await pilot.pause()
        assert not old.query_one(".love-it").can_focus  # older pairs stay tappable, out of the Tab loop
    assert [(r["turn_id"], r["rating"]) for r in _feedback(settings)] == [(new.turn_id, 1)]


async def test_choice_button_picks_are_recorded_against_the_offering_reply(  # type: ignore[no-untyped-def]
    app_for, settings: Settings
) -> None:
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        await say(pilot, "dunno")  # a stuck child is offered two options
        options = screen.choice_bar.options
        assert len(options) == 2
        await pilot.click("#choice-b")
        await settle(pilot)
        await say(pilot, "dunno")
        second = screen.choice_bar.options
        typed = second[0]
        await say(pilot, typed.upper())  # typed word for word counts as a pick too
        await say(pilot, "a castle")  # anything else is not a pick
    turns = _turns(settings)
    offering = [t["id"] for t in turns if t["child_text"] == "dunno"]
    assert [r for r in _feedback(settings) if r["kind"] == "choice"] == [
        {
            "turn_id": offering[0],
            "kind": "choice",
            "rating": 1,
            "target": options[1],
            "alternative": options[0],
            "given_by": "child",
        },
        {
            "turn_id": offering[1],
            "kind": "choice",
            "rating": 1,
            "target": typed,
            "alternative": second[1],
            "given_by": "child",
        },
    ]


async def test_no_feedback_pair_under_a_safeguarding_reply(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "my uncle hurts me and says its our secret")
        assert list(screen.query(FeedbackBar)) == []


def test_rate_reply_keeps_one_standing_rating_per_person(store: Store) -> None:
    child = store.get_or_create_child("fox", "7-9")
    session = store.start_session(child["id"], "w", "7-9", "fake")["id"]
    store.insert_turn({"id": "t1", "session_id": session, "turn_index": 1, "reply": "Hello!"})
    rate_reply(store, "t1", 1)
    rate_reply(store, "t1", -1)
    rate_reply(store, "t1", 2, given_by="Nurse Ada")
    store.add_feedback("t1", 1, kind="choice", target="a", alternative="b")
    rows = store.db["feedback"].rows
    assert sorted((r["kind"], r["rating"], r["given_by"]) for r in rows) == [
        ("choice", 1, "child"),
        ("reply", -1, "child"),
        ("reply", 2, "Nurse Ada"),
    ]
