"""The default engine: llama.cpp through llama-cpp-python, fed token ids so the prompt prefix is reused.

llama-cpp-python keeps the longest common token prefix of consecutive calls in its KV cache, and cannot
shift context. Each chat message is tokenised on its own (and cached), and the ids the model generated
for a reply are reused verbatim when that reply comes back as history, so turn N+1's prompt starts with
exactly turn N's tokens and only the new tail is evaluated (DESIGN.md: 1.46 s cold vs 0.38 s prefix hit).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

from ..config import Settings
from ..errors import ModelLoadFailed
from .base import Message, Options, Response, Usage, cut_at_stop
from .registry import ModelEntry, checked_adapter, checked_file

log = logging.getLogger(__name__)

# llama.cpp's OpenMP threads spin while they wait. When anything else wants a core (another app on the
# tablet, a second process), long spinning starves the other thread: with one core busy, 60 tokens took
# 88 s with libgomp's default spin. Passive waiting fixes that (3.9 s) but costs ~80% when idle; a short
# spin keeps idle speed (2.07 s vs 2.03 s default, 341+60 tokens) and stays usable under load (4.75 s).
# libgomp reads this when it is loaded, so it is set before llama_cpp is imported; a ward may override.
if "OMP_WAIT_POLICY" not in os.environ:
    os.environ.setdefault("GOMP_SPINCOUNT", "20000")

IM_START, IM_END = "<|im_start|>", "<|im_end|>"


def physical_cores() -> int:
    """Physical cores, not llama.cpp's default of half the logical ones (DESIGN.md: -26%)."""
    return psutil.cpu_count(logical=False) or os.cpu_count() or 1


class LlamaCppBackend:
    """A GGUF model in-process; one generation at a time (a lock guards the shared KV cache).

    An entry with an `adapter` gets its LoRA applied at load (checked by sha256 first); the adapter's
    system prompt and prefill setting then apply. A missing, altered or unloadable adapter is logged as a
    warning and the base model runs alone, with the base model's prompt: never a crash.
    """

    can_prefill = True
    system_prompt = "system.j2"

    def __init__(self, entry: ModelEntry, n_threads: int | None = None, seed: int | None = None):
        path, self.sha256 = checked_file(entry)
        self.entry = entry
        self.model_id = entry.id
        self.n_ctx = entry.n_ctx
        self.n_threads = n_threads or physical_cores()
        self.adapter: dict[str, str] | None = None
        adapter = checked_adapter(entry)
        self.llm = self._load(path, seed, adapter[0] if adapter else None)
        if adapter is not None and self.llm.lora_path is None:
            adapter = None  # llama.cpp refused it: _load fell back to the base model
        if adapter is not None and entry.adapter is not None:
            self.adapter = {"file": adapter[0].name, "sha256": adapter[1]}
            self.system_prompt = entry.adapter.system_prompt
            self.can_prefill = entry.adapter.prefill
        self._segments: dict[tuple[str, str], list[int]] = {}
        self._banned: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        self._eog = {self.llm.token_eos(), *self._marker(IM_END)}

    def _load(self, path: Path, seed: int | None, lora: Path | None) -> Any:
        """llama.cpp's model (with the LoRA when given; without it if llama.cpp rejects the file)."""
        import llama_cpp  # heavy: imported only when this backend is chosen

        kwargs: dict[str, Any] = {
            "n_ctx": self.n_ctx,
            "n_threads": self.n_threads,
            "n_threads_batch": self.n_threads,
            "seed": seed if seed is not None else llama_cpp.LLAMA_DEFAULT_SEED,
            "verbose": False,
        }
        try:
            if lora is not None:
                try:
                    llm = llama_cpp.Llama(model_path=str(path), lora_path=str(lora), **kwargs)
                    # llama-cpp-python 0.3.36 tests the adapter pointer with `is None`, which a NULL
                    # ctypes pointer never is: a file llama.cpp refused would pass silently.
                    if llm._lora_adapter:
                        return llm
                    llm.close()
                    raise RuntimeError("llama.cpp refused the file (see its log)")
                except (ValueError, RuntimeError) as exc:
                    log.warning("llama.cpp could not apply adapter %s (%s): using the base model.", lora, exc)
            return llama_cpp.Llama(model_path=str(path), **kwargs)
        except (ValueError, RuntimeError) as exc:
            raise ModelLoadFailed(
                f"llama.cpp could not load {path} ({exc}). The file may be damaged: "
                "run `aistories models verify`."
            ) from exc

    @classmethod
    def from_entry(cls, entry: ModelEntry, settings: Settings, **kwargs: Any) -> LlamaCppBackend:
        """Build from a registry entry and settings."""
        return cls(entry, n_threads=kwargs.get("n_threads") or settings.n_threads, seed=settings.seed)

    # tokens ---------------------------------------------------------------------------------------
    def tokenize(self, text: str) -> list[int]:
        """Token ids for text, no BOS; a '<|im_start|>' typed by a child stays plain text."""
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _marker(self, text: str) -> list[int]:
        """Ids for the chat template's own markers, parsed as special tokens."""
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def count_tokens(self, text: str) -> int:
        """Token count of text."""
        return len(self.tokenize(text))

    def _segment(self, role: str, content: str) -> list[int]:
        key = (role, content)
        if key not in self._segments:
            self._segments[key] = (
                self._marker(IM_START) + self.tokenize(f"{role}\n{content}") + self._marker(f"{IM_END}\n")
            )
        return self._segments[key]

    def render_ids(self, messages: list[Message]) -> list[int]:
        """The ChatML prompt as ids, message by message, ending with the assistant header."""
        ids: list[int] = []
        for m in messages:
            ids += self._segment(m["role"], m["content"])
        if len(self._segments) > 4096:  # bound the cache over a long ward day
            self._segments.clear()
        return ids + self._marker(IM_START) + self.tokenize("assistant\n")

    # generation -----------------------------------------------------------------------------------
    def stream(self, messages: list[Message], options: Options) -> Response:
        """Stream a reply; the generated ids are remembered for this reply's reuse as history."""
        usage = Usage()
        return Response(self._generate(self.render_ids(messages), options, usage), usage)

    def generate_ids(self, ids: list[int], options: Options, *, not_first: str = "") -> Response:
        """Stream from a prompt already given as token ids (for callers that build their own); no token
        starting with a `not_first` character comes first."""
        usage = Usage()
        return Response(self._generate(list(ids), options, usage, self._starting_with(not_first)), usage)

    def _starting_with(self, chars: str) -> list[int]:
        """Vocabulary ids whose text (leading spaces aside) starts with one of the characters."""
        if not chars:
            return []
        if chars not in self._banned:
            self._banned[chars] = [
                i
                for i in range(self.llm.n_vocab())
                if self.llm.detokenize([i]).decode("utf-8", errors="ignore").lstrip()[:1] in set(chars)
            ]
        return self._banned[chars]

    def _generate(
        self, ids: list[int], options: Options, usage: Usage, not_first: list[int] | None = None
    ) -> Iterator[str]:
        from llama_cpp import Llama

        started = time.perf_counter()
        budget = self.n_ctx - len(ids)
        if budget < 8:
            raise ModelLoadFailed(f"Prompt of {len(ids)} tokens does not fit the {self.n_ctx}-token window.")
        max_tokens = min(options.max_tokens, budget)
        with self._lock:
            usage.prompt_tokens = len(ids)
            usage.cached_tokens = Llama.longest_token_prefix(self.llm._input_ids.tolist(), ids)
            if options.seed is not None:
                self.llm.set_seed(options.seed)
            out_ids: list[int] = []
            text = ""
            emitted = 0
            finish = "length"
            for token in self.llm.generate(
                ids,
                top_k=options.top_k,
                top_p=options.top_p,
                min_p=options.min_p,
                temp=options.temperature,
                repeat_penalty=options.repeat_penalty,
                reset=True,
                logits_processor=_first_step_ban(len(ids), not_first) if not_first else None,
            ):
                if token in self._eog:
                    finish = "stop"
                    break
                out_ids.append(token)
                # Decode the whole reply each time: a multi-byte character may span tokens.
                text = self.llm.detokenize(out_ids).decode("utf-8", errors="ignore")
                text, stopped = cut_at_stop(text, options.stop)
                if usage.first_token_ms is None:
                    usage.first_token_ms = (time.perf_counter() - started) * 1000
                if len(text) > emitted:
                    yield text[emitted:]
                    emitted = len(text)
                if stopped:
                    finish = "stop"
                    break
                if len(out_ids) >= max_tokens:
                    break
            usage.completion_tokens = len(out_ids)
            usage.finish_reason = finish
            usage.total_ms = (time.perf_counter() - started) * 1000
            # What the model saw for this reply, so the next prompt reuses these exact ids.
            header = self._marker(IM_START) + self.tokenize("assistant\n")
            self._segments[("assistant", text)] = header + out_ids + self._marker(f"{IM_END}\n")

    def describe(self) -> dict[str, Any]:
        """Model id, file sha256, n_ctx, thread count and the adapter applied (file, sha256) or None."""
        return {
            "model_id": self.model_id,
            "sha256": self.sha256,
            "n_ctx": self.n_ctx,
            "engine": "llama_cpp",
            "n_threads": self.n_threads,
            "adapter": self.adapter,
        }


def _first_step_ban(prompt_len: int, banned: list[int]) -> Any:
    """A llama.cpp logits processor that rules the banned ids out of the first generated token only."""
    import numpy as np
    from llama_cpp import LogitsProcessorList

    index = np.array(banned, dtype=np.int64)

    def ban(input_ids: Any, scores: Any) -> Any:
        if len(input_ids) == prompt_len:
            scores[index] = -np.inf
        return scores

    return LogitsProcessorList([ban])
