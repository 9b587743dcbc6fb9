"""`aistories replay SESSION`: play a stored session again and count the turns that reproduce exactly."""

from __future__ import annotations

import json

import click

from .options import load_settings


@click.command(name="replay")
@click.argument("session")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir).")
def replay(session: str, as_json: bool, db: str | None) -> None:
    """Replay SESSION with the same model, seed and prompts (after the child's earlier sessions in that
    world, in a scratch database) and report how many replies come back word for word."""
    from ..backends import Backend, get_backend
    from ..dialogue.replay import replay as run_replay
    from ..safety import preload
    from ..store import Store

    settings = load_settings(db=db)
    store = Store.open(settings.db_path)
    loaded: dict[str, Backend] = {}

    def backend_for(model_id: str) -> Backend:
        if model_id not in loaded:
            loaded[model_id] = get_backend(model_id, settings)
        return loaded[model_id]

    preload()
    report = run_replay(store, session, backend_for)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
        return
    click.echo(f"Session {session} on {report.model_id} (seed {report.seed}):")
    click.echo(f"{report.reproduced} of {report.turns} turns reproduced exactly.")
    for d in report.differs:
        click.echo(f"  turn {d['turn']}: stored {d['stored']!r}\n           replayed {d['replayed']!r}")
