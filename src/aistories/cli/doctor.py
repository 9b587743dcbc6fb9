"""`aistories doctor`: one command a nurse can run to see what is wrong and what to do about it."""

from __future__ import annotations

import json
import sys

import click

from ..doctor import is_damaged, is_healthy, run_checks, set_aside
from .options import load_settings


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object: {ok, checks: [...]}, for machines.")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="The database to check.")
@click.option("--model", default=None, help="The model to check (default: the one the app uses).")
@click.option(
    "--set-aside-damaged",
    is_flag=True,
    help="If the database is damaged, rename it (deleting nothing) so the next story starts a new one.",
)
def doctor(as_json: bool, db: str | None, model: str | None, set_aside_damaged: bool) -> None:
    """Check model, safety files, database, data folder and privacy: one line each, exit 1 on a problem."""
    settings = load_settings(db=db, model=model)
    if set_aside_damaged and is_damaged(settings.db_path):
        kept = set_aside(settings.db_path)
        click.echo(f"Set aside the damaged database as {kept}; a new, empty one is made with the next story.")
    found = run_checks(settings)
    healthy = is_healthy(found)
    if as_json:
        click.echo(json.dumps({"ok": healthy, "checks": [f.to_dict() for f in found]}, ensure_ascii=False))
    else:
        for finding in found:
            click.echo(finding.line())
        click.echo("All OK." if healthy else "Something needs fixing: see the PROBLEM lines above.")
    sys.exit(0 if healthy else 1)
