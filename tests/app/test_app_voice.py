"""The story screen's Talk button: hidden without a microphone; with one, the words land in the box."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import numpy as np
from app_pilot import open_world, settle
from faster_whisper import decode_audio

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))
from test_voice import spoken  # noqa: E402


async def test_talk_is_hidden_without_a_microphone(app_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("aistories.voice.has_microphone", lambda: False)
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert not screen.query_one("#talk").display


async def test_talk_writes_the_childs_words_into_the_box_without_sending(
    app_for, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    samples = decode_audio(str(spoken("the dragon lives in a jelly castle", tmp_path)))

    class Microphone:
        """Stands in for the tablet's microphone: 'records' espeak-ng saying the line."""

        def start(self) -> None:
            pass

        def stop(self) -> np.ndarray:
            return samples

    monkeypatch.setattr("aistories.voice.has_microphone", lambda: True)
    monkeypatch.setattr("aistories.voice.Recorder", Microphone)
    app = app_for()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_world(pilot)
        assert screen.query_one("#talk").display
        lines_before = len(screen.story_log.lines)
        await pilot.click("#talk")
        assert "listening" in str(screen.query_one("#talk").label)
        await pilot.pause(0.5)  # the child talks
        await pilot.click("#talk")
        await settle(pilot)
        for _ in range(120):  # Whisper loads on the first Talk (a few seconds on two busy cores)
            if str(screen.query_one("#talk").label) == "Talk":
                break
            await asyncio.sleep(0.5)
        typed = screen.child_input.value.lower()
        assert "dragon" in typed and "jelly castle" in typed
        assert len(screen.story_log.lines) == lines_before  # not sent: the child presses Go!
        assert str(screen.query_one("#talk").label) == "Talk" and not screen.query_one("#talk").disabled
