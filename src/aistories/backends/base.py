"""The backend protocol: every engine (llama.cpp, transformers, a ward server, the fake) looks like this.

Shaped like llm's Model: a small class with `model_id`, capability flags and a pydantic `Options`.
The dialogue layer speaks in chat messages; each backend turns them into what its engine wants
(llama_cpp into token ids with a stable prefix, openai_http into a JSON request).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypedDict

from pydantic import BaseModel, ConfigDict, Field


class Message(TypedDict):
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    content: str


class Options(BaseModel):
    """Sampling options; every backend maps what it can and ignores nothing silently (extra='forbid')."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(80, ge=1, le=2048)
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(0.95, gt=0.0, le=1.0)
    top_k: int = Field(40, ge=0)
    min_p: float = Field(0.05, ge=0.0, le=1.0)
    repeat_penalty: float = Field(1.1, ge=1.0, le=2.0)
    seed: int | None = None
    stop: list[str] = Field(default_factory=list)


@dataclass
class Usage:
    """Token counts and timings of one generation, filled in as the stream is consumed."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    first_token_ms: float | None = None
    total_ms: float = 0.0
    finish_reason: str = ""


@dataclass
class Response:
    """A streaming reply: iterate for text chunks; `text` and `usage` are complete once it is exhausted."""

    chunks: Iterator[str]
    usage: Usage = field(default_factory=Usage)
    text: str = ""

    def __iter__(self) -> Iterator[str]:
        for chunk in self.chunks:
            self.text += chunk
            yield chunk

    def complete(self) -> str:
        """Consume the whole stream and return the text."""
        for _ in self:
            pass
        return self.text


class Backend(Protocol):
    """What the dialogue layer needs from a model engine.

    Capability flags say what else it can do; the dialogue layer reads them, never `hasattr`:
    `can_prefill` means the backend also implements `Prefill` (prompts as token ids, and continuing an
    assistant turn the caller has started), which keeps llama.cpp's cached prefix and lets the composer
    pre-fill the opener the model continues. `system_prompt` names the prompts/ template the model
    was trained for (a storyteller adapter has its own compact one; every other model: system.j2).
    """

    model_id: str
    can_prefill: bool
    n_ctx: int
    system_prompt: str

    def stream(self, messages: list[Message], options: Options) -> Response:
        """Generate a reply to `messages`; the Response streams text chunks."""
        ...

    def count_tokens(self, text: str) -> int:
        """How many tokens `text` costs in this model's vocabulary."""
        ...

    def describe(self) -> dict[str, Any]:
        """Id, file sha256, n_ctx and engine details for the turn log."""
        ...


class Prefill(Protocol):
    """The token-id interface of a backend whose `can_prefill` is True."""

    def tokenize(self, text: str) -> list[int]:
        """Token ids for text (chat markers in it are plain text, never special tokens)."""
        ...

    def render_ids(self, messages: list[Message]) -> list[int]:
        """The chat prompt as token ids, ending with the assistant header."""
        ...

    def generate_ids(self, ids: list[int], options: Options, *, not_first: str = "") -> Response:
        """Stream a continuation of a prompt given as token ids. No token whose text starts with one of
        the `not_first` characters may come first (a continued sentence must carry on, not open a
        'Zog: ...' label copied from the story notes)."""
        ...


def timed_stream(source: Iterator[str], usage: Usage, started: float | None = None) -> Iterator[str]:
    """Wrap a chunk iterator so first-token and total times land in `usage`."""
    started = time.perf_counter() if started is None else started
    for chunk in source:
        if usage.first_token_ms is None and chunk:
            usage.first_token_ms = (time.perf_counter() - started) * 1000
        yield chunk
    usage.total_ms = (time.perf_counter() - started) * 1000


def cut_at_stop(text: str, stops: list[str]) -> tuple[str, bool]:
    """Text up to the first stop string, and whether one was found."""
    cut = min((i for i in (text.find(s) for s in stops if s) if i >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)


CountTokens = Callable[[str], int]
