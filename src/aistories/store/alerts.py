"""Safeguarding queries on the `alerts` table: open alerts, acknowledging, and alerts due to be raised again.

The safeguarding record lives only here; research exports never read this table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from ..errors import AistoriesError
from .db import atomic, utc_now


class AlertNotFound(AistoriesError):
    """No alert has that id."""


def open_alerts(db: Database) -> list[dict[str, Any]]:
    """Unacknowledged alerts, oldest first."""
    return list(db["alerts"].rows_where("acknowledged_utc is null", order_by="datetime_utc"))


def all_alerts(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """Recent alerts, acknowledged or not, newest first."""
    return list(db["alerts"].rows_where(order_by="datetime_utc desc", limit=limit))


def acknowledge(db: Database, alert_id: str, by: str) -> dict[str, Any]:
    """Mark an alert acknowledged by a named member of staff; returns the updated row."""
    rows = list(db["alerts"].rows_where("id = ?", [alert_id]))
    if not rows:
        raise AlertNotFound(f"No alert with id {alert_id}: see `aistories alerts list`.")
    if rows[0]["acknowledged_utc"]:
        return rows[0]
    with atomic(db):
        db["alerts"].update(alert_id, {"acknowledged_by": by, "acknowledged_utc": utc_now()})
    return db["alerts"].get(alert_id)


def due_for_reraise(db: Database, minutes: float, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Open alerts last raised at least `minutes` ago."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = (now - dt.timedelta(minutes=minutes)).isoformat(timespec="milliseconds")
    return list(
        db["alerts"].rows_where(
            "acknowledged_utc is null and last_raised_utc <= ?", [cutoff], order_by="datetime_utc"
        )
    )


def mark_raised(db: Database, alert_id: str) -> None:
    """Record that an alert was raised again just now."""
    with atomic(db):
        db["alerts"].update(alert_id, {"last_raised_utc": utc_now()})
