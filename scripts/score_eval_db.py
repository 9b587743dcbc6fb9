"""Score the sessions an `aistories eval story --db FILE` run has finished, from its SQLite file.

    .venv/bin/python scripts/score_eval_db.py RUN.db data/story/blind7

For a run cut short (a blind first run that did not finish): the same scoring functions as the command,
on the complete sessions only; the world after each turn is rebuilt from the stored entities.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from aistories.dialogue.evaluation import Played, Session, read_sessions, score
from aistories.world import WorldState, load_world


def played(c: sqlite3.Connection, session_id: str, child_id: str, s: Session) -> Played | None:
    """One finished session as the scorer sees it (None when it did not finish)."""
    rows = c.execute(
        "select turn_index, reply, duration_ms, safety_action, reply_source from turns"
        " where session_id=? order by turn_index",
        (session_id,),
    ).fetchall()
    if len(rows) < len(s.lines):
        return None
    seed = {e.name.lower() for e in WorldState.from_world(load_world(s.world)).entities.values()}
    made = c.execute("select name, turn_index from world_entities where child_id=?", (child_id,)).fetchall()
    p = Played(s)
    for index, reply, duration, action, source in rows:
        p.replies.append(reply)
        p.latency_ms.append(duration or 0.0)
        p.actions.append(action)
        p.sources.append(source or "")
        p.world_names.append(seed | {n.lower() for n, t in made if t is not None and t <= index})
    return p


def main(db: str, folder: str) -> None:
    c = sqlite3.connect(db)
    sessions = {s.name: s for s in read_sessions(Path(folder))}
    runs = []
    for session_id, child_id in c.execute("select id, child_id from sessions order by started_utc"):
        pseudonym = c.execute("select pseudonym from children where id=?", (child_id,)).fetchone()[0]
        p = played(c, session_id, child_id, sessions[pseudonym.removeprefix("eval-")])
        if p is not None:
            runs.append(p)
    print(f"{len(runs)} finished sessions, {sum(len(r.replies) for r in runs)} turns", file=sys.stderr)
    print(json.dumps(score(runs), indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
