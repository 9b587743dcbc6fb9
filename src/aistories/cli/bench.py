"""`aistories bench [--json] [--turns N] [--model ID]`: the performance report (issue 13)."""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import click

from ..bench import run_bench
from ..bench.coldstart import FIRST_SCREEN, SHOWN
from ..bench.script import script_lines
from ..bench.table import render_table
from .options import load_settings
from .wiring import make_app, make_manager


def _probe_opening(db: str, model: str | None) -> None:
    """Start the real app headless, pick the first story card at once, and print (on the real stdout:
    Textual captures sys.stdout) when the start screen and then the opening story line were on screen."""
    app = make_app(load_settings(model=model, db=db))

    def mark(label: str) -> None:
        os.write(1, f"{label}{time.time():.3f}\n".encode())

    async def watch(pilot) -> None:  # type: ignore[no-untyped-def]
        picked = False
        while True:
            logs = app.screen.query("#story-log")
            if logs and logs.first().lines:  # type: ignore[attr-defined]
                break
            if not picked and type(app.focused).__name__ == "StoryCard":
                mark(FIRST_SCREEN)
                picked = True
                await pilot.press("enter")  # the child picks a world without a moment's thought
            await pilot.pause(0.005)
        await pilot.pause()  # let the frame with the line be painted
        mark(SHOWN)
        app.exit()

    app.run(headless=True, auto_pilot=watch)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option("--turns", type=click.IntRange(1, 2000), default=200, show_default=True, help="Scripted turns.")
@click.option("--model", default=None, help="Model id (default: the embedded model).")
@click.option("--seed", type=int, default=1, show_default=True, help="Sampling seed (same for full and raw).")
@click.option(
    "--script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Child lines to cycle (default: the shipped story_sessions/*.txt back to back).",
)
@click.option("--no-cold-start", is_flag=True, help="Skip the two cold-start processes.")
@click.option("--probe-opening", is_flag=True, hidden=True)
@click.option("--db", "probe_db", default=None, hidden=True)
def bench(
    as_json: bool,
    turns: int,
    model: str | None,
    seed: int,
    script: Path | None,
    no_cold_start: bool,
    probe_opening: bool,
    probe_db: str | None,
) -> None:
    """Measure a turn against raw llama.cpp on the same tokens, and start-up, memory, safety, export."""
    if probe_opening:
        _probe_opening(probe_db or "", model)
        return
    lines = script_lines(turns, script)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` ends a long session early, with a report
    cold = None if no_cold_start else [sys.executable, "-m", "aistories", "bench", "--probe-opening"]
    if cold and model:
        cold += ["--model", model]
    with tempfile.TemporaryDirectory(prefix="aistories-bench-") as tmp:
        settings = load_settings(model=model, db=str(Path(tmp) / "bench.db"), seed=seed, child="bench-child")
        manager = make_manager(settings)
        try:
            report = run_bench(
                manager, lines, cold_start_cmd=cold, progress=lambda msg: click.echo(msg, err=True)
            )
        finally:
            manager.end()
            manager.store.db.close()
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else render_table(report))
