"""The scripted child session the bench plays: the repo's session scripts back to back, cycled to N lines."""

from __future__ import annotations

from itertools import cycle, islice
from pathlib import Path

from ..config import data_dir

# Used only where no session scripts are found (story_sessions/ ships with the package).
BUILTIN = (
    "hello",
    "a cat called mo",
    "mo is blue",
    "dunno",
    "the first one",
    "what colour is mo?",
    "mo finds a magic key",
    "the key opens a door in the sky",
    "a dragon called zog lives there",
    "zog likes cake",
    "they have a picnic",
    "what does zog eat?",
)


def repo_file(*parts: str) -> Path | None:
    """A file in the source checkout (tests/data/...), None when running from an installed wheel."""
    path = data_dir("prompts").parent.joinpath(*parts)
    return path if path.exists() else None


def read_lines(path: Path) -> list[str]:
    """Child lines of a script: one per line, blank lines and `#` comments skipped."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def default_lines() -> list[str]:
    """Every shipped session script (story_sessions/, top level, in name order), or the built-in one."""
    folder = data_dir("story_sessions")
    lines = [ln for f in sorted(folder.glob("*.txt")) for ln in read_lines(f)] if folder.is_dir() else []
    return lines or list(BUILTIN)


def script_lines(turns: int, path: Path | None = None) -> list[str]:
    """Exactly `turns` child lines: the script cycled as often as needed."""
    lines = read_lines(path) if path is not None else default_lines()
    if not lines:
        raise ValueError(f"no child lines in {path}")
    return list(islice(cycle(lines), turns))
