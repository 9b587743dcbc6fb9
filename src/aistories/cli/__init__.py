"""The `aistories` command. Thin: each subcommand lives in its own module and calls into the package."""

from __future__ import annotations

import logging
import sqlite3

import click

from ..config import AGE_BANDS, go_offline, user_dir
from ..errors import AistoriesError
from ..store.faults import explain, is_environmental
from .options import check_root_options, load_settings
from .wiring import make_app, make_manager

__all__ = ["cli", "make_app", "make_manager"]


class Group(click.Group):
    """Turns AistoriesError into a one-line message and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except AistoriesError as exc:
            raise click.ClickException(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            # A read outside a store transaction met a full disk, a lock or a damaged file: say so in
            # one line. Anything else (a bug) propagates, so tests see it.
            if not is_environmental(exc):
                raise
            raise click.ClickException(str(explain(exc, None, writing=False))) from exc


def _log_to_file() -> None:
    # Textual owns the terminal, so diagnostics go to a file; children's words never go here.
    try:
        logging.basicConfig(
            filename=user_dir() / "aistories.log",
            level=logging.INFO,
            format="%(asctime)s %(name)s %(levelname)s %(message)s",
        )
    except OSError:
        # A read-only or full data folder: run without the log file, so `aistories doctor` can say why
        # and the store reports it in one line.
        logging.basicConfig(handlers=[logging.NullHandler()], level=logging.INFO)


@click.group(cls=Group, invoke_without_command=True)
@click.version_option(package_name="aistories")
@click.option("--model", default=None, help="Model id from `aistories models list`.")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir).")
@click.option("--world", default=None, help="Starter world name (`aistories worlds list`).")
@click.option("--age-band", type=click.Choice(AGE_BANDS), default=None)
@click.option("--child", default=None, help="The child's pseudonym (never a real name).")
@click.pass_context
def cli(
    ctx: click.Context,
    model: str | None,
    db: str | None,
    world: str | None,
    age_band: str | None,
    child: str | None,
) -> None:
    """Co-create a story with a small local model. With no command: the story app (child mode)."""
    _log_to_file()
    go_offline()
    given = {"model": model, "db": db, "world": world, "age_band": age_band, "child": child}
    check_root_options(ctx.invoked_subcommand, given)
    ctx.obj = {k: v for k, v in given.items() if v is not None}
    if ctx.invoked_subcommand is None:
        make_app(load_settings()).run()


def _register() -> None:
    from . import (
        alerts,
        bench,
        browse,
        chat,
        doctor,
        export,
        models,
        play,
        replay,
        retention,
        safety,
        serve,
        storybook,
        worlds,
    )
    from .eval import eval_group

    for command in (
        play.play,
        chat.chat,
        models.models,
        safety.safety,
        alerts.alerts,
        eval_group,
        worlds.worlds,
        bench.bench,
        export.export,
        browse.browse,
        storybook.storybook,
        doctor.doctor,
        retention.purge,
        retention.forget,
        serve.serve,
        replay.replay,
    ):
        cli.add_command(command)


_register()
