"""Measure export throughput on synthetic turns: `python -m aistories.export.throughput --turns N`.

Prints one JSON object per format: turns/s with the real PII redactor, and with the redactor replaced by
the identity (the export machinery alone: SQLite read, consent and safeguarding filters, pseudonyms,
writing). Uses a database file under the temp dir so repeated runs reuse the synthetic turns.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ..safety import pii
from ..store import Store
from .research import FORMATS, run_export
from .synthetic import fill_synthetic


def measure(store: Store, fmt: str, folder: Path, *, redact: bool) -> dict[str, object]:
    """One export; its throughput."""
    real = pii.redact
    if not redact:
        pii.redact = lambda text: text  # type: ignore[assignment]
    try:
        report = run_export(store, folder / f"{fmt}-{redact}", fmt)
    finally:
        pii.redact = real
    return {
        "format": fmt,
        "redactor": redact,
        "turns": report.turns_written,
        "seconds": round(report.seconds, 2),
        "turns_per_s": round(report.turns_per_s),
        "workers": report.workers,
    }


def main() -> None:
    """Fill (once) and export N synthetic turns in the chosen formats."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=100_000)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--no-redactor-only", action="store_true", help="Skip the runs with the real redactor.")
    args = ap.parse_args()
    path = Path(tempfile.gettempdir()) / f"aistories-synthetic-{args.turns}.db"
    store = Store.open(path)
    if not store.db["turns"].count:
        t = time.perf_counter()
        fill_synthetic(store, args.turns)
        print(json.dumps({"filled": args.turns, "seconds": round(time.perf_counter() - t, 1)}), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            modes = (False,) if args.no_redactor_only else (False, True)
            for redact in modes:
                print(json.dumps(measure(store, fmt, Path(tmp), redact=redact)), flush=True)


if __name__ == "__main__":
    main()
