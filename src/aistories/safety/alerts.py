"""Staff alerts: the safeguarding record, kept apart from research data and never exported with it.

An alert row is written in the same transaction as its turn (so it is raised within the turn's time),
stays open until a named member of staff acknowledges it, and is raised again (banner, hook) every
`alerts.reraise_minutes` while unacknowledged. The ward-system hook is off unless the policy turns it on.
"""

from __future__ import annotations

import json
import logging
import subprocess
import urllib.request
from typing import Any

from sqlite_utils import Database

from ..store import new_id, utc_now
from ..store.alerts import due_for_reraise, mark_raised
from .check import Verdict
from .policy import HookSettings, load_policy

log = logging.getLogger(__name__)


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
        "rule": f"{verdict.layer}:{verdict.rule}" if verdict.layer else verdict.rule,
        "policy_version": verdict.policy_version,
        "acknowledged_by": None,
        "acknowledged_utc": None,
        "last_raised_utc": now,
    }


def hook_payload(row: dict[str, Any]) -> dict[str, Any]:
    """What the ward system is told: no message text (it stays in the record on the tablet)."""
    return {
        "alert_id": row["id"],
        "datetime_utc": row["datetime_utc"],
        "session_id": row["session_id"],
        "category": row["category"],
        "rule": row["rule"],
        "policy_version": row["policy_version"],
    }


def notify_ward(row: dict[str, Any], hook: HookSettings | None = None) -> bool:
    """Send one alert to the configured ward system; False if off or failed (logged, never raised)."""
    hook = hook or load_policy().alerts.hook
    if not hook.enabled:
        return False
    body = json.dumps(hook_payload(row)).encode("utf-8")
    try:
        if hook.command:
            subprocess.run(hook.command, input=body, timeout=hook.timeout_s, check=True, capture_output=True)
        if hook.webhook_url:
            request = urllib.request.Request(
                hook.webhook_url, data=body, method="POST", headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=hook.timeout_s) as response:  # noqa: S310 - LAN URL from policy
                response.read()
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.error("ward hook failed for alert %s: %s", row["id"], exc)
        return False
    return True


def reraise_due(
    db: Database, minutes: float | None = None, hook: HookSettings | None = None
) -> list[dict[str, Any]]:
    """Raise again every open alert older than the policy interval; returns the alerts raised."""
    policy = load_policy()
    due = due_for_reraise(db, minutes if minutes is not None else policy.alerts.reraise_minutes)
    for row in due:
        mark_raised(db, row["id"])
        notify_ward(row, hook)
        log.warning("alert %s (%s) still unacknowledged: raised again", row["id"], row["category"])
    return due
