"""Children and their stories for carer mode: list them, read one, and delete a story or a child's data.

A story is a child's play in one starter world, across all its sessions (m203): that is what the child
sees as "carry on my story", so it is also what a carer reads and deletes.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..errors import AistoriesError
from .db import atomic


class OpenAlertsFirst(AistoriesError):
    """Data with an unacknowledged safeguarding alert cannot be deleted yet."""


def children(db: Database) -> list[dict[str, Any]]:
    """Every child, by pseudonym."""
    return list(db.table("children").rows_where(order_by="pseudonym"))


def stories(db: Database, child_id: str) -> list[dict[str, Any]]:
    """A child's stories that have at least one turn, latest first: world, turns, first and last time."""
    sql = (
        "select s.world as world, count(t.id) as turns, min(t.datetime_utc) as started_utc, "
        "max(t.datetime_utc) as last_utc from sessions s join turns t on t.session_id = s.id "
        "where s.child_id = ? group by s.world order by last_utc desc"
    )
    return list(db.query(sql, [child_id]))


def story_turns(db: Database, child_id: str, world: str) -> list[dict[str, Any]]:
    """Every turn of one story, oldest first."""
    sql = (
        "select t.* from turns t join sessions s on s.id = t.session_id "
        "where s.child_id = ? and s.world = ? order by t.datetime_utc, t.turn_index"
    )
    return list(db.query(sql, [child_id, world]))


def delete_story(db: Database, child_id: str, world: str) -> None:
    """Delete one story: its sessions, turns, world and everything that points at them."""
    sessions = [
        r["id"] for r in db.table("sessions").rows_where("child_id = ? and world = ?", [child_id, world])
    ]
    with atomic(db):
        _delete(db, sessions, child_id, world)


def delete_child(db: Database, child_id: str) -> None:
    """Delete all of a child's data: every story, the world, alerts and feedback, then the child row."""
    sessions = [r["id"] for r in db.table("sessions").rows_where("child_id = ?", [child_id])]
    with atomic(db):
        _delete(db, sessions, child_id, None)
        db.table("children").delete_where("id = ?", [child_id])


def _delete(db: Database, sessions: list[str], child_id: str, world: str | None) -> None:
    """Delete rows by turn, by session and by child in every table that has such a column.

    Tables are found by their columns rather than listed, so a table a later migration adds is covered.
    """
    _refuse_open_alerts(db, sessions)
    marks = ",".join("?" * len(sessions))
    turn_ids = [r[0] for r in db.execute(f"select id from turns where session_id in ({marks})", sessions)]
    turn_marks = ",".join("?" * len(turn_ids))
    for name in db.table_names():
        if name in ("sessions", "children", "turns"):
            continue
        columns = db.table(name).columns_dict
        if "child_id" in columns and world is None:
            db.table(name).delete_where("child_id = ?", [child_id])
        elif "child_id" in columns and "world" in columns:
            db.table(name).delete_where("child_id = ? and world = ?", [child_id, world])
        if "session_id" in columns and sessions:
            db.table(name).delete_where(f"session_id in ({marks})", sessions)
        if "turn_id" in columns and turn_ids:
            db.table(name).delete_where(f"turn_id in ({turn_marks})", turn_ids)
    if sessions:
        db.table("turns").delete_where(f"session_id in ({marks})", sessions)
        db.table("sessions").delete_where(f"id in ({marks})", sessions)


def _refuse_open_alerts(db: Database, sessions: list[str]) -> None:
    if not sessions:
        return
    marks = ",".join("?" * len(sessions))
    where = f"acknowledged_utc is null and session_id in ({marks})"
    if db.table("alerts").count_where(where, sessions):
        raise OpenAlertsFirst(
            "This has a safeguarding alert nobody has acknowledged yet: acknowledge it first."
        )


def pseudonyms_by_session(db: Database) -> dict[str, str]:
    """Session id -> the child's pseudonym, to say whose story an alert came from."""
    sql = "select s.id, c.pseudonym from sessions s join children c on c.id = s.child_id"
    return {row[0]: row[1] for row in db.execute(sql)}


def memory_why(db: Database, turn_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Turn id -> the facts remembered for that turn's prompt and why (m201)."""
    marks = ",".join("?" * len(turn_ids))
    rows = db.table("memory_why").rows_where(f"turn_id in ({marks})", turn_ids) if turn_ids else []
    return {row["turn_id"]: row for row in rows}
