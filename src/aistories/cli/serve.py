"""`aistories serve`: the story app for the ward's tablets, in their browsers (textual-serve)."""

from __future__ import annotations

import ipaddress

import click

from ..backends import get_entry
from ..config import AGE_BANDS, Settings
from .options import load_settings


def app_args(settings: Settings) -> list[str]:
    """The options every tablet's app process gets: the same model, database, world and age band."""
    args = [
        "--model",
        settings.model,
        "--db",
        str(settings.db_path.resolve()),
        "--age-band",
        settings.age_band,
    ]
    return args + (["--world", settings.world] if settings.world else [])


def is_loopback(host: str) -> bool:
    """True when only this machine can reach the address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--world", default=None, help="Starter world the tablets offer first.")
@click.option("--age-band", type=click.Choice(AGE_BANDS), default=None)
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="SQLite file (default: user dir).")
@click.option("--model", default=None, help="Model id from `aistories models list`.")
def serve(
    host: str, port: int, world: str | None, age_band: str | None, db: str | None, model: str | None
) -> None:
    """Serve the story app to the ward's tablets: each browser tab gets its own story and child.

    Open http://HOST:PORT/ in a tablet's browser; add ?child=PSEUDONYM to carry on that child's stories.
    The page loads nothing from outside this server.
    """
    from ..app.serve import WardServer

    settings = load_settings(model=model, db=db, world=world, age_band=age_band)
    get_entry(settings.model)  # an unknown model fails here, not on the first tablet
    server = WardServer(app_args(settings), host=host, port=port)
    if not is_loopback(host):
        click.echo(f"Listening on {host}: any device that can reach this machine can open the stories.")
    click.echo(f"Serving the story app on {server.public_url}/ (Ctrl+C stops it).")
    server.serve()
