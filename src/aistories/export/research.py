"""`run_export`: a consented, pseudonymous, redacted research export in one of six formats."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Protocol

from ..store import Store
from . import source
from .convokit import ConvokitWriter
from .datasheet import write_datasheet
from .preferences import PreferencesWriter, load_feedback
from .redact import Redactor
from .report import ExportReport
from .source import ExportError, Scope
from .tables import CsvWriter, JsonlWriter, ParquetWriter, SqliteWriter
from .turns import clean_rows, redacted_batches, workers_for

FORMATS = ("jsonl", "csv", "parquet", "sqlite", "convokit", "preferences")


class Writer(Protocol):
    """Receives research-safe rows batch by batch."""

    files: tuple[str, ...]

    def write(self, rows: list[dict[str, Any]]) -> None: ...

    def close(self) -> dict[str, int]: ...


def run_export(
    store: Store,
    out: Path,
    fmt: str,
    *,
    since: str | None = None,
    session: str | None = None,
    progress: bool = False,
) -> ExportReport:
    """Write a research export of consenting children's turns to the folder `out`; what it did.

    Args:
        store: the open store to read.
        out: the export folder (created; files in it are replaced).
        fmt: jsonl, csv, parquet, sqlite, convokit or preferences.
        since: only turns stored on or after this ISO date/datetime (UTC).
        session: only this session's turns.
        progress: show a progress bar on stderr.
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    started = time.perf_counter()
    scope = Scope(since=since, session=session)
    db = store.db
    if session and not db["sessions"].count_where("id = ?", [session]):
        raise ExportError(f"No session {session} in this database: check the id or --db.")
    out = _make_folder(Path(out))
    c = source.counts(db, scope)
    report = ExportReport(fmt, out, turns_in_scope=c["turns_in_scope"], no_consent=c["no_consent"])
    report.safeguarding, report.masked_at_turn = c["safeguarding"], c["masked_at_turn"]
    pseudonyms = store.research_pseudonyms(source.child_ids(db, scope))
    redactor = Redactor()
    with_raw = fmt == "preferences"
    writer = _writer(fmt, out, db, scope, redactor)
    report.workers = workers_for(c["eligible"])
    children: set[str] = set()
    sessions: set[str] = set()
    batches = source.eligible_batches(db, scope)
    with _bar(progress, c["eligible"]) as bar:
        for batch in redacted_batches(batches, redactor, report.workers, with_raw):
            rows, withheld = clean_rows(batch, redactor, pseudonyms, with_raw)
            writer.write(rows)
            report.turns_written += len(rows)
            report.withheld += withheld
            children.update(r["child"] for r in rows)
            sessions.update(r["session_id"] for r in rows)
            bar.update(len(batch))
    report.records = writer.close()
    report.children, report.sessions = len(children), len(sessions)
    report.fields_masked, report.fields_failed = redactor.masked, redactor.failed
    report.versions = source.versions(db, scope)
    report.files = [*writer.files, "README.md"]
    report.seconds = time.perf_counter() - started
    write_datasheet(report, _describe(scope))
    return report


def _writer(fmt: str, out: Path, db: Any, scope: Scope, redactor: Redactor) -> Writer:
    if fmt == "jsonl":
        return JsonlWriter(out)
    if fmt == "csv":
        return CsvWriter(out)
    if fmt == "parquet":
        return ParquetWriter(out)
    if fmt == "sqlite":
        return SqliteWriter(out)
    if fmt == "convokit":
        return ConvokitWriter(out)
    return PreferencesWriter(out, load_feedback(db, scope), redactor)


def _make_folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {out} is a file: give a folder for the export.")
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)  # children's words: owner only, like the db
    except OSError as exc:
        raise ExportError(f"Cannot create {out}: {exc.strerror}. Choose another --out folder.") from exc
    return out


def _describe(scope: Scope) -> str:
    parts = [f"turns since {scope.since}" if scope.since else "all turns"]
    if scope.session:
        parts.append(f"session {scope.session}")
    return ", ".join(parts)


def _bar(enabled: bool, total: int) -> Any:
    """A tqdm bar on stderr (never stdout), or a no-op one."""
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, file=sys.stderr, unit="turn", unit_scale=True)
