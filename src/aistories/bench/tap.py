"""Taps that record every generation a turn asks of the engine, so the raw anchor can replay it exactly.

The llama.cpp tap sits between LlamaCppBackend and its `Llama` object and sees the very token ids, the
sampling arguments, the seed and the KV-cache contents each call started from, and every token drawn.
Other engines (the fake, transformers, a ward server) get a tap around `generate_ids`/`stream` that
records the request and how many chunks the turn consumed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One generation as a turn made it: the request, what it drew, and when the first token came."""

    ids: list[int] | None  # prompt token ids (None: a chat-message request)
    kwargs: dict[str, Any]  # sampling arguments (llama.cpp) or {"options": ..., "messages": ...}
    seed: int | None = None
    before: list[int] = field(default_factory=list)  # KV-cache tokens when the call started (llama.cpp)
    tokens: list[Any] = field(default_factory=list)  # token ids drawn (llama.cpp) or chunks consumed
    started: float = 0.0
    first_token_at: float | None = None


class LlamaTap:
    """Stands in for a llama_cpp.Llama: delegates everything, records each `generate` call."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.calls: list[Call] = []
        self._seed: int | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.llm, name)

    def set_seed(self, seed: int) -> None:
        """Remember the seed the backend set, then set it."""
        self._seed = seed
        self.llm.set_seed(seed)

    def generate(self, tokens: list[int], **kwargs: Any) -> Iterator[int]:
        """llama.cpp's token generator, with every drawn token recorded."""
        call = Call(list(tokens), dict(kwargs), self._seed, list(self.llm._input_ids.tolist()))
        call.started = time.perf_counter()
        self.calls.append(call)
        for token in self.llm.generate(tokens, **kwargs):
            if call.first_token_at is None:
                call.first_token_at = time.perf_counter()
            call.tokens.append(token)
            yield token


class BackendTap:
    """Wraps a backend instance's `generate_ids` and `stream` (any engine), recording each request."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.calls: list[Call] = []
        self.originals: dict[str, Callable[..., Any]] = {}
        for name in ("generate_ids", "stream"):
            if hasattr(backend, name):
                self.originals[name] = getattr(backend, name)
                setattr(backend, name, self._wrap(name))

    def _wrap(self, name: str) -> Callable[..., Any]:
        def tapped(request: Any, options: Any, **kw: Any) -> Any:
            is_ids = name == "generate_ids"
            call = Call(list(request) if is_ids else None, {"options": options, "messages": request, **kw})
            call.started = time.perf_counter()
            self.calls.append(call)
            response = self.originals[name](request, options, **kw)
            response.chunks = self._count(response.chunks, call)
            return response

        return tapped

    @staticmethod
    def _count(chunks: Iterator[str], call: Call) -> Iterator[str]:
        for chunk in chunks:
            if call.first_token_at is None:
                call.first_token_at = time.perf_counter()
            call.tokens.append(chunk)
            yield chunk


Tap = LlamaTap | BackendTap


def install_tap(backend: Any) -> Tap:
    """The right tap for this backend, installed: llama.cpp at the `Llama` object, others at the backend."""
    if backend.describe().get("engine") == "llama_cpp" and hasattr(backend, "llm"):
        tap = LlamaTap(backend.llm)
        backend.llm = tap
        return tap
    return BackendTap(backend)
