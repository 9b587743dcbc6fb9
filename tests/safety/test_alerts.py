"""Alerts: open until acknowledged, re-raised after the interval, the ward hook (off by default)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from aistories.cli import cli
from aistories.safety import Verdict
from aistories.safety.alerts import hook_payload, new_alert_row, notify_ward, reraise_due
from aistories.safety.policy import HookSettings
from aistories.store import Store
from aistories.store.alerts import AlertNotFound, acknowledge, due_for_reraise, open_alerts

VERDICT = Verdict("escalate", ["abuse"], "reply", rule="abuse-hits-me", layer="rules", policy_version="p1")


def _raise(store: Store, message: str = "my dad hits me", minutes_ago: float = 0) -> dict:
    row = new_alert_row(VERDICT, "s1", "t1", message)
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)).isoformat(timespec="milliseconds")
    row |= {"datetime_utc": when, "last_raised_utc": when}
    store.db["alerts"].insert(row)
    return row


def test_alert_row_shape() -> None:
    row = new_alert_row(VERDICT, "s1", "t1", "my dad hits me")
    assert {k: v for k, v in row.items() if k not in ("id", "datetime_utc", "last_raised_utc")} == {
        "session_id": "s1",
        "turn_id": "t1",
        "category": "abuse",
        "message": "my dad hits me",
        "rule": "rules:abuse-hits-me",
        "policy_version": "p1",
        "acknowledged_by": None,
        "acknowledged_utc": None,
    }


def test_open_until_acknowledged(store: Store) -> None:
    row = _raise(store)
    assert [r["id"] for r in open_alerts(store.db)] == [row["id"]]
    acked = acknowledge(store.db, row["id"], "Nurse Ada")
    assert (acked["acknowledged_by"], bool(acked["acknowledged_utc"]), open_alerts(store.db)) == (
        "Nurse Ada",
        True,
        [],
    )
    with pytest.raises(AlertNotFound):
        acknowledge(store.db, "nope", "x")


def test_reraise_after_interval(store: Store) -> None:
    old, new = _raise(store, minutes_ago=15), _raise(store, minutes_ago=1)
    assert [r["id"] for r in due_for_reraise(store.db, 10)] == [old["id"]]
    assert [r["id"] for r in reraise_due(store.db, 10)] == [old["id"]]
    assert due_for_reraise(store.db, 10) == []  # just raised again
    acknowledge(store.db, new["id"], "Ada")
    assert [r["id"] for r in due_for_reraise(store.db, 0)] == [old["id"]]


def test_hook_is_off_by_default() -> None:
    assert notify_ward({"id": "a"}) is False


def test_hook_command_gets_payload_without_the_message(tmp_path: Path, store: Store) -> None:
    out = tmp_path / "got.json"
    script = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    row = _raise(store)
    assert notify_ward(row, HookSettings(enabled=True, command=[sys.executable, "-c", script])) is True
    assert json.loads(out.read_text()) == hook_payload(row)
    assert "my dad hits me" not in out.read_text()


def test_hook_webhook_on_loopback(store: Store) -> None:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    row = _raise(store)
    url = f"http://127.0.0.1:{server.server_address[1]}/alerts"
    try:
        assert notify_ward(row, HookSettings(enabled=True, webhook_url=url)) is True
    finally:
        thread.join(timeout=5)
        server.server_close()
    assert received == [hook_payload(row)]


def test_hook_failure_is_logged_not_raised(store: Store) -> None:
    bad = HookSettings(enabled=True, command=[sys.executable, "-c", "import sys; sys.exit(3)"])
    assert notify_ward(_raise(store), bad) is False


def test_alerts_cli_list_ack_watch(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    store = Store.open(db)
    row = _raise(store, minutes_ago=30)
    runner = CliRunner()
    listed = runner.invoke(cli, ["alerts", "list", "--db", str(db), "--json"])
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [row["id"]]
    watched = runner.invoke(cli, ["alerts", "watch", "--db", str(db), "--once"])
    assert watched.stdout.startswith(f"STILL OPEN: {row['id']} abuse")
    acked = runner.invoke(cli, ["alerts", "ack", row["id"], "--by", "Nurse Ada", "--db", str(db)])
    assert (acked.exit_code, acked.stdout.startswith(f"Alert {row['id']} acknowledged by Nurse Ada")) == (
        0,
        True,
    )
    assert runner.invoke(cli, ["alerts", "list", "--db", str(db)]).stdout == "No open alerts.\n"
    missing = runner.invoke(cli, ["alerts", "ack", "nope", "--by", "x", "--db", str(db)])
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: No alert with id nope: see `aistories alerts list`.\n",
    )
    assert runner.invoke(cli, ["alerts", "ack", row["id"], "--db", str(db)]).exit_code == 2


def test_root_options_apply_to_the_command_or_are_refused(tmp_path: Path) -> None:
    """`aistories --db X alerts list` reads X, never the default database; unused root options refused."""
    db = tmp_path / "ward.db"
    row = _raise(Store.open(db), minutes_ago=5)
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", str(db), "alerts", "list", "--json"])
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [row["id"]]
    other = tmp_path / "other.db"
    Store.open(other)
    # The command's own option wins over the root one.
    assert (
        runner.invoke(cli, ["--db", str(db), "alerts", "list", "--db", str(other)]).stdout
        == "No open alerts.\n"
    )
    refused = runner.invoke(cli, ["--world", "dinosaur-valley", "alerts", "list", "--db", str(db)])
    assert refused.exit_code == 2 and "--world does not apply to `aistories alerts`" in refused.output


def test_an_acknowledgement_inside_another_transaction_commits_or_vanishes_with_it(store: Store) -> None:
    """Issue 14: the store's writes nest (a savepoint), never commit out from under an outer transaction."""
    row = _raise(store)
    with pytest.raises(RuntimeError), store.atomic():
        acknowledge(store.db, row["id"], "Nurse Ada")
        raise RuntimeError("the outer work failed")
    assert store.db["alerts"].get(row["id"])["acknowledged_utc"] is None
    with store.atomic():
        acknowledge(store.db, row["id"], "Nurse Ada")
    assert store.db["alerts"].get(row["id"])["acknowledged_by"] == "Nurse Ada"
