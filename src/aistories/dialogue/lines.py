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

import yaml

from ..config import data_dir

LINES_FILE = "lines.yaml"


@cache
def _load() -> dict[str, Any]:
    return yaml.safe_load((data_dir("prompts") / LINES_FILE).read_text(encoding="utf-8"))


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
