"""One place that resolves settings for every command: defaults < config.toml < environment < options.

Options given before the command (`aistories --db X alerts list`) apply to that command exactly as if
they were given after it (the later one wins when both are); a root option the command has no use for
is refused with a clear message, never silently ignored: a command that quietly reads the default
database on a ward is a data-protection fault.
"""

from __future__ import annotations

import click

from ..config import Settings

ROOT_OPTIONS = ("model", "db", "world", "age_band", "child")
# Which root options each command honours (the rest are refused for it).
HONOURS: dict[str, set[str]] = {
    "play": set(ROOT_OPTIONS),
    "chat": set(ROOT_OPTIONS),
    "alerts": {"db"},
    "eval": {"model", "db"},
    "models": set(),
    "worlds": set(),
    "safety": set(),
    "export": {"db"},
    "browse": {"db"},
    "storybook": {"db"},
    "replay": {"db"},
    "purge": {"db"},
    "forget": {"db"},
    "bench": {"model"},
    "doctor": {"db", "model"},
    # Not --child: each tablet gets its own child (a fresh pseudonym, or the page's ?child=).
    "serve": {"model", "db", "world", "age_band"},
}


def check_root_options(command: str | None, given: dict[str, object]) -> None:
    """Refuse root options the command would not use."""
    if command is None:
        return
    unused = [k for k, v in given.items() if v is not None and k not in HONOURS.get(command, set())]
    if unused:
        names = ", ".join("--" + k.replace("_", "-") for k in unused)
        raise click.UsageError(f"{names} does not apply to `aistories {command}`; leave it out.")


def root_option(name: str) -> object:
    """An option given before the command (None when it was not)."""
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}).get(name) if ctx is not None else None


def load_settings(**own: object) -> Settings:
    """Settings for the running command: its own options over the root options over the rest."""
    ctx = click.get_current_context(silent=True)
    root = (ctx.find_root().obj or {}) if ctx is not None else {}
    merged = {**root, **{k: v for k, v in own.items() if v is not None}}
    return Settings.load(**merged)
