"""The bench machinery on the fake backend: taps, raw replay, the session loop, the report and its table."""

from __future__ import annotations

import json

from aistories.backends import Options
from aistories.backends.fake import FakeBackend
from aistories.bench import run_bench
from aistories.bench.replay import replay
from aistories.bench.script import BUILTIN, script_lines
from aistories.bench.table import render_table
from aistories.bench.tap import BackendTap, install_tap
from aistories.dialogue import DialogueManager
from aistories.store import Store

CONTRACT = {
    "full_over_raw_median",
    "reply_on_screen_ms",
    "first_token_ms",
    "cold_start_s",
    "peak_rss_mb",
    "safety_p99_ms",
    "export_turns_per_s",
    "stages",
}


def test_backend_tap_records_and_replays_the_same_chunks() -> None:
    backend = FakeBackend(prefill=True)
    tap = install_tap(backend)
    assert isinstance(tap, BackendTap)
    backend.enqueue(["Once ", "upon ", "a time."])
    ids = backend.tokenize("<assistant> Pip")
    response = backend.generate_ids(ids, Options(seed=4))
    chunks = iter(response)
    assert [next(chunks), next(chunks)] == ["Once ", "upon "]  # the turn stopped after two chunks
    assert [(c.ids, c.tokens, c.kwargs["options"].seed) for c in tap.calls] == [(ids, ["Once ", "upon "], 4)]
    backend.enqueue(["Once ", "upon ", "a time."])
    raw = replay(tap, tap.calls)
    assert (raw.tokens, raw.same_tokens) == (2, True)
    assert len(tap.calls) == 1  # the replay goes round the tap
    assert backend.options_history[-1].seed == 4


def test_script_lines_cycle_to_n() -> None:
    lines = script_lines(30)
    assert len(lines) == 30 and all(lines) and not any(ln.startswith("#") for ln in lines)
    assert len(BUILTIN) < 30


def test_run_bench_on_the_fake_backend(store: Store) -> None:
    backend = FakeBackend(prefill=True)
    manager = DialogueManager(backend, store, child="bench", seed=1)  # type: ignore[arg-type]
    report = run_bench(manager, script_lines(8), safety=False, export_turns=200)
    assert CONTRACT <= set(report) and "turn8_over_turn5" in report
    assert report["turns"] == 8 and len(report["per_turn"]) == 8
    assert report["model_turns"] >= 1 and report["full_over_raw_median"] is not None
    assert report["same_tokens_share"] == 1.0
    assert {"safety_in_ms", "store_ms"} <= set(report["stages"])
    assert report["cold_start_s"] is None and report["cold_start_note"]
    model_turns = [t for t in report["per_turn"] if t["raw_ms"] > 0]
    assert all(t["ratio"] == round(t["full_ms"] / t["raw_ms"], 3) for t in model_turns if t["raw_ms"] > 1)
    assert len(store.turns(manager.session["id"])) == 8
    json.dumps(report)  # the --json object
    table = render_table(report)
    assert "full turn / raw, median" in table and "turn 8 / turn 5" in table and "generate_ms" in table
