"""A ward server speaking the OpenAI chat API (llama.cpp server, vLLM, Ollama): many tablets, one model.

Switching a tablet to the ward server is configuration (`--model ward-server` plus `ward_server_url`),
not code: the dialogue layer sends the same messages it sends the embedded model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from ..config import Settings
from ..errors import BackendUnavailable
from .base import Message, Options, Response, Usage


class OpenAIHttpBackend:
    """Streams chat completions over HTTP (server-sent events)."""

    can_prefill = False
    system_prompt = "system.j2"

    def __init__(
        self,
        model_id: str,
        base_url: str,
        served_model: str,
        n_ctx: int = 2048,
        api_key: str | None = None,
        timeout: float = 60.0,
    ):
        try:
            import httpx
        except ImportError as exc:
            raise BackendUnavailable(
                "The ward-server backend needs httpx: pip install 'aistories[http]'."
            ) from exc
        self.model_id = model_id
        self.base_url = base_url.rstrip("/")
        self.served_model = served_model
        self.n_ctx = n_ctx
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)
        self._httpx = httpx

    @classmethod
    def from_entry(cls, entry: Any, settings: Settings, **kwargs: Any) -> OpenAIHttpBackend:
        """Build from a registry entry; settings.ward_server_url overrides the entry's url."""
        url = kwargs.get("base_url") or settings.ward_server_url or entry.source.url
        return cls(
            entry.id,
            url,
            entry.source.served_model or entry.id,
            entry.n_ctx,
            api_key=settings.ward_server_api_key,
        )

    def stream(self, messages: list[Message], options: Options) -> Response:
        """POST /chat/completions with stream=true and yield the deltas."""
        usage = Usage()
        body: dict[str, Any] = {
            "model": self.served_model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "top_p": options.top_p,
            # Not in OpenAI's API, but llama.cpp server and vLLM accept them; others ignore them.
            "top_k": options.top_k,
            "min_p": options.min_p,
            "repeat_penalty": options.repeat_penalty,
            "repetition_penalty": options.repeat_penalty,
        }
        if options.stop:
            body["stop"] = options.stop
        if options.seed is not None:
            body["seed"] = options.seed
        return Response(self._events(body, usage), usage)

    def _events(self, body: dict[str, Any], usage: Usage) -> Iterator[str]:
        started = time.perf_counter()
        try:
            with self.client.stream("POST", "/chat/completions", json=body) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise BackendUnavailable(
                        f"Ward server {self.base_url} answered {resp.status_code}: {resp.text[:120]}"
                    )
                for line in resp.iter_lines():
                    chunk = self._parse(line, usage)
                    if chunk:
                        if usage.first_token_ms is None:
                            usage.first_token_ms = (time.perf_counter() - started) * 1000
                        yield chunk
        except self._httpx.TransportError as exc:
            raise BackendUnavailable(
                f"Ward server {self.base_url} is not reachable ({type(exc).__name__}). "
                "Check the ward network or set ward_server_url in config.toml."
            ) from exc
        usage.total_ms = (time.perf_counter() - started) * 1000

    @staticmethod
    def _parse(line: str, usage: Usage) -> str:
        if not line.startswith("data:"):
            return ""
        data = line[5:].strip()
        if not data or data == "[DONE]":
            return ""
        event = json.loads(data)
        if event.get("usage"):
            usage.prompt_tokens = event["usage"].get("prompt_tokens", 0)
            usage.completion_tokens = event["usage"].get("completion_tokens", 0)
        for choice in event.get("choices") or []:
            if choice.get("finish_reason"):
                usage.finish_reason = choice["finish_reason"]
            return str((choice.get("delta") or {}).get("content") or "")
        return ""

    def count_tokens(self, text: str) -> int:
        """An estimate (4 characters a token): the server's tokenizer is not ours to call per turn."""
        return max(1, len(text) // 4)

    def describe(self) -> dict[str, Any]:
        """The server's address and the model it serves."""
        return {
            "model_id": self.model_id,
            "sha256": None,
            "n_ctx": self.n_ctx,
            "engine": "openai_http",
            "base_url": self.base_url,
            "served_model": self.served_model,
        }
