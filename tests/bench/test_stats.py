"""Bench figures from known per-turn timings: ratios, windows, medians, percentiles, stage costs."""

from __future__ import annotations

import pytest

from aistories.bench.stats import TurnSample, late_over_early, percentile, summarise


def _turns(n: int) -> list[TurnSample]:
    """Turn t takes 100*t ms in full and 80*t ms raw; every third turn is templated (no model)."""
    return [
        TurnSample(
            turn=t,
            full_ms=100.0 * t if t % 3 else 10.0,
            raw_ms=80.0 * t if t % 3 else 0.0,
            full_cpu_ms=150.0 * t if t % 3 else 10.0,
            raw_cpu_ms=100.0 * t if t % 3 else 0.0,
            first_token_ms=50.0 * t if t % 3 else None,
            stages={"generate_ms": 70.0 * t, "store_ms": 2.0} if t % 3 else {"store_ms": 4.0},
            prompt_tokens=300 + t,
            calls=1 if t % 3 else 0,
        )
        for t in range(1, n + 1)
    ]


def test_ratio_is_full_over_raw_for_model_turns_only() -> None:
    samples = _turns(6)
    assert [s.ratio for s in samples] == [1.25, 1.25, None, 1.25, 1.25, None]


def test_summarise_known_timings() -> None:
    report = summarise(_turns(12))
    assert report["turns"] == 12
    assert report["model_turns"] == 8
    assert report["full_over_raw_median"] == 1.25
    assert report["full_over_raw_cpu_median"] == 1.5
    assert report["turn12_over_turn5_cpu"] == 2.0
    # Model turns 4, 5, 7 around turn 5 (median 500) against 8, 10, 11 at the end (median 1000).
    assert report["turn12_over_turn5"] == 2.0
    assert report["turn12_over_turn5_raw"] == 2.0
    assert report["prompt_tokens_turn5_vs_last"] == [305, 310]
    # Warm figures leave turn 1 out: turns 2..12, templated turns at 10 ms.
    assert report["reply_on_screen_ms"] == 400.0
    assert report["first_token_ms"] == 350.0
    assert report["stages"] == {"generate_ms": 420.0, "store_ms": 2.0}
    assert report["stages_mean_per_turn"] == {
        "generate_ms": round(70.0 * sum(t for t in range(1, 13) if t % 3) / 12, 2),
        "store_ms": round((8 * 2.0 + 4 * 4.0) / 12, 2),
    }


def test_turn_key_follows_the_number_of_turns() -> None:
    assert "turn200_over_turn5" in summarise(_turns(200))
    assert summarise(_turns(200))["turn200_over_turn5"] == 39.6


def test_late_over_early_uses_all_turns_when_a_window_has_no_model_turn() -> None:
    samples = [TurnSample(turn=t, full_ms=10.0 * t) for t in range(1, 13)]
    assert late_over_early(samples) == 100.0 / 50.0


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 99, None),
        ([5.0], 99, 5.0),
        ([float(v) for v in range(1, 101)], 99, 99.0),
        ([3.0, 1.0, 2.0], 50, 2.0),
    ],
)
def test_percentile_nearest_rank(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == expected


def test_summarise_no_turns() -> None:
    report = summarise([])
    assert report["full_over_raw_median"] is None and report["turn0_over_turn5"] is None
