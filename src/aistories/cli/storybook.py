"""`aistories storybook SESSION`: the story a child made, as a book for the family (HTML or PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import load_settings

if TYPE_CHECKING:
    from ..store import Store


@click.command(name="storybook")
@click.argument("session")
@click.option("--format", "fmt", type=click.Choice(("html", "pdf")), default="html", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir).")
def storybook(session: str, fmt: str, out: Path, db: str | None) -> None:
    """Write SESSION's story as a book: title, the child's name, the story as prose and its cast."""
    from ..export.storybook import write_storybook
    from ..store import Store

    store = Store.open(load_settings(db=db).db_path)
    book = write_storybook(store, session, out, fmt, title=_world_title(store, session))
    click.echo(f"Wrote {book.title!r} ({len(book.pages)} turns, {len(book.cast)} characters) to {out}")


def _world_title(store: Store, session: str) -> str | None:
    """The starter world's title for the book, None when the session or world is unknown."""
    from ..errors import AistoriesError
    from ..world import load_world

    row = store.db.execute("select world from sessions where id = ?", [session]).fetchone()
    if not row or not row[0]:
        return None
    try:
        return load_world(row[0]).title
    except AistoriesError:
        return None
