"""Export throughput: synthetic consented turns in a temporary store, through `export.run_export`."""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from ..store import Store, new_id

log = logging.getLogger(__name__)

EXPORT_TURNS = 5000
TURNS_PER_SESSION = 50


def fill_store(store: Store, template: dict[str, Any], turns: int) -> int:
    """Write `turns` copies of a real turn row (new ids, one consented child) into the store."""
    child = store.get_or_create_child("bench-export", "7-9")
    store.set_consent(child["id"], research=True, storybook=True)
    rows: list[dict[str, Any]] = []
    session_id = ""
    for i in range(turns):
        if i % TURNS_PER_SESSION == 0:
            session_id = store.start_session(child["id"], "flying-beds-castle", "7-9", "bench")["id"]
        row = {k: v for k, v in template.items() if k in store.db.table("turns").columns_dict}
        row.update(id=new_id(), session_id=session_id, turn_index=i % TURNS_PER_SESSION + 1)
        rows.append(row)
    with store.atomic():
        store.db.table("turns").insert_all(rows)
    return turns


def measure_export(
    template: dict[str, Any] | None, turns: int = EXPORT_TURNS, fmt: str = "jsonl"
) -> dict[str, Any]:
    """export_turns_per_s (None with a note while `aistories.export` does not exist or fails)."""
    if importlib.util.find_spec("aistories.export") is None:
        return {"export_turns_per_s": None, "export_note": "aistories.export is not there yet"}
    if template is None:
        return {"export_turns_per_s": None, "export_note": "no turn row to copy"}
    run_export = importlib.import_module("aistories.export").run_export
    with tempfile.TemporaryDirectory(prefix="aistories-bench-") as tmp:
        store = Store.open(Path(tmp) / "export.db")
        _fill(store, template, turns)
        started = time.perf_counter()
        try:
            report = run_export(store, Path(tmp) / "out", fmt)
        except Exception as exc:  # noqa: BLE001 - a broken export is a finding, not a bench crash
            log.exception("export failed in bench")
            return {"export_turns_per_s": None, "export_note": f"run_export failed: {exc}"}
        seconds = time.perf_counter() - started
        store.db.close()
    written = int(getattr(report, "turns_written", 0) or 0)
    return {
        "export_turns_per_s": round(written / seconds, 1) if written and seconds > 0 else None,
        "export_turns": written,
        "export_format": fmt,
        "export_note": "" if written else "run_export wrote no turns",
    }


def _fill(store: Store, template: dict[str, Any], turns: int) -> int:
    """The export package's own synthetic turns (varied text) when it has them, else copies of a real turn."""
    try:
        fill_synthetic = importlib.import_module("aistories.export.synthetic").fill_synthetic
    except (ImportError, AttributeError):
        return fill_store(store, _plain(template), turns)
    return int(fill_synthetic(store, turns))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A turn as a turns row: dict/list values become JSON, as Store.insert_turn writes them."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}
