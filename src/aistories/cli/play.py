"""`aistories play --script FILE --json`: one child utterance per line through the full pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import AGE_BANDS
from ..dialogue import TurnDone
from ..errors import ScriptError
from .options import load_settings
from .wiring import ending, make_manager


def read_script(path: Path) -> list[str]:
    """Utterances from a script file: one per line; blank lines and `#` comments skipped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScriptError(f"Cannot read script {path}: {exc.strerror}.") from exc
    if b"\x00" in raw:
        raise ScriptError(
            f"Script {path} looks binary (NUL bytes): give a UTF-8 text file, one line per turn."
        )
    text = raw.decode("utf-8", errors="replace")
    return [ln for ln in (line.strip() for line in text.splitlines()) if ln and not ln.startswith("#")]


@click.command()
@click.option(
    "--script",
    "script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Text file: one child utterance per line; lines starting with # are comments.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per turn.")
@click.option("--world", default=None, help="Starter world name.")
@click.option("--age-band", type=click.Choice(AGE_BANDS), default=None)
@click.option("--seed", type=int, default=None, help="Sampling seed for reproducible runs.")
@click.option(
    "--db", type=click.Path(dir_okay=False), default=None, help="SQLite file; continues the child's world."
)
@click.option("--model", default=None, help="Model id (default: the embedded model).")
@click.option("--child", default=None, help="The child's pseudonym.")
@click.option("--consent-research", is_flag=True, help="Record research consent for this child.")
def play(
    script: Path,
    as_json: bool,
    world: str | None,
    age_band: str | None,
    seed: int | None,
    db: str | None,
    model: str | None,
    child: str | None,
    consent_research: bool,
) -> None:
    """Play a scripted child session and print each turn."""
    lines = read_script(script)
    settings = load_settings(
        model=model,
        db=db,
        world=world,
        age_band=age_band,
        seed=seed,
        child=child,
        consent_research=consent_research or None,
    )
    manager = make_manager(settings)
    with ending(manager):
        for line in lines:
            for event in manager.turn(line):
                if isinstance(event, TurnDone):
                    if as_json:
                        click.echo(json.dumps(event.to_contract(), ensure_ascii=False))
                    else:
                        click.echo(f"child> {event.child}\nstory> {event.reply}\n")
