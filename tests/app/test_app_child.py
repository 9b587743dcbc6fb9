"""Child mode through Pilot on the fake backend: start cards, bubbles, choices, world panel, the end."""

from __future__ import annotations

from app_pilot import open_world, say, settle

from aistories.app.screens.start import StartScreen
from aistories.app.screens.story import StoryScreen
from aistories.app.widgets.card import StoryCard
from aistories.backends.fake import FakeBackend
from aistories.config import Settings
from aistories.store import Store


async def test_start_screen_offers_every_starter_world_and_no_carry_on_at_first(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        cards = list(app.screen.query(StoryCard))
        assert [c.world for c in cards][:2] == ["dinosaur-valley", "flying-beds-castle"] and len(cards) == 7
        assert not any(c.carry_on for c in cards) and app.focused is cards[0]


async def test_a_story_started_from_a_card_shows_bubbles_and_is_stored(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBackend()
    fake.enqueue(["Zog landed softly on the Tower of Pillows."])
    app = app_for(fake)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot, "dinosaur-valley")
        assert screen.title == "Dinosaur Valley" and screen.story_log.speakers == ["storyteller"]
        await say(pilot, "a dragon called Zog")
        assert screen.story_log.speakers == ["storyteller", "child", "storyteller"]
        assert screen.story_log.lines[1] == "a dragon called Zog"
        assert "Zog landed softly" in screen.story_log.lines[2]
        assert screen.child_input.value == "" and not screen.child_input.disabled
    sessions = list(Store.open(settings.db_path).db["sessions"].rows_where("world = ?", ["dinosaur-valley"]))
    turns = list(Store.open(settings.db_path).db["turns"].rows_where("session_id = ?", [sessions[0]["id"]]))
    assert [t["child_text"] for t in turns] == ["a dragon called Zog"]


async def test_the_world_panel_updates_after_every_turn_and_says_who_made_what(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert not any("Zog" in e for e in screen.world_panel.entries("characters"))
        await say(pilot, "a dragon called Zog")
        assert "• Zog, a dragon (made up by you)" in screen.world_panel.entries("characters")
        assert screen.world_panel.entries("characters")[0].endswith("(from the story book)")
        panel = screen.world_panel
        assert panel.display and not panel.has_class("-hidden")
        await pilot.press("f2")
        assert panel.has_class("-hidden")
        await pilot.click("#toggle-world")
        assert not panel.has_class("-hidden")


async def test_choice_buttons_appear_and_pressing_one_says_it(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert screen.choice_bar.options == [] and not screen.choice_bar.display
        await say(pilot, "a dragon called Zog")
        await say(pilot, "dunno")  # a stuck child is offered two options
        options = screen.choice_bar.options
        assert len(options) == 2 and all(o in screen.story_log.lines[-1] for o in options)
        await pilot.click("#choice-b")
        await settle(pilot)
        assert screen.story_log.lines[-2] == options[1]
        assert screen.story_log.speakers[-2:] == ["child", "storyteller"]


async def test_a_choice_can_also_be_typed(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "dunno")
        first = screen.choice_bar.options[0]
        await say(pilot, first)
        assert screen.story_log.lines[-2:][0] == first and screen.story_log.speakers[-2] == "child"


async def test_the_end_closes_the_story_with_its_recap(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        await pilot.click("#the-end")
        await settle(pilot)
        assert screen.is_ended and screen.child_input.disabled
        assert screen.story_log.lines[-1] == "The End." and "Zog" in screen.story_log.lines[-2]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        carry = [c for c in app.screen.query(StoryCard) if c.carry_on]
        assert [c.world for c in carry] == ["flying-beds-castle"] and "Zog" in carry[0].text
    session = next(iter(Store.open(settings.db_path).db["sessions"].rows_where("ended_utc is not null")))
    assert "Zog" in session["summary"]


async def test_carry_on_resumes_with_last_time(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await open_world(pilot)
        await say(pilot, "a dragon called Zog")
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#carry-flying-beds-castle").focus()
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StoryScreen) and screen.manager.is_resumed
        assert "Zog" in screen.story_log.lines[0]


class BrokenBackend(FakeBackend):
    def stream(self, messages, options):  # type: ignore[no-untyped-def]
        raise RuntimeError("engine fell over")


async def test_a_failure_is_a_gentle_in_story_line(app_for) -> None:  # type: ignore[no-untyped-def]
    from aistories.app.screens.story import GENTLE_ERROR

    app = app_for(BrokenBackend())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await say(pilot, "hello")
        assert screen.story_log.lines[-1] == GENTLE_ERROR and not screen.child_input.disabled


class SlowBackend(FakeBackend):
    """Holds the reply until the test lets it go, so the screen can be looked at mid-turn."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.go = threading.Event()

    def stream(self, messages, options):  # type: ignore[no-untyped-def]
        self.go.wait(10)
        yield from super().stream(messages, options)


async def test_while_the_storyteller_thinks_the_screen_stays_live_and_shows_it(app_for) -> None:  # type: ignore[no-untyped-def]
    from aistories.app.widgets.thinking import Thinking

    slow = SlowBackend()
    app = app_for(slow)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        await pilot.press(*"a dragon called Zog", "enter")
        await pilot.pause(0.2)
        thinking = screen.query_one(Thinking)
        assert thinking.active and thinking.display and screen.child_input.disabled
        assert "thinking" in str(thinking.render()) and screen.story_log.lines[-1] == "a dragon called Zog"
        await pilot.press("f2")  # the event loop is free: the world panel still toggles
        assert screen.world_panel.has_class("-hidden")
        slow.go.set()
        await settle(pilot)
        assert not thinking.active and not thinking.display and not screen.child_input.disabled
        assert screen.story_log.speakers[-1] == "storyteller"


async def test_read_it_to_me_is_hidden_without_espeak_ng(app_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("aistories.app.speech.shutil.which", lambda name: None)
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert not screen.query_one("#read-aloud").display


async def test_read_it_to_me_is_hidden_when_served_to_a_browser(app_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Served, espeak-ng would speak on the ward server, not on the child's tablet."""
    monkeypatch.setattr("aistories.app.speech.shutil.which", lambda name: "/usr/bin/espeak-ng")
    app = app_for()
    monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert not screen.query_one("#read-aloud").display


async def test_read_it_to_me_speaks_the_last_reply_with_espeak_ng(app_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = []
    monkeypatch.setattr("aistories.app.speech.shutil.which", lambda name: "/usr/bin/espeak-ng")
    monkeypatch.setattr("aistories.app.speech.subprocess.run", lambda args, **kw: calls.append(args))
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert screen.query_one("#read-aloud").display
        opening = screen.story_log.lines[0]
        await pilot.click("#read-aloud")
        await settle(pilot)
    assert calls == [["/usr/bin/espeak-ng", "-s", "140", "--", opening]]


async def test_a_story_that_cannot_start_is_a_gentle_note_on_the_start_screen(app_for) -> None:  # type: ignore[no-untyped-def]
    from aistories.app.screens.start import STUCK

    app = app_for()

    def broken(world: str) -> None:
        raise RuntimeError("disk on fire")

    app.manager_for = broken  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert [n.message for n in app._notifications] == [STUCK]
