"""Store: migrations, WAL, file mode, one transaction per turn."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from aistories.errors import StoreError
from aistories.store import Store

EXPECTED_TURN_COLUMNS = {
    "id": str,
    "session_id": str,
    "turn_index": int,
    "child_text": str,
    "reply": str,
    "model_id": str,
    "model_sha256": str,
    "prompt_name": str,
    "prompt_sha256": str,
    "options_json": str,
    "seed": int,
    "prompt_tokens": int,
    "completion_tokens": int,
    "cached_tokens": int,
    "safety_action": str,
    "safety_json": str,
    "move": str,
    "phase": str,
    "reason": str,
    "timings_json": str,
    "duration_ms": float,
    "first_token_ms": float,
    "datetime_utc": str,
}


def test_blank_database_migrates_to_expected_tables(store: Store) -> None:
    assert {"children", "sessions", "turns", "world_entities", "world_events", "alerts", "feedback"} <= set(
        store.db.table_names()
    )
    columns = store.db["turns"].columns_dict
    assert {k: columns[k] for k in EXPECTED_TURN_COLUMNS} == EXPECTED_TURN_COLUMNS


def test_file_is_private_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    s = Store.open(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_applies_migrations_once(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Store.open(path).get_or_create_child("fox", "7-9")
    again = Store.open(path)
    assert [r["pseudonym"] for r in again.db["children"].rows] == ["fox"]


def test_insert_turn_is_all_or_nothing(store: Store) -> None:
    child = store.get_or_create_child("fox", "7-9")
    session = store.start_session(child["id"], "w", "7-9", "fake")
    row = {"id": "t1", "session_id": session["id"], "turn_index": 1, "child_text": "hi", "reply": "hello"}
    bad_extra = {"alerts": [{"id": "a1", "no_such_column": 1}]}
    with pytest.raises(StoreError):
        store.insert_turn(row, bad_extra)
    assert store.db["turns"].count == 0
    store.insert_turn(row, {"alerts": [{"id": "a1", "session_id": session["id"], "category": "x"}]})
    assert (store.db["turns"].count, store.db["alerts"].count) == (1, 1)


def test_corrupt_file_gives_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="is damaged.*not changed"):
        Store.open(path)


def test_locked_database_gives_store_error(tmp_path: Path) -> None:
    path = tmp_path / "lock.db"
    s = Store.open(path)
    child = s.get_or_create_child("fox", "7-9")
    other = Store.open(path)
    other.db.conn.execute("PRAGMA busy_timeout=0")
    s.db.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="Could not save"):
            other.set_consent(child["id"], research=True)
    finally:
        s.db.conn.rollback()
