"""Retention: forget one child, purge stories older than the ward's retention period, then VACUUM.

Deletion reuses carer mode's delete_child/delete_story, so every table with a child_id, session_id or
turn_id column is covered (turns, world rows, why-records, feedback, research ids, alerts), including
tables later migrations add. SQLite's secure_delete zeroes what is deleted, and VACUUM plus a truncating
WAL checkpoint leave no old page in the database file or its WAL.

The safeguarding record: as in carer mode, data with an unacknowledged alert is never deleted (forget
refuses; purge keeps that story and says so). Once acknowledged, an alert is deleted with the child's
data: acknowledging it is the hand-over to the ward's own safeguarding system (the ward hook, the
staff member's notes), and the tablet is not the ward's record of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..errors import AistoriesError
from .children import OpenAlertsFirst, delete_child, delete_story

ACK_HINT = "acknowledge it first (`aistories alerts ack ID --by NAME`, or in carer mode)"


class ChildNotFound(AistoriesError):
    """No child has that pseudonym or id."""


@dataclass
class Removed:
    """What a forget or purge deleted: rows per table, and whether the file was fully compacted."""

    rows: dict[str, int] = field(default_factory=dict)
    is_compacted: bool = False

    def count(self, table: str) -> int:
        """Rows deleted from one table."""
        return self.rows.get(table, 0)

    def summary(self) -> str:
        """'2 sessions, 14 turns, 31 world rows, ...' (only what was there)."""
        world = sum(n for t, n in self.rows.items() if t.startswith("world_") or t == "memory_why")
        parts = [
            (self.count("sessions"), "session"),
            (self.count("turns"), "turn"),
            (world, "world row"),
            (self.count("feedback"), "feedback row"),
            (self.count("alerts"), "acknowledged alert"),
        ]
        return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n) or "no rows"


@dataclass
class PurgeReport:
    """What `purge` deleted and what it had to keep."""

    cutoff_utc: str
    stories: list[dict[str, Any]] = field(default_factory=list)
    children: int = 0
    kept: list[dict[str, Any]] = field(default_factory=list)  # stories held back by an open alert
    removed: Removed = field(default_factory=Removed)


def find_child(db: Database, name_or_id: str) -> dict[str, Any]:
    """The child row with this exact pseudonym or id."""
    rows = list(db.table("children").rows_where("pseudonym = ? or id = ?", [name_or_id, name_or_id]))
    if not rows:
        raise ChildNotFound(
            f"No child with pseudonym or id {name_or_id!r} in this database: nothing was deleted "
            "(pseudonyms are case-sensitive; check the spelling or pass --db PATH)."
        )
    return rows[0]


def open_alert_ids(db: Database, child_id: str, world: str | None = None) -> list[str]:
    """Unacknowledged alerts on a child's sessions (in one world, if given)."""
    sql = (
        "select a.id from alerts a join sessions s on s.id = a.session_id "
        "where a.acknowledged_utc is null and s.child_id = ?"
    )
    params = [child_id]
    if world is not None:
        sql += " and s.world = ?"
        params.append(world)
    return [r[0] for r in db.execute(sql + " order by a.datetime_utc", params)]


def forget(db: Database, name_or_id: str, *, compact: bool = True) -> Removed:
    """Delete every row about one child, the child row too, then VACUUM.

    Raises ChildNotFound for an unknown child, OpenAlertsFirst while one of its alerts is unacknowledged.
    """
    child = find_child(db, name_or_id)
    still_open = open_alert_ids(db, child["id"])
    if still_open:
        raise OpenAlertsFirst(
            f"Not forgotten: {name_or_id!r} has {_alerts(still_open)} nobody has acknowledged "
            f"({', '.join(still_open)}); {ACK_HINT}, then run forget again. Nothing was deleted."
        )
    before = _counts(db)
    _secure(db)
    delete_child(db, child["id"])
    removed = Removed(_deleted(before, _counts(db)))
    removed.is_compacted = vacuum(db) if compact else False
    return removed


def stale_stories(db: Database, cutoff_utc: str) -> list[dict[str, Any]]:
    """Stories (child, starter world) with no session, turn or end later than the cutoff."""
    sql = (
        "select s.child_id as child_id, c.pseudonym as pseudonym, s.world as world, "
        "count(distinct s.id) as sessions, max(max(coalesce(s.started_utc, ''), coalesce(s.ended_utc, ''), "
        "coalesce(t.last_utc, ''))) as last_utc from sessions s "
        "left join children c on c.id = s.child_id "
        "left join (select session_id, max(datetime_utc) as last_utc from turns group by session_id) t "
        "on t.session_id = s.id where s.world is not null "
        "group by s.child_id, s.world having last_utc < ? order by last_utc"
    )
    return list(db.query(sql, [cutoff_utc]))


def cutoff(days: float, now: dt.datetime | None = None) -> str:
    """The UTC time `days` ago, in the store's ISO format (rows older than it are purged)."""
    now = now or dt.datetime.now(dt.UTC)
    return (now - dt.timedelta(days=days)).isoformat(timespec="milliseconds")


def purge(
    db: Database, days: float, *, now: dt.datetime | None = None, dry_run: bool = False, compact: bool = True
) -> PurgeReport:
    """Delete stories last touched more than `days` ago, and children left with nothing; then VACUUM.

    A story with an unacknowledged alert is kept (listed in `kept`); the rest are still purged.
    """
    report = PurgeReport(cutoff(days, now))
    for story in stale_stories(db, report.cutoff_utc):
        story["open_alerts"] = open_alert_ids(db, story["child_id"], story["world"])
        (report.kept if story["open_alerts"] else report.stories).append(story)
    children = _leftover_children(db, report)
    report.children = len(children)
    if dry_run:
        return report
    before = _counts(db)
    _secure(db)
    for story in report.stories:
        delete_story(db, story["child_id"], story["world"])
    for child_id in children:
        delete_child(db, child_id)
    report.removed = Removed(_deleted(before, _counts(db)))
    if compact and report.removed.rows:
        report.removed.is_compacted = vacuum(db)
    return report


def _leftover_children(db: Database, report: PurgeReport) -> list[str]:
    """Children created before the cutoff whose every story goes in this purge (or who never played)."""
    going = {(s["child_id"], s["world"]) for s in report.stories}
    left: list[str] = []
    for child in db.table("children").rows_where(
        "coalesce(created_utc, '') < ?", [report.cutoff_utc], select="id"
    ):
        worlds = {r[0] for r in db.execute("select world from sessions where child_id = ?", [child["id"]])}
        if all((child["id"], w) in going for w in worlds):
            left.append(child["id"])
    return left


def vacuum(db: Database) -> bool:
    """Rebuild the file without free pages, then empty the WAL; False if another connection kept it."""
    db.execute("VACUUM")
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def _secure(db: Database) -> None:
    # Deleted rows are overwritten with zeros at once, not only at the VACUUM after them.
    db.execute("PRAGMA secure_delete = ON")


def _counts(db: Database) -> dict[str, int]:
    return {name: db.table(name).count for name in db.table_names()}


def _deleted(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: n - after.get(t, 0) for t, n in before.items() if n - after.get(t, 0) > 0}


def _alerts(ids: list[str]) -> str:
    return "a safeguarding alert" if len(ids) == 1 else f"{len(ids)} safeguarding alerts"
