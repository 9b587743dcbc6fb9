"""The readable bench report: headline figures against the issue's goals, then the stages."""

from __future__ import annotations

from typing import Any


def _num(value: Any, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def _pair(a: Any, b: Any, unit: str, digits: int = 0) -> str:
    return f"{_num(a, '', digits)} / {_num(b, '', digits)}{unit}"


def _two(values: Any) -> tuple[Any, Any]:
    return (values[0], values[1]) if values else (None, None)


def headline(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(figure, measured, goal) rows."""
    n = r.get("turns", 0)
    return [
        ("full turn / raw, median", _num(r.get("full_over_raw_median"), "×", 2), "≤ 1.10×"),
        (
            "  full turn / raw generation, median",
            _pair(r.get("full_turn_ms_median"), r.get("raw_ms_median"), " ms"),
            "",
        ),
        ("full turn / raw, CPU time, median", _num(r.get("full_over_raw_cpu_median"), "×", 2), ""),
        (f"turn {n} / turn 5 (full)", _num(r.get(f"turn{n}_over_turn5"), "×", 2), "≤ 1.2×"),
        (f"turn {n} / turn 5 (full, CPU time)", _num(r.get(f"turn{n}_over_turn5_cpu"), "×", 2), ""),
        (f"turn {n} / turn 5 (raw)", _num(r.get(f"turn{n}_over_turn5_raw"), "×", 2), ""),
        (
            "  prompt tokens, turn 5 / last",
            _pair(*_two(r.get("prompt_tokens_turn5_vs_last")), ""),
            "",
        ),
        (
            "reply on screen, median / p95",
            _pair(r.get("reply_on_screen_ms"), r.get("reply_on_screen_p95_ms"), " ms"),
            "≤ 1000 / 1500 ms",
        ),
        ("first token, median / p95", _pair(r.get("first_token_ms"), r.get("first_token_p95_ms"), " ms"), ""),
        ("cold start to first story line", _num(r.get("cold_start_s"), " s", 2), "≤ 2 s"),
        ("  the same, empty data dir", _num(r.get("cold_start_fresh_s"), " s", 2), ""),
        ("peak RSS (bench process)", _num(r.get("peak_rss_mb"), " MB"), "≤ 400 MB"),
        ("  start screen shown", _num(r.get("first_screen_s"), " s", 2), ""),
        (
            "safety check p50 / p99",
            _pair(r.get("safety_p50_ms"), r.get("safety_p99_ms"), " ms", 1),
            "p99 ≤ 20 ms",
        ),
        ("export", _num(r.get("export_turns_per_s"), " turns/s"), "≥ 20,000 turns/s"),
    ]


def render_table(r: dict[str, Any]) -> str:
    """The whole report as aligned plain text."""
    out = [
        f"aistories bench: {r.get('model')}{' + adapter' if r.get('adapter') else ''} "
        f"({r.get('engine')}, {r.get('n_threads')} threads), "
        f"seed {r.get('seed')}, {r.get('turns')} turns ({r.get('model_turns')} used the model), "
        f"session {r.get('session_s')} s",
        f"machine: {r.get('cpus')} CPUs, load average {r.get('load_average_start')} at start, "
        f"{r.get('load_average_end')} at end",
        "(anything else running on the cores skews absolute times; ratios from one run hold better)",
        "",
    ]
    rows = headline(r)
    width = max(len(f) for f, _, _ in rows)
    mwidth = max(len(m) for _, m, _ in rows)
    out += [f"{f:<{width}}  {m:>{mwidth}}  {g}".rstrip() for f, m, g in rows]
    notes = [f"note: {r[k]}" for k in sorted(r) if k.endswith("_note") and r[k]]
    if r.get("same_tokens_share") is not None:
        notes.append(f"raw anchor drew the very same tokens on {r['same_tokens_share']:.0%} of model turns")
    out += ["", *notes] if notes else []
    stages, means = r.get("stages", {}), r.get("stages_mean_per_turn", {})
    if stages:
        out += ["", f"{'stage':<18}  {'median ms':>10}  {'mean ms/turn':>12}"]
        for name in sorted(stages, key=lambda k: -means.get(k, 0.0)):
            out.append(f"{name:<18}  {stages[name]:>10.1f}  {means.get(name, 0.0):>12.1f}")
    return "\n".join(out)
