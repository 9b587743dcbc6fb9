"""From per-turn samples to the report's figures: ratios, medians, percentiles, stage costs."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

TURN_EARLY = 5  # the "turn 5"
SPAN = 2  # turns either side of 5, and the last 2*SPAN+1 turns, smooth one turn's move into a window


@dataclass
class TurnSample:
    """One scripted turn as the bench measured it (times in ms from the child pressing enter)."""

    turn: int
    full_ms: float  # enter -> the reply is handed to the screen (after the store commit)
    raw_ms: float = 0.0  # the same generations on the raw engine (0: the turn used no model)
    first_token_ms: float | None = None  # enter -> the model's first token
    full_cpu_ms: float = 0.0  # CPU time of the full turn (all threads): steadier than wall time under load
    raw_cpu_ms: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    same_tokens: bool = True
    move: str = ""
    source: str = ""

    @property
    def uses_model(self) -> bool:
        """The turn generated with the model (so it has a raw anchor)."""
        return self.calls > 0 and self.raw_ms > 0

    @property
    def ratio(self) -> float | None:
        """Full turn over raw generation of the same tokens."""
        return self.full_ms / self.raw_ms if self.uses_model else None

    @property
    def cpu_ratio(self) -> float | None:
        """The same ratio in CPU time, which another busy process on the cores disturbs far less."""
        return self.full_cpu_ms / self.raw_cpu_ms if self.uses_model and self.raw_cpu_ms > 0 else None


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    """The median, None for no values."""
    return statistics.median(values) if values else None


def _window(samples: list[TurnSample], first: int, last: int) -> list[TurnSample]:
    inside = [s for s in samples if first <= s.turn <= last]
    model = [s for s in inside if s.uses_model]
    return model or inside


def late_over_early(
    samples: list[TurnSample], attr: str = "full_ms", last: int | None = None
) -> float | None:
    """Median around turn 5 against the median of the last turns up to `last` (default: the last
    sample's), over model turns when a window has any."""
    if not samples:
        return None
    last = last or max(s.turn for s in samples)
    early = median([getattr(s, attr) for s in _window(samples, TURN_EARLY - SPAN, TURN_EARLY + SPAN)])
    late = median([getattr(s, attr) for s in _window(samples, last - 2 * SPAN, last)])
    return late / early if early and late is not None else None


def stage_medians(samples: list[TurnSample]) -> dict[str, float]:
    """Median ms of each stage over the turns that ran it."""
    names = sorted({k for s in samples for k in s.stages})
    return {k: round(median([s.stages[k] for s in samples if k in s.stages]) or 0.0, 2) for k in names}


def stage_means(samples: list[TurnSample]) -> dict[str, float]:
    """Mean ms per turn of each stage (a stage a turn skipped counts 0): what each stage costs a turn."""
    names = sorted({k for s in samples for k in s.stages})
    return {k: round(sum(s.stages.get(k, 0.0) for s in samples) / len(samples), 2) for k in names}


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def summarise(samples: list[TurnSample]) -> dict[str, Any]:
    """The turn figures of the report (everything that comes from the scripted session)."""
    n = max((s.turn for s in samples), default=0)
    model = [s for s in samples if s.uses_model]
    ratios = [s.ratio for s in model if s.ratio is not None]
    warm = samples[1:] or samples  # turn 1 pays one-off costs (templates compiled, lazy imports)
    full = [s.full_ms for s in warm]
    first = [s.first_token_ms for s in warm if s.first_token_ms is not None]
    return {
        "turns": n,
        "model_turns": len(model),
        "full_over_raw_median": _r(median(ratios), 3),
        "full_over_raw": [_r(r, 3) for r in ratios],
        "full_over_raw_cpu_median": _r(median([r for s in model if (r := s.cpu_ratio) is not None]), 3),
        f"turn{n}_over_turn5": _r(late_over_early(samples), 3),
        f"turn{n}_over_turn5_raw": _r(late_over_early(model, "raw_ms", n), 3),
        f"turn{n}_over_turn5_cpu": _r(late_over_early(model, "full_cpu_ms", n), 3),
        "prompt_tokens_turn5_vs_last": [
            _r(median([s.prompt_tokens for s in _window(samples, TURN_EARLY - SPAN, TURN_EARLY + SPAN)]), 0),
            _r(median([s.prompt_tokens for s in _window(samples, n - 2 * SPAN, n)]), 0),
        ],
        "full_turn_ms_median": _r(median([s.full_ms for s in model])),
        "raw_ms_median": _r(median([s.raw_ms for s in model])),
        "reply_on_screen_ms": _r(median(full)),
        "reply_on_screen_p95_ms": _r(percentile(full, 95)),
        "first_token_ms": _r(median(first)),
        "first_token_p95_ms": _r(percentile(first, 95)),
        "same_tokens_share": _r(sum(s.same_tokens for s in model) / len(model), 3) if model else None,
        "completion_tokens_median": _r(median([s.completion_tokens for s in model]), 1),
        "cached_share_median": _r(
            median([s.cached_tokens / s.prompt_tokens for s in model if s.prompt_tokens]), 3
        ),
        "stages": stage_medians(samples),
        "stages_mean_per_turn": stage_means(samples),
    }
