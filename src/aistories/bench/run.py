"""The whole bench in one process, in an order that keeps the figures apart: cold start (child
processes), safety, the scripted session with its raw anchor, peak RSS, then export."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from typing import Any

from ..dialogue import DialogueManager
from .coldstart import measure_cold_start
from .export_speed import measure_export
from .safety_speed import measure_safety
from .session import play_session
from .stats import TurnSample, summarise
from .tap import install_tap

GOALS = {
    "full_over_raw_median": "<= 1.10",
    "turnN_over_turn5": "<= 1.2",
    "reply_on_screen_ms": "<= 1000 (p95 <= 1500)",
    "cold_start_s": "<= 2",
    "peak_rss_mb": "<= 400",
    "safety_p99_ms": "<= 20",
    "export_turns_per_s": ">= 20000",
}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def load_average() -> float | None:
    """The 1-minute load average (None where the OS has none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def per_turn(samples: list[TurnSample]) -> list[dict[str, Any]]:
    """One compact row per turn for the JSON report."""
    return [
        {
            "turn": s.turn,
            "full_ms": round(s.full_ms, 1),
            "raw_ms": round(s.raw_ms, 1),
            "ratio": round(s.ratio, 3) if s.ratio is not None else None,
            "full_cpu_ms": round(s.full_cpu_ms, 1),
            "raw_cpu_ms": round(s.raw_cpu_ms, 1),
            "first_token_ms": round(s.first_token_ms, 1) if s.first_token_ms is not None else None,
            "prompt_tokens": s.prompt_tokens,
            "cached_tokens": s.cached_tokens,
            "completion_tokens": s.completion_tokens,
            "move": s.move,
            "source": s.source,
        }
        for s in samples
    ]


def run_bench(
    manager: DialogueManager,
    lines: list[str],
    *,
    cold_start_cmd: list[str] | None = None,
    safety: bool = True,
    export_turns: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Measure everything and return the report (the `bench --json` object)."""
    say = progress or (lambda _msg: None)
    info = manager.backend.describe()
    report: dict[str, Any] = {
        "model": info.get("model_id"),
        "engine": info.get("engine"),
        "adapter": info.get("adapter"),
        "n_threads": info.get("n_threads"),
        "seed": manager.seed,
        "cpus": os.cpu_count(),
        "load_average_start": load_average(),
    }
    if cold_start_cmd:
        say("cold start (a fresh process, empty data dir)…")
        report.update(measure_cold_start(cold_start_cmd, fresh_home=True))
        say("cold start (a fresh process, used data dir)…")
        report.update(measure_cold_start(cold_start_cmd))
    else:
        report.update(cold_start_s=None, cold_start_note="not measured")
    if safety:
        say("safety check latency…")
        report.update(measure_safety())
    else:
        report.update(safety_p50_ms=None, safety_p99_ms=None)
    tap = install_tap(manager.backend)
    started = time.perf_counter()
    samples = play_session(
        manager,
        tap,
        lines,
        lambda s: say(f"turn {s.turn}/{len(lines)}: full {s.full_ms:.0f} ms, raw {s.raw_ms:.0f} ms"),
    )
    report["session_s"] = round(time.perf_counter() - started, 1)
    if len(samples) < len(lines):
        report["session_note"] = f"stopped early: {len(samples)} of {len(lines)} turns played"
    report.update(summarise(samples))
    report["peak_rss_mb"] = peak_rss_mb()
    say("export throughput…")
    turns = manager.store.turns(manager.session["id"])
    report.update(measure_export(turns[-1] if turns else None, export_turns))
    report["load_average_end"] = load_average()
    report["goals"] = GOALS
    report["per_turn"] = per_turn(samples)
    return report
