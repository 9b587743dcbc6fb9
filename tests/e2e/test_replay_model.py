"""Issue 12: replay reproduces a 10-turn session with the embedded model."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

LINES = [
    "a dragon called zog",
    "zog is purple and eats jelly",
    "he flies to the moon",
    "what colour is zog?",
    "dunno",
    "a cat called mo",
    "mo has a magic key",
    "they find a cave made of ice",
    "who has the magic key?",
    "zog sneezes glitter lol",
]


def test_replay_reproduces_a_ten_turn_session(tmp_path: Path) -> None:
    script, db = tmp_path / "s.txt", tmp_path / "story.db"
    script.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    run = [sys.executable, "-m", "aistories"]
    played = subprocess.run(
        [*run, "play", "--script", str(script), "--json", "--db", str(db), "--seed", "5"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    assert len(played.stdout.splitlines()) == 10
    with sqlite3.connect(db) as c:
        session = c.execute("select id from sessions").fetchone()[0]
    out = subprocess.run(
        [*run, "replay", session, "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    report = json.loads(out.stdout)
    assert (report["turns"], report["reproduced"]) == (10, 10), report["differs"]
