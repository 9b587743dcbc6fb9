"""Cold start: a fresh process, from its start to the opening story line on the (headless) app screen
(the child picks a world on the start screen at once, so only the program's time counts).

The command given (the CLI's hidden probe: the real `aistories` start-up path, app headless) prints
`opening-shown <unix time>` once the story log holds the opening line; the clock starts just before the
process does, so interpreter start, imports, model load and the first paint all count.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

SHOWN = "opening-shown "
FIRST_SCREEN = "first-screen "
TIMEOUT_S = 300


def _read_marks(proc: subprocess.Popen[str], deadline: float) -> dict[str, float]:
    """The probe's marks, read until the opening line is shown (or the output ends)."""
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        for label in (FIRST_SCREEN, SHOWN):
            if line.startswith(label):
                marks[label] = float(line[len(label) :])
        if SHOWN in marks or time.time() > deadline:
            break
    return marks


def measure_cold_start(cmd: list[str], fresh_home: bool = False) -> dict[str, Any]:
    """Seconds from process start to the first story line (`cmd` gets `--db FILE` appended).

    `fresh_home` gives the process an empty AISTORIES_HOME (a first start on a new tablet). The process
    is stopped once the line is shown (its background safety preload would only add to the wait).
    """
    key = "cold_start_fresh_s" if fresh_home else "cold_start_s"
    with tempfile.TemporaryDirectory(prefix="aistories-cold-") as tmp:
        env = dict(os.environ)
        if fresh_home:
            env["AISTORIES_HOME"] = str(Path(tmp) / "home")
        started = time.time()
        proc = subprocess.Popen(
            [*cmd, "--db", str(Path(tmp) / "cold.db")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            marks = _read_marks(proc, started + TIMEOUT_S)
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=60)
    if SHOWN not in marks:
        tail = (err.strip().splitlines() or ["no output"])[-1]
        return {key: None, f"{key}_note": f"cold-start process failed (rc {proc.returncode}): {tail[:200]}"}
    out: dict[str, Any] = {key: round(marks[SHOWN] - started, 2)}
    if FIRST_SCREEN in marks and not fresh_home:  # the start screen, before the child picks a world
        out["first_screen_s"] = round(marks[FIRST_SCREEN] - started, 2)
    return out
