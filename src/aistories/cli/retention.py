"""`aistories purge` and `aistories forget`: delete old stories or one child's data, then VACUUM.

Both keep anything with an unacknowledged safeguarding alert, as carer mode's delete does; acknowledged
alerts go with the data (store/retention.py says why).
"""

from __future__ import annotations

from typing import Any

import click

from .options import load_settings

_DB = click.option(
    "--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir)."
)
_YES = click.option("--yes", is_flag=True, help="Do not ask before deleting (scheduled runs).")


@click.command(name="forget")
@click.argument("child")
@_DB
@_YES
def forget(child: str, db: str | None, yes: bool) -> None:
    """Delete every row and text about CHILD (pseudonym or id), the child too, then compact the file."""
    from ..store import Store
    from ..store.retention import find_child
    from ..store.retention import forget as forget_child

    store = Store.open(load_settings(db=db).db_path)
    find_child(store.db, child)  # an unknown child is a one-line error before any question
    if not yes:
        click.confirm(f"Delete all of {child!r}'s stories, world and feedback for good?", abort=True)
    removed = forget_child(store.db, child)
    click.echo(
        f"Forgot {child!r}: deleted the child, {removed.summary()}. {_compacted(removed.is_compacted)}"
    )


@click.command(name="purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    default=None,
    help="Days since a story's last turn (default: retention_days in config.toml, 90 unless set).",
)
@click.option("--dry-run", is_flag=True, help="Only list the stories that would go.")
@_DB
@_YES
def purge(days: int | None, dry_run: bool, db: str | None, yes: bool) -> None:
    """Delete stories untouched for DAYS (their turns, world, feedback), and children left with none."""
    from ..store import Store
    from ..store.retention import purge as purge_stories

    settings = load_settings(db=db)
    days = days or settings.retention_days
    store = Store.open(settings.db_path)
    plan = purge_stories(store.db, days, dry_run=True)
    what = f"{_n(len(plan.stories), 'story')} and {_n(plan.children, 'child')}"
    if dry_run or not (plan.stories or plan.children):
        for story in plan.stories:
            click.echo(f"would delete: {story['pseudonym']} / {story['world']} (last {story['last_utc']})")
        click.echo(
            f"{_n(len(plan.stories), 'story')} and {_n(plan.children, 'child')} older than {days} days."
        )
        _echo_kept(plan.kept)
        return
    if not yes:
        click.confirm(
            f"Delete {what} older than {days} days?",
            abort=True,
        )
    report = purge_stories(store.db, days)
    click.echo(
        f"Purged {_n(len(report.stories), 'story')} and {_n(report.children, 'child')} with nothing "
        f"newer than {days} days ({report.removed.summary()}). {_compacted(report.removed.is_compacted)}"
    )
    _echo_kept(report.kept)


def _echo_kept(kept: list[dict[str, Any]]) -> None:
    if not kept:
        return
    ids = ", ".join(a for s in kept for a in s["open_alerts"])
    click.echo(
        f"Kept {_n(len(kept), 'old story')} with a safeguarding alert "
        f"nobody has acknowledged ({ids}): acknowledge it (`aistories alerts ack ID --by NAME`, or in "
        "carer mode), then purge again."
    )


def _compacted(is_compacted: bool) -> str:
    if is_compacted:
        return "The file was compacted (VACUUM): nothing deleted remains in it."
    return (
        "Another program has the database open, so its write-ahead log may still hold deleted text: "
        "close the app and run this again."
    )


def _n(count: int, word: str) -> str:
    plural = {"story": "stories", "child": "children", "old story": "old stories"}[word]
    return f"{count} {word if count == 1 else plural}"
