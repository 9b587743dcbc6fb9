"""`aistories play` through the real embedded model: JSON lines, SQLite rows, the recorded sha256."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aistories.backends import get_entry

pytestmark = pytest.mark.model

SCRIPT = """# five turns, like a real child
hello!!
a dragon called Zog
Zog is purple and he likes cake
dunno
what does Zog eat?
"""
CONTRACT_KEYS = {
    "turn",
    "child",
    "reply",
    "latency_ms",
    "prompt_tokens",
    "completion_tokens",
    "safety",
    "world",
}


def _play(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "aistories",
        "play",
        "--script",
        str(script),
        "--json",
        "--seed",
        "1",
        "--child",
        "e2e-kid",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_five_turn_script_on_the_embedded_model(tmp_path: Path) -> None:
    db = tmp_path / "e2e.db"
    result = _play(tmp_path, "--db", str(db))
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert [t["turn"] for t in turns] == [1, 2, 3, 4, 5]
    assert all(set(t) >= CONTRACT_KEYS for t in turns)
    assert [t["child"] for t in turns][:2] == ["hello!!", "a dragon called Zog"]
    for t in turns:
        assert t["safety"] == "allow"
        assert t["reply"].strip() and "<|im_" not in t["reply"]
        assert t["prompt_tokens"] >= 0 and 0 <= t["completion_tokens"] <= 120 and t["latency_ms"] > 0
        assert {"characters", "places", "objects", "events"} <= set(t["world"])
    # Most turns ask the model; a stuck child ("dunno") gets a templated scaffold with no model call.
    assert sum(t["completion_tokens"] > 0 for t in turns) >= 3
    assert turns[3]["completion_tokens"] == 0 and " or " in turns[3]["reply"]
    assert result.stderr == ""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select turn_index, child_text, reply, model_id, model_sha256, prompt_sha256, prompt_tokens "
            "from turns order by turn_index"
        ).fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[2] for r in rows] == [t["reply"] for t in turns]
    assert {r[3] for r in rows} == {"smollm2-135m-instruct-q4_1"}
    assert {r[4] for r in rows} == {get_entry("smollm2-135m-instruct-q4_1").sha256}
    assert all(r[5] and len(r[5]) == 64 for r in rows)


def test_same_seed_gives_the_same_story(tmp_path: Path) -> None:
    first = _play(tmp_path, "--db", str(tmp_path / "a.db"))
    second = _play(tmp_path, "--db", str(tmp_path / "b.db"))
    replies = [[json.loads(x)["reply"] for x in r.stdout.splitlines()] for r in (first, second)]
    assert replies[0] == replies[1] and len(replies[0]) == 5


def test_missing_script_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aistories", "play", "--script", str(tmp_path / "nope.txt"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "does not exist" in result.stderr
