"""CPU torch through transformers: loads a local HF folder or a GGUF file (de-quantised to fp32).

About 7x slower than llama.cpp here (DESIGN.md: ~20 vs ~138 tok/s); it exists for research comparisons
and models llama.cpp cannot run. Never downloads: local files only, hub access switched off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import Settings, go_offline
from ..errors import BackendUnavailable, ModelLoadFailed
from .base import Message, Options, Response, Usage, cut_at_stop
from .registry import ModelEntry, checked_file


class TransformersBackend:
    """A causal LM on CPU torch, streamed with TextIteratorStreamer."""

    can_prefill = False
    system_prompt = "system.j2"

    def __init__(self, entry: ModelEntry, n_threads: int | None = None):
        go_offline()
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise BackendUnavailable(
                "The transformers backend needs extras: pip install 'aistories[transformers]'."
            ) from exc
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        path, self.sha256 = checked_file(entry)
        folder, kwargs = (path.parent, {"gguf_file": path.name}) if path.suffix == ".gguf" else (path, {})
        if n_threads:
            torch.set_num_threads(n_threads)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(Path(folder), local_files_only=True, **kwargs)
            self.model = AutoModelForCausalLM.from_pretrained(Path(folder), local_files_only=True, **kwargs)
        except (OSError, ValueError) as exc:
            raise ModelLoadFailed(f"transformers could not load {path}: {exc}".splitlines()[0]) from exc
        self.model.eval()
        self.model_id = entry.id
        self.n_ctx = entry.n_ctx
        self._torch = torch

    @classmethod
    def from_entry(cls, entry: ModelEntry, settings: Settings, **kwargs: Any) -> TransformersBackend:
        """Build from a registry entry."""
        return cls(entry, n_threads=settings.n_threads)

    def count_tokens(self, text: str) -> int:
        """Token count of text."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def stream(self, messages: list[Message], options: Options) -> Response:
        """Generate in a worker thread and stream decoded text."""
        usage = Usage()
        return Response(self._generate(messages, options, usage), usage)

    def _generate(self, messages: list[Message], options: Options, usage: Usage) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        started = time.perf_counter()
        encoded = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        input_ids = encoded["input_ids"]
        usage.prompt_tokens = int(input_ids.shape[-1])
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        sampling = options.temperature > 0
        gen_kwargs: dict[str, Any] = {
            "input_ids": input_ids,
            "attention_mask": encoded.get("attention_mask"),
            "max_new_tokens": options.max_tokens,
            "do_sample": sampling,
            "repetition_penalty": options.repeat_penalty,
            "streamer": streamer,
            "pad_token_id": self.tokenizer.eos_token_id,
        }
        if sampling:
            gen_kwargs.update(temperature=options.temperature, top_p=options.top_p, top_k=options.top_k)
        if options.seed is not None:
            self._torch.manual_seed(options.seed)
        result: dict[str, Any] = {}

        def work() -> None:
            with self._torch.inference_mode():
                result["out"] = self.model.generate(**gen_kwargs)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        text = ""
        for piece in streamer:
            if usage.first_token_ms is None and piece:
                usage.first_token_ms = (time.perf_counter() - started) * 1000
            new_text, stopped = cut_at_stop(text + piece, options.stop)
            if len(new_text) > len(text):
                yield new_text[len(text) :]
            text = new_text
            if stopped:
                break
        worker.join()
        out = result.get("out")
        usage.completion_tokens = int(out.shape[-1] - usage.prompt_tokens) if out is not None else 0
        usage.finish_reason = "stop" if usage.completion_tokens < options.max_tokens else "length"
        usage.total_ms = (time.perf_counter() - started) * 1000

    def describe(self) -> dict[str, Any]:
        """Model id, sha256, n_ctx."""
        return {
            "model_id": self.model_id,
            "sha256": self.sha256,
            "n_ctx": self.n_ctx,
            "engine": "transformers",
        }
