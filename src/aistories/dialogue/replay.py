"""Replay a stored session with the same model, seed and prompts, and count the turns that reproduce.

    report = replay(store, session_id, backend)

A story is per (child, starter world), so the child's earlier sessions in that world are played first,
into a scratch database, exactly as the child typed them; then the session itself, turn by turn, with
each reply compared to the stored one. Nothing is written to the real database and no ward alert is
sent (an escalation in a replay is the old alert, already raised).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..backends import Backend
from ..errors import AistoriesError
from ..store import Store
from .events import TurnDone
from .manager import DialogueManager


class SessionNotFound(AistoriesError):
    """No session with that id."""


@dataclass
class Replay:
    """What a replay found: per turn, whether the reply came back word for word."""

    session: str
    model_id: str
    seed: int | None
    turns: int = 0
    reproduced: int = 0
    differs: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def replay(store: Store, session_id: str, backend_for: Callable[[str], Backend]) -> Replay:
    """Play the session again (after the child's earlier sessions in its world) and compare replies.

    `backend_for(model_id)` gives the backend each session was played with.
    """
    target = store.db.execute(
        "select child_id, world, started_utc, model_id from sessions where id = ?", [session_id]
    ).fetchone()
    if target is None:
        raise SessionNotFound(f"No session {session_id}: `aistories alerts list` and storybooks name them.")
    child_id, world, started, model_id = target
    earlier = [
        row[0]
        for row in store.db.execute(
            "select id from sessions where child_id = ? and world = ? and started_utc < ?"
            " order by started_utc, rowid",
            [child_id, world, started],
        )
    ]
    pseudonym = store.db.execute("select pseudonym from children where id = ?", [child_id]).fetchone()[0]
    result = Replay(session_id, model_id, _seed(store, session_id))
    with tempfile.TemporaryDirectory(prefix="aistories-replay-") as tmp:
        scratch = Store.open(Path(tmp) / "replay.db")
        try:
            for sid in [*earlier, session_id]:
                _play(store, scratch, sid, pseudonym, backend_for, result if sid == session_id else None)
        finally:
            scratch.db.conn.close()
    return result


def _seed(store: Store, session_id: str) -> int | None:
    row = store.db.execute(
        "select seed from turns where session_id = ? order by turn_index limit 1", [session_id]
    ).fetchone()
    return row[0] if row else None


def _play(
    store: Store,
    scratch: Store,
    session_id: str,
    pseudonym: str,
    backend_for: Callable[[str], Backend],
    result: Replay | None,
) -> None:
    """One stored session played into the scratch store; compared when `result` is given."""
    world, age_band, model_id = store.db.execute(
        "select world, age_band, model_id from sessions where id = ?", [session_id]
    ).fetchone()
    turns = store.db.execute(
        "select turn_index, child_text, reply from turns where session_id = ? order by turn_index",
        [session_id],
    ).fetchall()
    manager = DialogueManager(
        backend_for(model_id),
        scratch,
        world=world,
        age_band=age_band,
        child=pseudonym,
        seed=_seed(store, session_id),
        notify=False,
    )
    try:
        for index, child_text, stored in turns:
            done = next(e for e in manager.turn(child_text or "") if isinstance(e, TurnDone))
            if result is None:
                continue
            result.turns += 1
            if done.reply == stored:
                result.reproduced += 1
            else:
                result.differs.append({"turn": index, "stored": stored, "replayed": done.reply})
    finally:
        manager.end()
