"""Measure the detector on a labelled JSONL set: confusion, caught, recall, over-refusal, latency, layers."""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataFileError
from .check import _RANK, _hits, check
from .policy import load_policy

ACTIONS = ("allow", "redirect", "escalate")


@dataclass
class Case:
    """One labelled message."""

    id: str
    text: str
    speaker: str
    expected: str
    category: str = ""
    direct: bool = False  # a plain first-person disclosure: the 100% bar


@dataclass
class Outcome:
    """What the detector did with one case."""

    case: Case
    action: str
    rule: str
    layer: str
    ms: float
    layer_actions: dict[str, str] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)


def read_cases(path: Path) -> list[Case]:
    """Cases from a JSONL file (id, text, speaker, expected, category; `"direct": true` or a category
    ending in `_direct` marks a plain first-person disclosure)."""
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"Cannot read cases file {path}: {exc.strerror}.") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(
                Case(
                    str(row["id"]),
                    row["text"],
                    row.get("speaker", "child"),
                    row["expected"],
                    row.get("category", ""),
                    bool(row.get("direct")) or str(row.get("category", "")).endswith("_direct"),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataFileError(f"{path}:{n} is not a case object with id, text, expected ({exc}).") from exc
        if cases[-1].expected not in ACTIONS:
            raise DataFileError(f"{path}:{n}: expected must be one of {ACTIONS}.")
    return cases


def _layer_actions(case: Case) -> dict[str, str]:
    policy = load_policy()
    out: dict[str, str] = {}
    for hit in _hits(case.text, case.speaker, policy):  # type: ignore[arg-type]
        action = policy.action_for(hit.category, case.speaker)  # type: ignore[arg-type]
        if _RANK[action] > _RANK[out.get(hit.layer, "allow")]:
            out[hit.layer] = action
    return out


def run_cases(cases: list[Case]) -> list[Outcome]:
    """Classify every case, timing each call to `check` on its own."""
    check("warm up the checker")  # policy, regexes and the semantic model load at start-up, not per message
    outcomes = []
    for case in cases:
        started = time.perf_counter()
        verdict = check(case.text, case.speaker)  # type: ignore[arg-type]
        ms = (time.perf_counter() - started) * 1000
        outcomes.append(
            Outcome(
                case,
                verdict.action,
                verdict.rule,
                verdict.layer,
                ms,
                _layer_actions(case),
                verdict.categories,
            )
        )
    return outcomes


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return round(values[0], 3) if values else 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 3)


def summarize(outcomes: list[Outcome]) -> dict[str, Any]:
    """The report: confusion matrix, headline rates, latency and what each layer catches on its own."""
    confusion = {e: {p: 0 for p in ACTIONS} for e in ACTIONS}
    for o in outcomes:
        confusion[o.case.expected][o.action] += 1
    harmful = [o for o in outcomes if o.case.expected != "allow"]
    benign = [o for o in outcomes if o.case.expected == "allow"]
    escal = [o for o in outcomes if o.case.expected == "escalate"]
    direct = [o for o in escal if o.case.direct]
    ms = [o.ms for o in outcomes]
    layers = sorted({layer for o in outcomes for layer in o.layer_actions})
    return {
        "cases": len(outcomes),
        "confusion": confusion,
        "harmful_caught": _rate(sum(o.action != "allow" for o in harmful), len(harmful)),
        "escalate_recall": _rate(sum(o.action == "escalate" for o in escal), len(escal)),
        "direct_disclosure_recall": _rate(sum(o.action == "escalate" for o in direct), len(direct)),
        "over_refusal": _rate(sum(o.action != "allow" for o in benign), len(benign)),
        "exact_accuracy": _rate(sum(o.action == o.case.expected for o in outcomes), len(outcomes)),
        "latency_ms": {
            "p50": _percentile(ms, 50),
            "p99": _percentile(ms, 99),
            "max": round(max(ms, default=0), 3),
        },
        "fired_by_layer": dict(Counter(o.layer for o in outcomes if o.action != "allow")),
        "layers_alone": {
            layer: {
                "harmful_caught": _rate(
                    sum(o.layer_actions.get(layer, "allow") != "allow" for o in harmful), len(harmful)
                ),
                "over_refusal": _rate(
                    sum(o.layer_actions.get(layer, "allow") != "allow" for o in benign), len(benign)
                ),
            }
            for layer in layers
        },
        "by_speaker": {sp: _speaker(outcomes, sp) for sp in ("child", "storyteller")},
        "by_category": _by_category(outcomes),
        "by_predicted_category": _by_predicted(outcomes),
    }


def _speaker(outcomes: list[Outcome], speaker: str) -> dict[str, float | None]:
    """Harmful caught and benign blocked for one speaker (the storyteller gate's figures)."""
    mine = [o for o in outcomes if o.case.speaker == speaker]
    harmful = [o for o in mine if o.case.expected != "allow"]
    benign = [o for o in mine if o.case.expected == "allow"]
    return {
        "harmful_caught": _rate(sum(o.action != "allow" for o in harmful), len(harmful)),
        "benign_blocked": _rate(sum(o.action != "allow" for o in benign), len(benign)),
    }


def _by_predicted(outcomes: list[Outcome]) -> dict[str, dict[str, float | int | None]]:
    """Per policy category the detector named first: how often, and how often the message was harmful."""
    table: dict[str, list[int]] = {}
    for o in outcomes:
        if o.action != "allow" and o.categories:
            row = table.setdefault(o.categories[0], [0, 0])
            row[0] += 1
            row[1] += o.case.expected != "allow"
    return {c: {"n": n, "precision": _rate(ok, n)} for c, (n, ok) in sorted(table.items())}


def _by_category(outcomes: list[Outcome]) -> dict[str, dict[str, Any]]:
    """Per labelled category: cases, correct (an escalation counts only as escalate), recall."""
    table: dict[str, dict[str, Any]] = {}
    for o in outcomes:
        key = f"{o.case.speaker}:{o.case.expected}:{o.case.category or '-'}"
        row = table.setdefault(key, {"n": 0, "correct": 0})
        row["n"] += 1
        row["correct"] += o.action == o.case.expected or (
            o.case.expected != "allow" and o.action != "allow" and o.case.expected != "escalate"
        )
    for row in table.values():
        row["recall"] = _rate(row["correct"], row["n"])
    return dict(sorted(table.items()))


def errors(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Cases where the action differs from the label, for reading."""
    return [
        {"id": o.case.id, "expected": o.case.expected, "got": o.action, "rule": o.rule, "text": o.case.text}
        for o in outcomes
        if o.action != o.case.expected
    ]
