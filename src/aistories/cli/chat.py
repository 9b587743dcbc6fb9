"""`aistories chat`: the story in a plain terminal, one line at a time (no Textual)."""

from __future__ import annotations

import click

from ..config import AGE_BANDS
from ..dialogue import TurnDone
from .options import load_settings
from .wiring import ending, make_manager


@click.command()
@click.option("--world", default=None)
@click.option("--age-band", type=click.Choice(AGE_BANDS), default=None)
@click.option("--db", type=click.Path(dir_okay=False), default=None)
@click.option("--model", default=None)
@click.option("--child", default=None)
@click.option("--seed", type=int, default=None)
def chat(
    world: str | None,
    age_band: str | None,
    db: str | None,
    model: str | None,
    child: str | None,
    seed: int | None,
) -> None:
    """Tell a story line by line; an empty line or Ctrl-D ends it."""
    settings = load_settings(model=model, db=db, world=world, age_band=age_band, child=child, seed=seed)
    manager = make_manager(settings)
    click.echo(f"story> {manager.opening()}")
    with ending(manager):
        while True:
            try:
                line = input("you> ")
            except EOFError:
                break
            if not line.strip():
                break
            for event in manager.turn(line):
                if isinstance(event, TurnDone):
                    click.echo(f"story> {event.reply}")
    click.echo("The end, for now. Your story is saved.")
