"""The one mapping from a TurnRecord to store rows: the turns row plus world, memory and alert rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..safety.alerts import new_alert_row
from ..store import utc_now
from ..world.persist import diff_rows, why_row
from .lines import lines_sha256
from .record import TurnRecord


@dataclass(frozen=True)
class SessionKeys:
    """What every row of a session shares."""

    child_id: str
    session_id: str
    world: str
    model_info: dict[str, Any]
    options: dict[str, Any]
    seed: int | None


def turn_rows(rec: TurnRecord, keys: SessionKeys) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(the turns row, table -> rows written in the same transaction)."""
    return _turn_row(rec, keys), _extra_rows(rec, keys)


def _turn_row(rec: TurnRecord, keys: SessionKeys) -> dict[str, Any]:
    usage = rec.draft.usage
    templates = dict(rec.tc.templates) if rec.tc else {}
    templates["lines.yaml"] = lines_sha256()
    name = next((n for n in templates if n.startswith("moves/")), "lines.yaml")
    plan = rec.plan
    return {
        "id": rec.turn_id,
        "session_id": keys.session_id,
        "turn_index": rec.index,
        "child_text": rec.text,
        "reply": rec.draft.reply,
        "model_id": keys.model_info["model_id"],
        "model_sha256": keys.model_info.get("sha256"),
        "adapter_sha256": (keys.model_info.get("adapter") or {}).get("sha256"),
        "prompt_name": name,
        "prompt_sha256": templates[name],
        "prompts_json": templates,
        "options_json": keys.options,
        "seed": keys.seed,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "cached_tokens": usage.cached_tokens,
        "safety_action": rec.verdict_in.action,
        "safety_json": {
            "input": rec.verdict_in.to_dict(),
            "output": rec.verdict_out.to_dict() if rec.verdict_out else None,
        },
        "move": plan.move if plan else "",
        "phase": plan.phase if plan else "",
        "reason": plan.reason if plan else "",
        "reply_source": rec.draft.source,
        "raw_reply": rec.draft.raw,
        "problems_json": rec.draft.problems,
        "timings_json": rec.timings,
        "duration_ms": rec.latency_ms,
        "first_token_ms": usage.first_token_ms,
        "datetime_utc": utc_now(),
    }


def _extra_rows(rec: TurnRecord, keys: SessionKeys) -> dict[str, list[dict[str, Any]]]:
    extra: dict[str, list[dict[str, Any]]] = {}
    ids = (keys.child_id, keys.session_id, rec.turn_id)
    for diff in (rec.diff, rec.reply_diff):
        for table, rows in diff_rows(diff, *ids, world=keys.world).items():
            extra.setdefault(table, []).extend(rows)
    if rec.tc is not None and rec.tc.snap is not None:
        extra["memory_why"] = [why_row(rec.tc.snap, *ids)]
    if rec.verdict_in.action == "escalate":
        rec.alerts = [new_alert_row(rec.verdict_in, keys.session_id, rec.turn_id, rec.text)]
        extra["alerts"] = rec.alerts
    return extra
