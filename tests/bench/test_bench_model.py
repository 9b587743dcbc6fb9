"""`aistories bench --json --turns 6` on the real embedded model: the report's shape, never its timings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model

CONTRACT = {
    "full_over_raw_median",
    "turn6_over_turn5",
    "reply_on_screen_ms",
    "first_token_ms",
    "cold_start_s",
    "peak_rss_mb",
    "safety_p99_ms",
    "export_turns_per_s",
    "stages",
}


def test_bench_json_six_turns() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aistories", "bench", "--json", "--turns", "6"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert CONTRACT <= set(report)
    assert report["turns"] == 6 and len(report["per_turn"]) == 6
    assert report["model"] and report["engine"] == "llama_cpp"
    assert report["model_turns"] >= 1 and report["full_over_raw_median"] is not None
    # The anchor is raw llama.cpp drawing the very same tokens from the same ids and cache state.
    assert report["same_tokens_share"] == 1.0
    assert {"safety_in_ms", "generate_ms", "safety_out_ms", "store_ms"} <= set(report["stages"])
    assert report["cold_start_s"] is not None, report.get("cold_start_s_note")
    assert report["safety_p99_ms"] is not None and report["peak_rss_mb"] > 0
    assert report["export_turns_per_s"] is not None, report.get("export_note")
