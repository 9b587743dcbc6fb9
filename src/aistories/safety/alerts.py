"""Staff alerts: the safeguarding record, kept apart from research data and never exported with it."""

from __future__ import annotations

from typing import Any

from ..store import new_id, utc_now
from .check import Verdict


def new_alert_row(verdict: Verdict, session_id: str, turn_id: str, message: str) -> dict[str, Any]:
    """The alerts row for an escalated message, written in the same transaction as its turn."""
    now = utc_now()
    return {
        "id": new_id(),
        "datetime_utc": now,
        "session_id": session_id,
        "turn_id": turn_id,
        "category": ",".join(verdict.categories),
        "message": message,
        "rule": verdict.rule,
        "policy_version": verdict.policy_version,
        "acknowledged_by": None,
        "acknowledged_utc": None,
        "last_raised_utc": now,
    }
