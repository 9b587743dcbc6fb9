"""`aistories doctor`: one command a nurse can run to see what is wrong and what to do about it."""

from __future__ import annotations

import json
import sys

import click

from ..doctor import is_healthy, run_checks
from .options import load_settings


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object: {ok, checks: [...]}, for machines.")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="The database to check.")
@click.option("--model", default=None, help="The model to check (default: the one the app uses).")
def doctor(as_json: bool, db: str | None, model: str | None) -> None:
    """Check model, safety files, database, data folder and privacy: one line each, exit 1 on a problem."""
    found = run_checks(load_settings(db=db, model=model))
    healthy = is_healthy(found)
    if as_json:
        click.echo(json.dumps({"ok": healthy, "checks": [f.to_dict() for f in found]}, ensure_ascii=False))
    else:
        for finding in found:
            click.echo(finding.line())
        click.echo("All OK." if healthy else "Something needs fixing: see the PROBLEM lines above.")
    sys.exit(0 if healthy else 1)
