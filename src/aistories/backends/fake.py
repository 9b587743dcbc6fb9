"""A deterministic backend for fast unit tests: scripted replies, and a record of what it was sent."""

from __future__ import annotations

from typing import Any

from .base import Message, Options, Response, Usage, timed_stream

DEFAULT_REPLY = "The little boat bobbed on the sea. What should happen next?"


class FakeBackend:
    """Replies from a queue (or a fixed default); `history` keeps every message list it received.

    With `prefill=True` it also speaks the token-id interface (`Prefill`) the way llama.cpp does, with
    one id per whitespace word, so fast tests run the composer's production path; `prefilled` keeps the
    assistant text each prompt was continued from.
    """

    n_ctx = 2048

    def __init__(
        self,
        replies: list[str] | None = None,
        model_id: str = "fake",
        *,
        echo: bool = False,
        prefill: bool = False,
        system_prompt: str = "system.j2",
    ):
        self.model_id = model_id
        self.can_prefill = prefill
        self.system_prompt = system_prompt
        self.vocab: dict[str, int] = {}
        self.prefilled: list[str] = []
        self.not_first: list[str] = []
        self.queue: list[list[str]] = [[r] for r in (replies or [])]
        self.history: list[list[Message]] = []
        self.options_history: list[Options] = []
        self.echo = echo

    @classmethod
    def from_entry(cls, entry: Any, settings: Any, **kwargs: Any) -> FakeBackend:
        """Build from a registry entry (a ward's models.yaml may name a fake model for drills)."""
        return cls(model_id=entry.id, **kwargs)

    def enqueue(self, chunks: list[str]) -> None:
        """Queue one reply, given as the chunks it should stream in."""
        self.queue.append(chunks)

    def stream(self, messages: list[Message], options: Options) -> Response:
        """Stream the next queued reply (or the prompt itself when echoing)."""
        self.history.append([dict(m) for m in messages])  # type: ignore[misc]
        self.options_history.append(options)
        if self.echo:
            chunks = ["\n".join(f"{m['role']}: {m['content']}" for m in messages)]
        else:
            chunks = self.queue.pop(0) if self.queue else [DEFAULT_REPLY]
        usage = Usage(
            prompt_tokens=sum(self.count_tokens(m["content"]) for m in messages),
            completion_tokens=sum(self.count_tokens(c) for c in chunks),
            finish_reason="stop",
        )
        return Response(timed_stream(iter(chunks), usage), usage)

    def tokenize(self, text: str) -> list[int]:
        """One id per whitespace word."""
        return [self.vocab.setdefault(word, len(self.vocab)) for word in text.split()]

    def render_ids(self, messages: list[Message]) -> list[int]:
        """The messages as ids, ending with an assistant marker; recorded in `history` like `stream`."""
        self.history.append([dict(m) for m in messages])  # type: ignore[misc]
        text = " ".join(f"<{m['role']}> {m['content']}" for m in messages) + " <assistant>"
        return self.tokenize(text)

    def generate_ids(self, ids: list[int], options: Options, *, not_first: str = "") -> Response:
        """The next queued reply, as the continuation of whatever follows the last assistant marker
        (`not_first` is recorded, not applied: the queued replies are the test's own)."""
        self.not_first.append(not_first)
        words = {i: w for w, i in self.vocab.items()}
        text = " ".join(words[i] for i in ids)
        self.prefilled.append(text.rsplit("<assistant>", 1)[-1].strip())
        self.options_history.append(options)
        chunks = self.queue.pop(0) if self.queue else [DEFAULT_REPLY]
        usage = Usage(prompt_tokens=len(ids), completion_tokens=sum(self.count_tokens(c) for c in chunks))
        return Response(timed_stream(iter(chunks), usage), usage)

    def count_tokens(self, text: str) -> int:
        """Whitespace words: close enough for budget tests, and exact to reason about."""
        return len(text.split())

    def describe(self) -> dict[str, Any]:
        """A fixed description."""
        return {"model_id": self.model_id, "sha256": "fake", "n_ctx": self.n_ctx, "engine": "fake"}
