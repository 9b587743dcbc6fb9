"""One turn, start to end: safety in, prompt, generate, tidy, safety out, store. See DESIGN.md data flow."""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..backends import Backend, Message, Options
from ..safety import Verdict, check
from ..safety.alerts import new_alert_row
from ..store import Store, new_id, utc_now
from ..world import StoryWorld, WorldState, load_world
from ..world.state import Entity
from .events import Event, SafetyChecked, Token, TurnDone, WorldUpdated
from .prompts import render_prompt

log = logging.getLogger(__name__)

MAX_CHILD_CHARS = 500
HISTORY_TURNS = 4
FALLBACK_QUESTION = "What do you think happens next?"
_ROLE_TAG = re.compile(r"(<\|im_(start|end)\|>|\b(user|assistant|system)\s*:)", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+[.!?]+[\"')\]]*|[^.!?]+$")


def clean_child_text(text: str) -> str:
    """Printable text only, whitespace folded, bounded: control characters and floods cannot reach the model."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    folded = " ".join(kept.split())
    return folded[:MAX_CHILD_CHARS]


def tidy_reply(text: str, max_sentences: int = 3) -> str:
    """Cut role tags and runaway text, keep a few sentences, and make sure the child is asked something."""
    text = _ROLE_TAG.split(text, maxsplit=1)[0].strip()
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    kept = " ".join(sentences[:max_sentences]).strip()
    if kept and kept[-1] not in ".!?\"')":
        kept += "."
    if "?" not in kept:
        kept = f"{kept} {FALLBACK_QUESTION}".strip()
    return kept


class DialogueManager:
    """Runs a story session for one child: `turn(text)` yields events and stores the turn."""

    def __init__(
        self,
        backend: Backend,
        store: Store,
        *,
        world: str = "flying-beds-castle",
        age_band: str = "7-9",
        child: str = "guest",
        seed: int | None = None,
        options: Options | None = None,
        consent_research: bool = False,
    ) -> None:
        self.backend = backend
        self.store = store
        self.world: StoryWorld = load_world(world)
        self.age_band = age_band
        self.seed = seed
        self.options = options or Options(max_tokens=60, repeat_penalty=1.2)
        if seed is not None:
            self.options = self.options.model_copy(update={"seed": seed})
        self.child = store.get_or_create_child(child, age_band)
        if consent_research:
            store.set_consent(self.child["id"], research=True)
        self.session = store.start_session(self.child["id"], self.world.name, age_band, backend.model_id)
        self.state = self._load_state()
        self.history: list[tuple[str, str]] = []
        self.turn_index = 0
        self.model_info = backend.describe()

    # world ------------------------------------------------------------------------------------------
    def _load_state(self) -> WorldState:
        rows = list(self.store.db["world_entities"].rows_where("child_id = ?", [self.child["id"]], order_by="rowid"))
        if not rows:
            state = WorldState.from_world(self.world)
            with self.store.atomic():
                self.store.db["world_entities"].insert_all(self._entity_rows(state.entities.values(), None))
            return state
        state = WorldState()
        for row in rows:
            attrs = json.loads(row["attributes_json"] or "{}")
            state.add(Entity(row["name"], row["kind"], attrs, source=row["source"]))
        return state

    def _entity_rows(self, entities: Any, turn_id: str | None) -> list[dict[str, Any]]:
        now = utc_now()
        return [
            {
                "id": new_id(),
                "child_id": self.child["id"],
                "kind": e.kind,
                "name": e.name,
                "attributes_json": json.dumps(e.attributes, ensure_ascii=False),
                "source": e.source,
                "turn_id": turn_id,
                "created_utc": now,
                "updated_utc": now,
            }
            for e in entities
        ]

    def opening(self) -> str:
        """The first thing the storyteller says: the world's own opening line (no model call)."""
        return self.world.opening

    # one turn ---------------------------------------------------------------------------------------
    def messages(self, child_text: str) -> tuple[list[Message], Any]:
        """The chat for this turn: static system prompt first, recent dialogue, then this turn."""
        system = render_prompt("system.j2", age_band=self.age_band, world=self.world)
        messages: list[Message] = [{"role": "system", "content": system.text}]
        for child, reply in self.history[-HISTORY_TURNS:]:
            messages.append({"role": "user", "content": child})
            messages.append({"role": "assistant", "content": reply})
        cast = [e.name for e in self.state.of_kind("characters")][:6]
        messages.append({"role": "user", "content": render_prompt("turn.j2", child_text=child_text,
                                                                  cast=cast).text})
        return messages, system

    def turn(self, child_text: str) -> Iterator[Event]:
        """Play one child turn through the whole pipeline, yielding events; stores it in one transaction."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        text = clean_child_text(child_text)
        self.turn_index = self.store.next_turn_index(self.session["id"])
        turn_id = new_id()

        t = time.perf_counter()
        verdict_in = check(text, "child") if text else Verdict("allow")
        timings["safety_in_ms"] = _ms(t)
        yield SafetyChecked(verdict_in)

        prompt_name = prompt_sha = None
        usage = None
        verdict_out: Verdict | None = None
        if verdict_in.action != "allow":
            reply = verdict_in.reply  # fixed reviewed text: the model is never asked
        elif not text:
            reply = "I'm listening! Tell me anything, even one word. " + FALLBACK_QUESTION
        else:
            t = time.perf_counter()
            messages, system = self.messages(text)
            prompt_name, prompt_sha = system.name, system.sha256
            timings["prompt_ms"] = _ms(t)
            response = self.backend.stream(messages, self.options)
            raw = response.complete()
            usage = response.usage
            timings["generate_ms"] = usage.total_ms
            t = time.perf_counter()
            reply = tidy_reply(raw, max_sentences=2 if self.age_band == "4-6" else 3)
            timings["repair_ms"] = _ms(t)
            t = time.perf_counter()
            verdict_out = check(reply, "storyteller")
            timings["safety_out_ms"] = _ms(t)
            if verdict_out.action != "allow":
                reply = self.fallback_reply()
        # Shown only after the output check: safety is never traded for earlier tokens on screen.
        yield Token(reply)
        self.history.append((text, reply))
        world = self.state.to_contract()
        yield WorldUpdated(world)

        latency_ms = _ms(started)
        row = {
            "id": turn_id,
            "session_id": self.session["id"],
            "turn_index": self.turn_index,
            "child_text": text,
            "reply": reply,
            "model_id": self.model_info["model_id"],
            "model_sha256": self.model_info.get("sha256"),
            "prompt_name": prompt_name,
            "prompt_sha256": prompt_sha,
            "options_json": self.options.model_dump(),
            "seed": self.seed,
            "prompt_tokens": usage.prompt_tokens if usage else 0,
            "completion_tokens": usage.completion_tokens if usage else 0,
            "cached_tokens": usage.cached_tokens if usage else 0,
            "safety_action": verdict_in.action,
            "safety_json": {"input": verdict_in.to_dict(),
                            "output": verdict_out.to_dict() if verdict_out else None},
            "move": None,
            "phase": None,
            "reason": None,
            "timings_json": timings,
            "duration_ms": latency_ms,
            "first_token_ms": usage.first_token_ms if usage else None,
            "datetime_utc": utc_now(),
        }
        alerts = [new_alert_row(verdict_in, self.session["id"], turn_id, text)] \
            if verdict_in.action == "escalate" else []
        t = time.perf_counter()
        self.store.insert_turn(row, {"alerts": alerts})
        timings["store_ms"] = _ms(t)
        yield TurnDone(self.turn_index, text, reply, verdict_in.action, latency_ms,
                       row["prompt_tokens"], row["completion_tokens"], world, row)

    def fallback_reply(self) -> str:
        """A safe templated turn built from the world state, used when a reply cannot be shown."""
        hero = next(iter(self.state.of_kind("characters")), None)
        name = hero.name if hero else "our hero"
        return f"{name} looked around and smiled. Where should {name} go next?"

    def end(self) -> None:
        """Close the session."""
        self.store.end_session(self.session["id"])


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
