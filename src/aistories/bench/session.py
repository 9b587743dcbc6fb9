"""Play the scripted turns through the full pipeline; after each, replay its generations raw."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..dialogue import DialogueManager, TurnDone
from .replay import replay
from .stats import TurnSample
from .tap import Tap


def time_store_commits(manager: DialogueManager) -> list[float]:
    """Time every `insert_turn` of the manager's store (the turn's one transaction); ms appended here."""
    commits: list[float] = []
    store = manager.store
    insert = store.insert_turn

    def timed(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        try:
            insert(*args, **kwargs)
        finally:
            commits.append((time.perf_counter() - started) * 1000)

    store.insert_turn = timed  # type: ignore[method-assign]
    return commits


def play_turn(manager: DialogueManager, tap: Tap, text: str, commits: list[float], turn: int) -> TurnSample:
    """One full turn timed from enter to the reply handed to the screen, then its raw anchor."""
    first_call = len(tap.calls)
    cpu = time.process_time()
    started = time.perf_counter()
    done: TurnDone | None = None
    for event in manager.turn(text):
        if isinstance(event, TurnDone):  # what the app shows, after the safety check and the commit
            done = event
            break
    full_ms = (time.perf_counter() - started) * 1000
    full_cpu_ms = (time.process_time() - cpu) * 1000
    assert done is not None
    calls = tap.calls[first_call:]
    raw = replay(tap, calls)
    stages = dict(done.record.get("timings_json") or {})
    if commits:
        stages["store_ms"] = commits[-1]
    firsts = [c.first_token_at for c in calls if c.first_token_at is not None]
    return TurnSample(
        turn=turn,
        full_ms=full_ms,
        raw_ms=raw.ms,
        full_cpu_ms=full_cpu_ms,
        raw_cpu_ms=raw.cpu_ms,
        first_token_ms=(firsts[0] - started) * 1000 if firsts else None,
        stages=stages,
        prompt_tokens=len(calls[0].ids or []) if calls else 0,
        cached_tokens=int(done.record.get("cached_tokens") or 0),
        completion_tokens=raw.tokens,
        calls=len(calls),
        same_tokens=raw.same_tokens,
        move=str(done.record.get("move", "")),
        source=str(done.record.get("reply_source", "")),
    )


def play_session(
    manager: DialogueManager,
    tap: Tap,
    lines: list[str],
    progress: Callable[[TurnSample], None] | None = None,
) -> list[TurnSample]:
    """Every line as one turn; `progress` hears about each turn as it finishes.

    Ctrl-C (or SIGTERM, which the CLI turns into it) ends the session early: the turns finished so far
    are reported, the interrupted one is dropped.
    """
    commits = time_store_commits(manager)
    samples: list[TurnSample] = []
    try:
        for turn, text in enumerate(lines, start=1):
            sample = play_turn(manager, tap, text, commits, turn)
            samples.append(sample)
            if progress is not None:
                progress(sample)
    except KeyboardInterrupt:
        pass
    return samples
