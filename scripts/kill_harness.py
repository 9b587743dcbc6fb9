"""Crash safety (issue 14): SIGKILL `aistories play` (and `export`) at random moments, many times.

    .venv/bin/python scripts/kill_harness.py --kills 1000 --out kills.json      # the long run (hours)
    .venv/bin/python scripts/kill_harness.py --kills 3                           # the test suite's version

Every run continues the same child's story in one SQLite file. Kills aim at turns and commits: most wait
for a random number of printed turns and then a random few hundred milliseconds (inside the next
turn's generation or its commit); some land at a random moment from process start; one in ten kills an
`aistories export` instead. After each kill the harness checks, on the file itself:
- `PRAGMA integrity_check` is ok;
- every turn the process printed is stored, in that session, with the same reply;
- no half turn: every stored turn has its safety record and timings, every world row and alert belongs
  to a stored turn, and every printed escalation has its alert;
- the story goes on: the child's world never loses an entity between runs.
Exit status 1 when any check failed; the report (JSON) lists each failure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = "kill-harness"
# A long session: ordinary play, questions, a disclosure (an alert in the same transaction) and a
# personal detail (masked before anything is stored).
LINES = [
    "a dragon called zog",
    "zog is purple and eats jelly",
    "he flies to the moon",
    "what colour is zog?",
    "a cat called mo who has a magic key",
    "they find a cave made of ice",
    "dunno",
    "the first one",
    "my uncle hurts me when mum is out",
    "my name is amy leigh and i go to st annes primary",
    "zog sneezes glitter everywhere lol",
    "what does zog eat?",
    "a robot called beep boop",
    "beep boop is scared of the dark",
    "they go to the tower of pillows",
    "poo poo banana",
    "who has the magic key?",
    "the end",
] * 4


class Run:
    """One child process whose stdout lines are read as they come (with the time each arrived)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.append(raw.decode("utf-8", errors="replace"))

    def kill_after(self, *, turns: int, extra_s: float, limit_s: float) -> None:
        """SIGKILL once `turns` lines are printed and `extra_s` more has passed (or at the limit)."""
        deadline = self.started + limit_s
        while len(self.lines) < turns and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(extra_s)
        self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.reader.join(timeout=5)


def printed_turns(lines: list[str]) -> list[dict]:
    """The complete JSON turns a killed process printed (a line cut by the kill is not a printed turn)."""
    out = []
    for line in lines:
        if not line.endswith("\n"):
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def check(db: Path, printed: list[dict], entities_before: int) -> tuple[list[str], int]:
    """Every check on the file after one kill: (failures, the child's entity count now)."""
    if not db.exists():
        return ([] if not printed else ["turns were printed but there is no database"]), 0
    c = sqlite3.connect(db)
    try:
        failures: list[str] = []
        status = c.execute("pragma integrity_check").fetchone()[0]
        if status != "ok":
            failures.append(f"integrity_check: {status}")
        session = c.execute(
            "select s.id from sessions s join children ch on ch.id = s.child_id where ch.pseudonym = ?"
            " order by s.started_utc desc, s.rowid desc limit 1",
            (CHILD,),
        ).fetchone()
        stored = {}
        if session is not None:
            stored = {
                i: (reply, action, turn_id)
                for turn_id, i, reply, action in c.execute(
                    "select id, turn_index, reply, safety_action from turns where session_id = ?", session
                )
            }
        for turn in printed:
            got = stored.get(turn["turn"])
            if got is None:
                failures.append(f"printed turn {turn['turn']} is not stored")
            elif got[0] != turn["reply"]:
                failures.append(f"printed turn {turn['turn']} is stored with another reply")
            elif (
                turn["safety"] == "escalate"
                and not c.execute("select 1 from alerts where turn_id = ?", (got[2],)).fetchone()
            ):
                failures.append(f"printed escalation at turn {turn['turn']} has no alert")
        half = c.execute(
            "select count(*) from turns where safety_json is null or timings_json is null or reply is null"
        ).fetchone()[0]
        if half:
            failures.append(f"{half} stored turns lack their safety record, timings or reply")
        for table in ("alerts", "memory_why"):
            orphans = c.execute(
                f"select count(*) from {table} where turn_id not in (select id from turns)"  # noqa: S608
            ).fetchone()[0]
            if orphans:
                failures.append(f"{orphans} {table} rows belong to no stored turn")
        entities = c.execute(
            "select count(*) from world_entities e join children ch on ch.id = e.child_id"
            " where ch.pseudonym = ?",
            (CHILD,),
        ).fetchone()[0]
        if entities < entities_before:
            failures.append(f"the child's world lost entities ({entities_before} -> {entities})")
        return failures, entities
    finally:
        c.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None, help="Model id (default: the embedded model).")
    parser.add_argument("--home", type=Path, default=None, help="Data folder (default: a temporary one).")
    parser.add_argument("--out", type=Path, default=None, help="Write the JSON report here.")
    parser.add_argument("--limit-s", type=float, default=60.0, help="Kill any run still going after this.")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    home = args.home or Path(tempfile.mkdtemp(prefix="aistories-kills-"))
    home.mkdir(parents=True, exist_ok=True)
    db, script = home / "kills.db", home / "script.txt"
    # Unbuffered, so a turn is on the pipe the moment `play` prints it and the kills aim at real turns.
    env = {**os.environ, "AISTORIES_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    base = [sys.executable, "-m", "aistories"]
    model = ["--model", args.model] if args.model else []
    report: dict = {"kills": 0, "play_kills": 0, "export_kills": 0, "printed_turns": 0, "failures": []}
    entities = 0
    for n in range(args.kills):
        if rng.random() < 0.1 and db.exists():
            out = home / f"export-{n}"
            run = Run([*base, "export", "--format", "jsonl", "--out", str(out), "--db", str(db)], env)
            time.sleep(rng.uniform(0.0, 3.0))
            run.kill()
            report["export_kills"] += 1
            printed: list[dict] = []
        else:
            start = rng.randrange(len(LINES))  # each run starts elsewhere: the disclosure comes early too
            script.write_text("\n".join(LINES[start:] + LINES[:start]) + "\n", encoding="utf-8")
            play = [*base, "play", "--script", str(script), "--json", "--db", str(db), "--child", CHILD]
            run = Run([*play, "--seed", str(n), *model], env)
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.0, 8.0))  # any moment: start-up, loading, the first turn
                run.kill()
            else:
                run.kill_after(turns=rng.randint(1, 4), extra_s=rng.uniform(0.0, 1.5), limit_s=args.limit_s)
            printed = printed_turns(run.lines)
            report["play_kills"] += 1
        report["kills"] += 1
        report["printed_turns"] += len(printed)
        failures, entities = check(db, printed, entities)
        report["failures"] += [f"kill {n}: {f}" for f in failures]
        print(f"kill {n + 1}/{args.kills}: {len(printed)} printed, {len(failures)} failures", file=sys.stderr)
    report["entities_at_end"] = entities
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
