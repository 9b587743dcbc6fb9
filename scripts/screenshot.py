"""Regenerate the README's screenshot: the real app on the embedded model, a few child turns, saved as SVG.

Run from the project root: .venv/bin/python scripts/screenshot.py [docs/story-screen.svg]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from aistories.cli import make_app
from aistories.config import Settings

LINES = ["a dragon called Zog", "zog is purple and he likes cake", "dunno"]


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(db=str(Path(tmp) / "shot.db"), child="screenshot", seed=1, age_band="7-9")
        app = make_app(settings)
        async with app.run_test(size=(90, 30)) as pilot:
            for line in LINES:
                await pilot.press(*line, "enter")
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            out.write_text(app.export_screenshot(title="aistories"), encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/story-screen.svg")
    asyncio.run(main(target))
    print(f"wrote {target}")
