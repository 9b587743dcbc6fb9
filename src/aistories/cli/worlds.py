"""`aistories worlds list|check`: the starter worlds (shipped and a carer's own) and whether they load."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataFileError
from ..world.worlds import list_worlds, read_world


@click.group()
def worlds() -> None:
    """Starter worlds: story_worlds/ (shipped) and $AISTORIES_HOME/worlds/ (a carer's own)."""


@worlds.command("list")
def list_cmd() -> None:
    """Each world's name and title (a world that fails to load is shown as invalid)."""
    for name, path in sorted(list_worlds().items()):
        try:
            title = read_world(path).title
        except DataFileError:
            title = "(invalid: run `aistories worlds check`)"
        click.echo(f"{name}\t{title}")


@worlds.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate the given world files, or every shipped and user world; exit 1 naming the bad field."""
    paths = list(files) or list(list_worlds().values())
    failures = []
    for path in paths:
        try:
            world = read_world(path)
        except DataFileError as exc:
            failures.append(str(exc))
            continue
        click.echo(f"ok\t{world.name}\t{path}")
    if failures:
        for line in failures[1:]:
            click.echo(line, err=True)
        raise click.ClickException(failures[0])
