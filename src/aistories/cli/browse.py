"""`aistories browse`: open a research copy (consented, pseudonymous, redacted) in Datasette."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import click

from .options import load_settings
from .serve import is_loopback


@click.command()
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the research copy (default: research-copy in the user dir).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--build-only", is_flag=True, help="Write the copy and its canned queries; start nothing.")
def browse(db: str | None, out: Path | None, host: str, port: int, build_only: bool) -> None:
    """Browse a research copy in Datasette (optional extra: pip install 'aistories[browse]').

    The copy is a fresh research export in SQLite: children with research consent only, under random
    pseudonyms, every text redacted, no safeguarding record; Datasette opens it read-only with canned
    queries (sessions, a transcript, moves, reply sources, safety actions, models).
    """
    from ..config import user_dir
    from ..export.browse import build_copy
    from ..store import Store

    settings = load_settings(db=db)
    store = Store.open(settings.db_path)
    report, copy, metadata = build_copy(
        store, out or user_dir() / "research-copy", progress=sys.stderr.isatty()
    )
    click.echo(
        f"Research copy: {copy} ({report.turns_written} turns of {report.children} children with research "
        f"consent; {report.no_consent} without consent and {report.safeguarding} safeguarding turns "
        "left out)."
    )
    if build_only:
        return
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException(
            "Datasette is not installed: pip install 'aistories[browse]' (or open the copy with sqlite3)."
        )
    if not is_loopback(host):
        click.echo(f"Listening on {host}: any device that can reach this machine can read the copy.")
    click.echo(f"Opening it on http://{host}:{port}/research (Ctrl+C stops it).")
    command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(copy)]
    command += ["--metadata", str(metadata), "--host", host, "--port", str(port)]
    raise SystemExit(subprocess.call(command))
