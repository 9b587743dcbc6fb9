"""The Textual story screen driven by Pilot, on the fake backend (more app tests: tests/app/).

The app opens on the child's start screen (issue 11); each test picks the default world's card first.
"""

from __future__ import annotations

from aistories.app.screens.story import GENTLE_ERROR, StoryScreen
from aistories.backends.fake import FakeBackend
from aistories.cli import make_app
from aistories.config import Settings
from aistories.store import Store


async def _open_story(pilot) -> StoryScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    pilot.app.screen.query_one("#world-flying-beds-castle").focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StoryScreen)
    return pilot.app.screen


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_typing_a_line_shows_the_reply_and_stores_the_turn(settings: Settings) -> None:
    fake = FakeBackend()
    fake.enqueue(["Hoot flapped over the moon. ", "Shall we follow?"])
    app = make_app(settings, backend=fake)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open_story(pilot)
        await pilot.press(*"a dragon", "enter")
        await _settle(pilot)
        you, reply = screen.story_log.lines[-2:]
        # The manager wraps the model's sentence: it takes up the child's idea and ends with a question.
        assert you == "a dragon" and screen.story_log.speakers[-2:] == ["child", "storyteller"]
        assert "Hoot flapped over the moon." in reply and "dragon" in reply and reply.endswith("?")
        assert screen.child_input.value == "" and not screen.child_input.disabled
    rows = list(Store.open(settings.db_path).db["turns"].rows)
    assert [(r["child_text"], r["reply"]) for r in rows] == [("a dragon", reply)]


async def test_empty_line_is_ignored(settings: Settings) -> None:
    fake = FakeBackend()
    app = make_app(settings, backend=fake)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open_story(pilot)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert len(screen.story_log.lines) == 1
    assert fake.history == []


class BrokenBackend(FakeBackend):
    def stream(self, messages, options):  # type: ignore[no-untyped-def]
        raise RuntimeError("engine fell over")


async def test_a_backend_failure_shows_a_gentle_line_not_a_traceback(settings: Settings) -> None:
    app = make_app(settings, backend=BrokenBackend())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open_story(pilot)
        await pilot.press(*"hello", "enter")
        await _settle(pilot)
        assert screen.story_log.lines[-1] == GENTLE_ERROR
        assert not screen.child_input.disabled


async def test_a_disclosure_raises_the_staff_banner(settings: Settings) -> None:
    fake = FakeBackend()
    app = make_app(settings, backend=fake)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open_story(pilot)
        banner = screen.query_one("#alert-banner")
        assert not banner.has_class("-open")
        await pilot.press(*"my uncle hurts me and says its our secret", "enter")
        await _settle(pilot)
        assert banner.has_class("-open") and banner.count == 1  # type: ignore[attr-defined]
        assert "not your fault" in screen.story_log.lines[-1]
    assert fake.history == []
