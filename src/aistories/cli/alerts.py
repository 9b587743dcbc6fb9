"""`aistories alerts list|ack|watch`: the safeguarding record for ward staff."""

from __future__ import annotations

import json
import time

import click

from .options import load_settings

_DB = click.option(
    "--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir)."
)


def _store(db: str | None):  # type: ignore[no-untyped-def]
    from ..store import Store

    return Store.open(load_settings(db=db).db_path)


@click.group(name="alerts")
def alerts() -> None:
    """Safeguarding alerts: shown until a member of staff acknowledges them."""


@alerts.command(name="list")
@_DB
@click.option("--all", "show_all", is_flag=True, help="Include acknowledged alerts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
def list_alerts(db: str | None, show_all: bool, as_json: bool) -> None:
    """Open (unacknowledged) alerts, oldest first."""
    from ..store.alerts import all_alerts, open_alerts

    store = _store(db)
    rows = all_alerts(store.db) if show_all else open_alerts(store.db)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            state = f"ack by {row['acknowledged_by']}" if row["acknowledged_utc"] else "OPEN"
            click.echo(
                f"{row['id']}  {row['datetime_utc']}  {row['category']:<20} {state}  {row['message']!r}"
            )
    if not rows and not as_json:
        click.echo("No open alerts." if not show_all else "No alerts.")


@alerts.command(name="ack")
@click.argument("alert_id")
@click.option("--by", "by", required=True, help="Name of the member of staff acknowledging it.")
@_DB
def ack(alert_id: str, by: str, db: str | None) -> None:
    """Acknowledge an alert: it stops being shown and raised again."""
    from ..store.alerts import acknowledge

    row = acknowledge(_store(db).db, alert_id, by.strip() or "unknown")
    click.echo(f"Alert {row['id']} acknowledged by {row['acknowledged_by']} at {row['acknowledged_utc']}.")


@alerts.command(name="watch")
@_DB
@click.option("--once", is_flag=True, help="Check once and exit (for cron or systemd timers).")
@click.option("--every", type=float, default=30.0, show_default=True, help="Seconds between checks.")
def watch(db: str | None, once: bool, every: float) -> None:
    """Raise again open alerts older than the policy's interval (and tell the ward hook, if configured)."""
    from ..safety.alerts import reraise_due

    store = _store(db)
    while True:
        for row in reraise_due(store.db):
            click.echo(f"STILL OPEN: {row['id']} {row['category']} since {row['datetime_utc']}")
        if once:
            return
        time.sleep(every)
