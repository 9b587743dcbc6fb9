"""Open the database (WAL, mode 0600) and read/write rows. Deals in dicts, never in dialogue types."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError
from ulid import ULID

from ..errors import StoreError
from .faults import explain, explain_os, is_environmental
from .migrations import migrations

FEEDBACK_KINDS = ("reply", "choice", "carer")
BUSY_TIMEOUT_S = 5.0  # how long a write waits for another program's lock before saying so


def new_id() -> str:
    """A lowercase ULID: unique and sortable by time, like llm's ids."""
    return str(ULID()).lower()


def utc_now() -> str:
    """The current UTC time as ISO 8601."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def open_database(path: Path | str | None) -> Database:
    """Open (creating if needed) a WAL database readable only by its owner; None means in memory.

    A new folder is made 0700 and a new file 0600 (children's words are sensitive). A damaged file is
    never written to: the error says so and how to start a new one.
    """
    if path is None:
        return Database(memory=True)
    path = Path(path)
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            # Create with 0600 before SQLite touches it.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        db = Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    except sqlite3.DatabaseError as exc:
        raise explain(exc, path, writing=False) from exc
    except OSError as exc:
        raise explain_os(exc, path) from exc
    return db


def database_path(db: Database) -> str | None:
    """The database file (None in memory)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return (row[2] or None) if row else None


@contextmanager
def atomic(db: Database) -> Iterator[Database]:
    """One transaction; a full disk or a lock is a named StoreError, nothing half-written. Inside another
    transaction it is a savepoint, so a turn and everything it writes commit or vanish together.

    The outermost transaction takes the write lock first (BEGIN IMMEDIATE), so a lock held by
    another program is waited for (busy timeout) instead of failing at once on the lock upgrade.
    """
    try:
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        try:
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) or is_environmental(exc):
            raise explain(exc, database_path(db)) from exc
        raise


class Store:
    """Rows in and out of the one SQLite file; applies migrations on open, like llm's LogStore."""

    def __init__(self, db: Database) -> None:
        self.db = db
        try:
            migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            raise explain(exc, self.path) from exc

    @property
    def path(self) -> str | None:
        """The database file (None in memory)."""
        return database_path(self.db)

    @classmethod
    def open(cls, path: Path | str | None) -> Store:
        """Open the file at path (None: in memory) and migrate it."""
        return cls(open_database(path))

    def atomic(self) -> AbstractContextManager[Database]:
        """One transaction (one per turn); see `atomic`."""
        return atomic(self.db)

    # children -------------------------------------------------------------------------------------
    def get_or_create_child(self, pseudonym: str, age_band: str) -> dict[str, Any]:
        """The child row for a pseudonym, created on first use."""
        rows = list(self.db["children"].rows_where("pseudonym = ?", [pseudonym]))
        if rows:
            return rows[0]
        row = {
            "id": new_id(),
            "pseudonym": pseudonym,
            "age_band": age_band,
            "consent_research": 0,
            "consent_storybook": 0,
            "consent_updated_utc": None,
            "created_utc": utc_now(),
        }
        with self.atomic():
            self.db["children"].insert(row)
        return row

    def set_consent(
        self, child_id: str, *, research: bool | None = None, storybook: bool | None = None
    ) -> None:
        """Record a carer's consent decision."""
        changes: dict[str, Any] = {"consent_updated_utc": utc_now()}
        if research is not None:
            changes["consent_research"] = int(research)
        if storybook is not None:
            changes["consent_storybook"] = int(storybook)
        with self.atomic():
            self.db["children"].update(child_id, changes)

    # sessions -------------------------------------------------------------------------------------
    def start_session(self, child_id: str, world: str, age_band: str, model_id: str) -> dict[str, Any]:
        """A new session row."""
        row = {
            "id": new_id(),
            "child_id": child_id,
            "world": world,
            "age_band": age_band,
            "model_id": model_id,
            "started_utc": utc_now(),
            "ended_utc": None,
            "summary": None,
        }
        with self.atomic():
            self.db["sessions"].insert(row)
        return row

    def end_session(self, session_id: str, summary: str | None = None) -> None:
        """Mark a session finished."""
        with self.atomic():
            self.db["sessions"].update(session_id, {"ended_utc": utc_now(), "summary": summary})

    # turns ----------------------------------------------------------------------------------------
    def next_turn_index(self, session_id: str) -> int:
        """1 + the highest turn index in the session (turns start at 1)."""
        row = self.db.execute(
            "select coalesce(max(turn_index), 0) from turns where session_id = ?", [session_id]
        ).fetchone()
        return int(row[0]) + 1

    def turns(self, session_id: str) -> list[dict[str, Any]]:
        """A session's turns in order."""
        return list(self.db["turns"].rows_where("session_id = ?", [session_id], order_by="turn_index"))

    def insert_turn(self, row: dict[str, Any], extra: dict[str, list[dict[str, Any]]] | None = None) -> None:
        """Write a turn and its related rows (world changes, alerts) in one transaction.

        Args:
            row: the turns row; dict/list values are stored as JSON.
            extra: table name -> rows to upsert by `id` in the same transaction.
        """
        with self.atomic():
            self.db["turns"].insert(_jsonify(row))
            for table, rows in (extra or {}).items():
                if rows:
                    self.db[table].upsert_all([_jsonify(r) for r in rows], pk="id", alter=False)

    # feedback and research ids (issue 12) -----------------------------------------------------------
    def add_feedback(
        self,
        turn_id: str,
        rating: int,
        *,
        kind: str = "reply",
        target: str | None = None,
        alternative: str | None = None,
        given_by: str = "child",
        comment: str | None = None,
    ) -> dict[str, Any]:
        """Record feedback on a turn and return the row.

        Args:
            turn_id: the turn rated (its session is looked up).
            rating: +1 "love it", -1 "not that"; a carer may use any integer (>0 good, <0 bad, 0 neutral).
            kind: "reply" (the shown reply rated), "choice" (a two-way choice picked) or "carer".
            target: the text rated or picked (default: the turn's reply).
            alternative: the text passed over (the other choice), if any.
            given_by: "child", "carer" or a member of staff's name.
            comment: free text (never exported to research data).
        """
        if kind not in FEEDBACK_KINDS:
            raise StoreError(f"Unknown feedback kind {kind!r}: use one of {', '.join(FEEDBACK_KINDS)}.")
        try:
            turn = self.db["turns"].get(turn_id)
        except NotFoundError as exc:
            raise StoreError(f"No turn with id {turn_id}: feedback needs a stored turn.") from exc
        row = {
            "id": new_id(),
            "turn_id": turn_id,
            "session_id": turn["session_id"],
            "rating": int(rating),
            "kind": kind,
            "target": turn["reply"] if target is None else target,
            "alternative": alternative,
            "comment": comment,
            "given_by": given_by,
            "datetime_utc": utc_now(),
        }
        with self.atomic():
            self.db["feedback"].insert(row)
        return row

    def research_pseudonyms(self, child_ids: list[str]) -> dict[str, str]:
        """child id -> random research pseudonym, created on first use (never the name the child typed)."""
        known = dict(self.db.execute("select child_id, pseudonym from research_ids").fetchall())
        new = [
            {"child_id": c, "pseudonym": "child-" + secrets.token_hex(5), "created_utc": utc_now()}
            for c in child_ids
            if c not in known
        ]
        if new:
            with self.atomic():
                self.db["research_ids"].insert_all(new)
            known.update({r["child_id"]: r["pseudonym"] for r in new})
        return {c: known[c] for c in child_ids}


def _jsonify(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}
