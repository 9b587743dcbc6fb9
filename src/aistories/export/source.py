"""Which turns a research export may read, streamed from SQLite in batches.

Only children with research consent; never an escalated turn or one an alert points at (the
safeguarding record); the child's words from the masked copy in `safety_json`, never `turns.child_text`
unless the safety check found nothing to mask in it. JSON is unpacked by SQLite, not per row in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..errors import AistoriesError

BATCH = 5_000
# The child's words as the model saw them. `redacted` is '' when the check found nothing to mask; a row
# whose safety record is missing or unreadable has no masked copy and is withheld (fails closed).
_CHILD = (
    "case when not json_valid(t.safety_json) then null "
    "when json_type(t.safety_json, '$.input') = 'object' "
    "then coalesce(nullif(json_extract(t.safety_json, '$.input.redacted'), ''), t.child_text) end"
)
# CASE, not AND: SQLite does not promise to skip json_extract on text that is not JSON.
_MASKED = (
    "(case when not json_valid(t.safety_json) then 0 "
    "else coalesce(json_extract(t.safety_json, '$.input.redacted'), '') != '' end)"
)
COLUMNS = (
    "t.id",
    "t.session_id",
    "s.child_id",
    "s.age_band",
    "s.world",
    "t.turn_index",
    "t.datetime_utc",
    _CHILD,
    "t.reply",
    "t.safety_action",
    "t.move",
    "t.phase",
    "t.reply_source",
    "t.model_id",
    "t.model_sha256",
    "t.adapter_sha256",
    "t.prompt_name",
    "t.prompt_sha256",
    "t.seed",
    "t.prompt_tokens",
    "t.completion_tokens",
    "t.duration_ms",
    "t.first_token_ms",
    "t.raw_reply",
    "t.problems_json",
)
NAMES = (
    "turn_id",
    "session_id",
    "child_id",
    "age_band",
    "world",
    "turn_index",
    "datetime_utc",
    "child_text",
    "reply",
    "safety_action",
    "move",
    "phase",
    "reply_source",
    "model_id",
    "model_sha256",
    "adapter_sha256",
    "prompt_name",
    "prompt_sha256",
    "seed",
    "prompt_tokens",
    "completion_tokens",
    "duration_ms",
    "first_token_ms",
    "raw_reply",
    "problems_json",
)
COL = {name: i for i, name in enumerate(NAMES)}
_SAFEGUARDING = (
    "coalesce(t.safety_action, '') = 'escalate' "
    "or t.id in (select turn_id from alerts where turn_id is not null)"
)


class ExportError(AistoriesError):
    """An export cannot run as asked (bad date, unknown session, unwritable folder)."""


@dataclass(frozen=True)
class Scope:
    """The turns an export covers, before consent and safeguarding filters."""

    since: str | None = None
    session: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition and parameters for the scope."""
        parts, params = ["1"], []
        if self.since:
            parts.append("t.datetime_utc >= ?")
            params.append(parse_since(self.since))
        if self.session:
            parts.append("t.session_id = ?")
            params.append(self.session)
        return " and ".join(parts), params


def parse_since(value: str) -> str:
    """An ISO date or datetime as the UTC ISO string turns are compared with."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ExportError(f"--since {value!r} is not a date: use YYYY-MM-DD or an ISO datetime.") from exc
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.isoformat(timespec="milliseconds")


def _from(scope: Scope) -> tuple[str, list[Any]]:
    where, params = scope.where()
    sql = (
        "from turns t join sessions s on s.id = t.session_id join children c on c.id = s.child_id "
        f"where {where}"
    )
    return sql, params


def counts(db: Database, scope: Scope) -> dict[str, int]:
    """Turns in scope, split into the ones the export may read and the ones it must leave out."""
    sql, params = _from(scope)
    row = db.execute(
        "select count(*), "
        "coalesce(sum(c.consent_research = 1), 0), "
        f"coalesce(sum(c.consent_research = 1 and ({_SAFEGUARDING})), 0), "
        f"coalesce(sum(c.consent_research = 1 and not ({_SAFEGUARDING}) and {_MASKED}), 0) {sql}",
        params,
    ).fetchone()
    total, consenting, safeguarding, masked = (int(x) for x in row)
    return {
        "turns_in_scope": total,
        "no_consent": total - consenting,
        "safeguarding": safeguarding,
        "eligible": consenting - safeguarding,
        "masked_at_turn": masked,
    }


def eligible_sql(scope: Scope, columns: tuple[str, ...]) -> tuple[str, list[Any]]:
    """The select for consenting children's non-safeguarding turns, in session and turn order."""
    sql, params = _from(scope)
    return (
        f"select {', '.join(columns)} {sql} and c.consent_research = 1 and not ({_SAFEGUARDING}) "
        "order by t.session_id, t.turn_index",
        params,
    )


def eligible_batches(db: Database, scope: Scope) -> Iterator[list[tuple[Any, ...]]]:
    """Eligible turns as tuples in NAMES order, BATCH at a time."""
    sql, params = eligible_sql(scope, COLUMNS)
    cursor = db.conn.execute(sql, params)
    while batch := cursor.fetchmany(BATCH):
        yield batch


def versions(db: Database, scope: Scope) -> list[dict[str, Any]]:
    """Model and prompt versions behind the eligible turns, with counts (for the datasheet)."""
    cols = ("t.model_id", "t.model_sha256", "t.adapter_sha256", "t.prompt_name", "t.prompt_sha256")
    sql, params = eligible_sql(scope, (*cols, "count(*)"))
    sql = sql.replace(" order by t.session_id, t.turn_index", f" group by {', '.join(cols)} order by 6 desc")
    keys = ("model_id", "model_sha256", "adapter_sha256", "prompt_name", "prompt_sha256", "turns")
    return [dict(zip(keys, r, strict=True)) for r in db.execute(sql, params).fetchall()]


def child_ids(db: Database, scope: Scope) -> list[str]:
    """The consenting children with at least one eligible turn."""
    sql, params = eligible_sql(scope, ("distinct s.child_id",))
    sql = sql.replace(" order by t.session_id, t.turn_index", " order by 1")
    return [r[0] for r in db.execute(sql, params).fetchall()]
