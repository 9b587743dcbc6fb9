"""Issue 14: the kill harness's short version (the long one, >= 1,000 kills, is the same script)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.model
def test_killed_sessions_lose_no_printed_turn(tmp_path: Path) -> None:
    """Seed 4 kills two `play` runs inside a turn (after 4 and 3 printed turns; the second run's script
    starts just before the disclosure, so an escalation and its alert are checked) and one export."""
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kill_harness.py"), "--kills", "3", "--seed", "4"]
        + ["--home", str(tmp_path / "home"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert done.returncode == 0, report["failures"]
    assert report["kills"] == 3 and report["export_kills"] == 1 and report["printed_turns"] >= 2
    with sqlite3.connect(tmp_path / "home" / "kills.db") as c:
        assert c.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert c.execute("select count(*) from turns").fetchone()[0] >= report["printed_turns"]
        assert report["entities_at_end"] > 0  # the resumed story kept its world
        assert c.execute("select count(*) from alerts").fetchone()[0] >= 1  # the printed disclosure's
