"""The anchor: each recorded generation again, straight on the raw engine, from the same cache state.

For llama.cpp the KV cache is first put back (untimed) to exactly what it held when the turn's call
began, so prefix reuse is the same; then the same prompt ids are generated with the same sampling
arguments and seed, and stopped after the same number of tokens. Only that is timed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .tap import BackendTap, Call, LlamaTap, Tap


@dataclass
class Replayed:
    """Raw time of one turn's generations, and whether the raw engine drew the very same tokens."""

    ms: float = 0.0
    cpu_ms: float = 0.0  # CPU time of the whole process (llama.cpp's threads included)
    tokens: int = 0
    same_tokens: bool = True


def replay(tap: Tap, calls: list[Call]) -> Replayed:
    """Replay a turn's calls on the raw engine behind the tap."""
    out = Replayed()
    for call in calls:
        if isinstance(tap, LlamaTap):
            ms, cpu_ms, same = _replay_llama(tap.llm, call)
        else:
            ms, cpu_ms, same = _replay_backend(tap, call)
        out.ms += ms
        out.cpu_ms += cpu_ms
        out.tokens += len(call.tokens)
        out.same_tokens = out.same_tokens and same
    return out


def _restore_cache(llm: Any, state: list[int], kwargs: dict[str, Any]) -> None:
    """Leave exactly `state` in the KV cache (evaluating only what differs), as the turn found it."""
    if not state:
        llm.reset()
        return
    if llm._input_ids.tolist() == state:
        return
    primer = llm.generate(state, **kwargs)
    next(primer)  # evaluates the uncached part of `state`; the sampled token is dropped, never evaluated
    primer.close()


def _replay_llama(llm: Any, call: Call) -> tuple[float, float, bool]:
    _restore_cache(llm, call.before, call.kwargs)
    if call.seed is not None:
        llm.set_seed(call.seed)
    want = max(1, len(call.tokens))
    drawn: list[int] = []
    cpu = time.process_time()
    started = time.perf_counter()
    tokens = llm.generate(call.ids, **call.kwargs)
    for token in tokens:
        drawn.append(token)
        if len(drawn) >= want:
            break
    ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    tokens.close()
    return ms, cpu_ms, drawn == call.tokens


def _replay_backend(tap: BackendTap, call: Call) -> tuple[float, float, bool]:
    name = "generate_ids" if call.ids is not None else "stream"
    request = call.ids if call.ids is not None else call.kwargs["messages"]
    want = max(1, len(call.tokens))
    drawn: list[str] = []
    cpu = time.process_time()
    started = time.perf_counter()
    extra = {k: v for k, v in call.kwargs.items() if k not in ("options", "messages")}
    response = tap.originals[name](request, call.kwargs["options"], **extra)
    for chunk in response.chunks:
        drawn.append(chunk)
        if len(drawn) >= want:
            break
    ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    close = getattr(response.chunks, "close", None)
    if close is not None:
        close()
    return ms, cpu_ms, drawn == call.tokens
