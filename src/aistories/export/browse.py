"""A research copy for Datasette: the SQLite export plus canned queries (`aistories browse`).

The copy is an ordinary research export (format `sqlite`): consenting children only, pseudonyms, every
text redacted, no safeguarding record. Datasette opens it read-only (`--immutable`) with the queries
below, so a researcher can look without touching the ward's database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..store import Store
from .report import ExportReport
from .research import run_export

METADATA_FILE = "metadata.json"
QUERIES: dict[str, dict[str, str]] = {
    "sessions": {
        "title": "Sessions: turns, start and mean latency",
        "sql": "select session_id, child, world, age_band, count(*) as turns, min(datetime_utc) as started, "
        "round(avg(duration_ms)) as mean_ms from turns group by session_id order by started",
    },
    "transcript": {
        "title": "One session's transcript (give its id)",
        "sql": "select turn_index, child_text, reply, move, safety_action from turns "
        "where session_id = :session_id order by turn_index",
    },
    "moves": {
        "title": "Dialogue moves: how often, how fast",
        "sql": "select move, count(*) as turns, round(avg(duration_ms)) as mean_ms, "
        "round(avg(completion_tokens), 1) as mean_tokens from turns group by move order by turns desc",
    },
    "reply_sources": {
        "title": "Where replies came from (model, regenerated, templated, fallback)",
        "sql": "select reply_source, count(*) as turns from turns group by reply_source order by turns desc",
    },
    "safety_actions": {
        "title": "Safety actions on the children's lines in this copy",
        "sql": "select safety_action, count(*) as turns from turns group by safety_action "
        "order by turns desc",
    },
    "models": {
        "title": "Models and prompts used",
        "sql": "select model_id, model_sha256, prompt_name, prompt_sha256, count(*) as turns from turns "
        "group by model_id, model_sha256, prompt_name, prompt_sha256 order by turns desc",
    },
}


def build_copy(store: Store, out: Path, *, progress: bool = False) -> tuple[ExportReport, Path, Path]:
    """Write the research copy and its Datasette metadata into `out`: (report, database, metadata)."""
    report = run_export(store, out, "sqlite", progress=progress)
    metadata = report.out / METADATA_FILE
    metadata.write_text(json.dumps(_metadata(report), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return report, report.out / "research.db", metadata


def _metadata(report: ExportReport) -> dict[str, Any]:
    return {
        "title": "aistories research copy",
        "description": (
            f"{report.turns_written} turns of {report.children} children with research consent, "
            "pseudonymous and redacted; no safeguarding record. See README.md in this folder."
        ),
        "databases": {"research": {"queries": QUERIES}},
    }
