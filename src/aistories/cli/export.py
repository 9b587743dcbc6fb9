"""`aistories export`: a consented, pseudonymous, redacted research export (progress on stderr)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import load_settings

_FORMATS = ("jsonl", "csv", "parquet", "sqlite", "convokit", "preferences")  # export.research.FORMATS


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ..export.source import ExportError, parse_since

    try:
        parse_since(value)
    except ExportError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


@click.command(name="export")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), required=True, help="What to write.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write."
)
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir).")
@click.option("--since", callback=_since, default=None, help="Only turns on or after DATE (YYYY-MM-DD).")
@click.option("--session", default=None, help="Only this session id.")
@click.option("--json", "as_json", is_flag=True, help="Print the export report as one JSON object.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when it is a terminal)."
)
def export(
    fmt: str,
    out: Path,
    db: str | None,
    since: str | None,
    session: str | None,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Research export of children with research consent only: pseudonyms, redacted text, a datasheet."""
    from ..export import run_export
    from ..store import Store

    store = Store.open(load_settings(db=db).db_path)
    show = sys.stderr.isatty() if progress is None else progress
    report = run_export(store, out, fmt, since=since, session=session, progress=show)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    click.echo(
        f"Wrote {report.turns_written} turns ({report.children} children, {report.sessions} sessions) "
        f"to {report.out} as {fmt}; left out {report.no_consent} without research consent and "
        f"{report.safeguarding} safeguarding turns; withheld {report.withheld} the redactor could not "
        f"process. Datasheet: {report.out / 'README.md'}"
    )
