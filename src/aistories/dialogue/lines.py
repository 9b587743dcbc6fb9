"""Templated pieces of storyteller turns (prompts/lines.yaml): openers, questions, choices, fallbacks.

Picks rotate: the least-used line of a group is chosen first (ties broken by a seeded random), so a
session rarely says the same frame twice in a row and distinct-2 stays high.
"""

from __future__ import annotations

import hashlib
import random
import string
from collections import Counter
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from typing_extensions import TypeAliasType

from ..config import data_dir
from ..datafiles import load_data

LINES_FILE = "lines.yaml"

# A group of lines: a list, or named subgroups (purposes, age bands) down to lists.
Group = TypeAliasType("Group", "list[str] | dict[str, Group]")


class LinesFile(BaseModel):
    """prompts/lines.yaml: declared placeholders, then groups of lines that may use only those."""

    model_config = ConfigDict(extra="forbid")

    placeholders: dict[str, str]
    groups: dict[str, Group]

    @model_validator(mode="before")
    @classmethod
    def _split(cls, data: Any) -> Any:
        if isinstance(data, dict) and "groups" not in data:
            data = dict(data)
            return {"placeholders": data.pop("placeholders", {}), "groups": data}
        return data

    @model_validator(mode="after")
    def _known_placeholders(self) -> LinesFile:
        for where, line in _leaves(self.groups, ""):
            for _, name, _, _ in string.Formatter().parse(line):
                if name is not None and name not in self.placeholders:
                    known = ", ".join(sorted(self.placeholders))
                    raise ValueError(
                        f"{where}: unknown placeholder {{{name}}} in {line!r} (declared: {known})"
                    )
        return self


def _leaves(node: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(node, list):
        return [(f"{where}[{i}]", line) for i, line in enumerate(node)]
    return [leaf for key, sub in node.items() for leaf in _leaves(sub, f"{where}.{key}".strip("."))]


@cache
def _load() -> dict[str, Any]:
    return load_data(data_dir("prompts") / LINES_FILE, LinesFile).groups


def group(*path: str) -> list[str]:
    """Every line of a group, as written (option verbs, frames)."""
    node: Any = _load()
    for key in path:
        node = node[key]
    return [str(line) for line in node]


def frame(*path: str) -> str:
    """The one line of a single-line group (answer frames, clash questions, recap frames)."""
    return group(*path)[0]


@cache
def lines_sha256() -> str:
    """sha256 of lines.yaml, logged with every turn like the templates."""
    return hashlib.sha256((data_dir("prompts") / LINES_FILE).read_bytes()).hexdigest()


class _Blank(dict[str, str]):
    """format_map mapping that leaves unknown placeholders empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, ctx: dict[str, str]) -> str:
    """Fill {placeholders}; unknown ones become empty; whitespace and stray spaces tidied."""
    try:
        text = string.Formatter().vformat(template, (), _Blank(ctx))
    except (ValueError, IndexError):
        text = template
    return " ".join(text.split()).replace(" ,", ",").replace(" ?", "?").replace(" !", "!")


class Lines:
    """Chooses lines by group and age band, rotating through them."""

    def __init__(self, age_band: str, seed: int | None = None) -> None:
        self.age_band = age_band
        self.rng = random.Random(seed)
        self.used: Counter[str] = Counter()

    def options(self, *path: str) -> list[str]:
        """The lines of one group for this age band (band-specific first, else 'all')."""
        node: Any = _load()
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if isinstance(node, list):
            return node
        return list(node.get(self.age_band) or node.get("all") or [])

    def pick(self, *path: str, ctx: dict[str, str]) -> str:
        """A filled line from a group: the least used so far, random among equals."""
        choices = self.options(*path)
        if not choices:
            return ""
        low = min(self.used[c] for c in choices)
        template = self.rng.choice([c for c in choices if self.used[c] == low])
        self.used[template] += 1
        return fill(template, ctx)
