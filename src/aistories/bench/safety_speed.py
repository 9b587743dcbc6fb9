"""Safety check latency per message over a fixed set of lines (the classifier loaded and warm)."""

from __future__ import annotations

import json
import time
from typing import Any

from ..safety import check, preload
from .script import BUILTIN, repo_file
from .stats import median, percentile

STORYTELLER = (
    "Once upon a time a dragon found a hat.",
    "Mo the blue cat tiptoed across the castle roof.",
    "The flying bed zoomed over the clouds. Where should it land?",
)


def safety_lines() -> list[tuple[str, str]]:
    """(text, speaker) pairs: tests/data/safety/cases.jsonl in a checkout, else a small built-in set."""
    path = repo_file("tests", "data", "safety", "cases.jsonl")
    if path is None:
        return [(t, "child") for t in BUILTIN] + [(t, "storyteller") for t in STORYTELLER]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], r.get("speaker", "child")) for r in rows]


def measure_safety(rounds: int = 1) -> dict[str, Any]:
    """p50/p99 ms of `safety.check` per message (after one warm-up pass)."""
    preload()
    lines = safety_lines()
    for text, speaker in lines[:20]:
        check(text, speaker)  # type: ignore[arg-type]
    times: list[float] = []
    for _ in range(rounds):
        for text, speaker in lines:
            started = time.perf_counter()
            check(text, speaker)  # type: ignore[arg-type]
            times.append((time.perf_counter() - started) * 1000)
    p50, p99 = median(times), percentile(times, 99)
    return {
        "safety_messages": len(times),
        "safety_p50_ms": round(p50, 2) if p50 is not None else None,
        "safety_p99_ms": round(p99, 2) if p99 is not None else None,
    }
