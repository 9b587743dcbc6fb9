"""Regenerate the README's screenshots from the real app on the fake backend (fixed text, no model needed).

Run from the project root: .venv/bin/python scripts/screenshot.py [OUT_DIR]   (default: docs/)
Writes start-screen.svg, story-screen.svg (choice buttons and world panel), carer-alerts.svg and
carer-story.svg (a story read in carer mode).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from argon2 import PasswordHasher

from aistories.backends.fake import FakeBackend
from aistories.cli import make_app
from aistories.config import Settings

SIZE = (100, 34)
STORY = ["a purple dragon called Zog", "zog likes cake", "dunno"]
DISCLOSURE = "my uncle hurts me and says its our secret"


def _app(tmp: str):  # type: ignore[no-untyped-def]
    settings = Settings.load(db=str(Path(tmp) / "shot.db"), child="Sunny Fox", seed=7, age_band="7-9")
    fake = FakeBackend()
    fake.enqueue(["Zog landed softly on the Tower of Pillows."])
    fake.enqueue(["Zog shared a slice with Hoot."])
    app = make_app(settings, backend=fake)
    app.pin_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return app


async def _say(pilot, line: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*line, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AISTORIES_HOME"] = tmp  # never the user's own data
        app = _app(tmp)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            (out / "start-screen.svg").write_text(app.export_screenshot(title="aistories: start"), "utf-8")
            app.screen.query_one("#world-flying-beds-castle").focus()
            await pilot.press("enter")
            for line in STORY:
                await _say(pilot, line)
            (out / "story-screen.svg").write_text(app.export_screenshot(title="aistories: story"), "utf-8")
            await _say(pilot, DISCLOSURE)
            await pilot.press("escape", "ctrl+g", *"2468", "enter", *"2468", "enter")
            await pilot.pause()
            (out / "carer-alerts.svg").write_text(app.export_screenshot(title="aistories: carer"), "utf-8")
            app.screen.query_one("#carer-tabs").active = "children-tab"  # type: ignore[attr-defined]
            await pilot.pause()
            app.screen.query_one(".read").press()  # type: ignore[attr-defined]
            await pilot.pause()
            (out / "carer-story.svg").write_text(app.export_screenshot(title="aistories: a story"), "utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    asyncio.run(main(target))
    print(f"wrote {target}/start-screen.svg, story-screen.svg, carer-alerts.svg, carer-story.svg")
