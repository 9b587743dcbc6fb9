"""Render prompts/*.j2 and record which template (and which bytes of it) made each prompt."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from ..config import data_dir


@dataclass(frozen=True)
class Rendered:
    """A rendered prompt and the template that made it."""

    text: str
    name: str
    sha256: str


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("prompts"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain text for a model, never HTML
    )


@cache
def template_sha256(name: str) -> str:
    """sha256 of the template file's bytes."""
    return hashlib.sha256((data_dir("prompts") / name).read_bytes()).hexdigest()


def render_prompt(name: str, **context: Any) -> Rendered:
    """Render one template with context."""
    text = _environment().get_template(name).render(**context).strip()
    return Rendered(text, name, template_sha256(name))


WINDOW_TURNS = 8  # dialogue pairs kept verbatim at most
MESSAGE_OVERHEAD = 4  # chat-template tokens around each message (role markers, end of turn)


def fit_tokens(text: str, count: Any, budget: int) -> str:
    """The longest start of a text, cut at a word where it can be, that is at most `budget` tokens.

    Budgets that protect the model's window are counted in tokens, not characters: 500 characters of
    emoji or one made-up 300-letter word can be a thousand tokens.
    """
    if count(text) <= budget:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        mid = (low + high + 1) // 2
        if count(text[:mid]) <= budget:
            low = mid
        else:
            high = mid - 1
    cut = text[:low]
    space = cut.rfind(" ")
    return (cut[:space] if space > low // 2 else cut).rstrip()


def prompt_tokens(messages: list[dict[str, str]], count: Any) -> int:
    """Tokens a chat prompt takes (content plus each message's template overhead)."""
    return sum(count(m["content"]) + MESSAGE_OVERHEAD for m in messages)


TRIM_CHUNK = 4  # dropped together, so the cached prefix breaks once per four turns, not every turn


@dataclass
class Window:
    """The dialogue kept in the prompt: append-only, trimmed in large chunks, with a running summary."""

    pairs: list[tuple[str, str]]
    summary: str = ""
    trims: int = 0

    def trim(self, summarise: Any = None) -> None:
        """Drop the oldest chunk of turns now (a prompt that would not fit the window)."""
        del self.pairs[:TRIM_CHUNK]
        self.trims += 1
        if summarise is not None:
            self.summary = summarise()

    def append(self, child: str, reply: str, summarise: Any = None) -> bool:
        """Add a turn; trims the oldest chunk when full (True then) and refreshes the summary."""
        self.pairs.append((child, reply))
        if len(self.pairs) <= WINDOW_TURNS:
            return False
        del self.pairs[:TRIM_CHUNK]
        self.trims += 1
        if summarise is not None:
            self.summary = summarise()
        return True


class PromptBuilder:
    """Messages for one turn: static system prefix, summary, dialogue, then snapshot and move last."""

    def __init__(self, age_band: str, world: Any, system: str = "system.j2") -> None:
        vocabulary = list(getattr(world, "vocabulary", {}).get(age_band, []))
        self.system = render_prompt(system, age_band=age_band, world=world, vocabulary=vocabulary)

    def build(
        self, window: Window, child_text: str, snapshot: str, move: str, **context: Any
    ) -> tuple[list[dict[str, str]], dict[str, str]]:
        """(messages, {template name: sha256}) for this turn."""
        instruction = render_prompt(f"moves/{move}.j2", **context)
        tail = render_prompt(
            "turn.j2", child_text=child_text, snapshot=snapshot, instruction=instruction.text
        )
        messages = [{"role": "system", "content": self.system.text}]
        if window.summary:
            messages.append({"role": "system", "content": f"Earlier in the story: {window.summary}"})
        for child, reply in window.pairs:
            messages.append({"role": "user", "content": child})
            messages.append({"role": "assistant", "content": reply})
        messages.append({"role": "user", "content": tail.text})
        used = {r.name: r.sha256 for r in (self.system, instruction, tail)}
        return messages, used
