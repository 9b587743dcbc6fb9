"""One turn, start to end: safety in, world, move, prompt, generate, repair, safety out, world, store.

See DESIGN.md's data flow. Everything a turn writes (turn row, world diff, memory why-record, alerts)
goes into one transaction. The child's world lives in world/persist.py and is resumed with a
one-line "last time…" recap.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..backends import Backend, Options
from ..safety import Verdict, check
from ..safety.alerts import new_alert_row, notify_ward
from ..store import Store, new_id, utc_now
from ..world import StoryWorld, WorldDiff, WorldState, load_world
from ..world.extract import extract
from ..world.persist import diff_rows, load_state, save_seed, why_row
from . import repair, worldview
from .compose import Composer, Draft
from .events import Choices, Event, SafetyChecked, Token, TurnDone, WorldUpdated
from .lines import Lines, lines_sha256
from .moves import Plan, StoryArc, plan_move
from .prompts import PromptBuilder, Window
from .signals import read_signals
from .turnctx import TurnContext
from .validate import Need

log = logging.getLogger(__name__)

MAX_CHILD_CHARS = 500
PII_MASK = re.compile(r"\[[a-z]+\]|█+")  # safety.pii.redact's '[phone]' marks (and its fail-closed mask)
SNAPSHOT_TOKENS = 70
RECENT_REPLIES = 6
DEFAULT_OPTIONS = {
    "max_tokens": 40,
    "temperature": 0.7,
    "top_p": 0.9,
    "top_k": 40,
    "min_p": 0.05,
    "repeat_penalty": 1.2,
    "stop": ["\n", "<|im_end|>"],
}


def clean_child_text(text: str) -> str:
    """Printable text only, whitespace folded, bounded: control characters never reach the model."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    folded = " ".join(kept.split())
    return folded[:MAX_CHILD_CHARS]


def story_text(text: str, verdict: Verdict) -> str:
    """The child's words as the story may use them: personal details never reach the model or the world.

    turns.child_text keeps what the child typed (the carer's storybook; research exports redact it, and
    the masked copy is in the input verdict), but the prompt, the dialogue window and world facts only
    ever see this version, where '07700 900123' became 'a mystery'.
    """
    if not verdict.redacted:
        return text
    return " ".join(PII_MASK.sub("a mystery", verdict.redacted).split())


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
        self.options = options or Options(**DEFAULT_OPTIONS)
        if seed is not None:
            self.options = self.options.model_copy(update={"seed": seed})
        self.child = store.get_or_create_child(child, age_band)
        if consent_research:
            store.set_consent(self.child["id"], research=True)
        self.session = store.start_session(self.child["id"], self.world.name, age_band, backend.model_id)
        self.state, self.is_resumed = self._load_state()
        self.arc = StoryArc(phase="building" if self.is_resumed else "opening")
        self.lines = Lines(age_band, seed)
        self.window = Window([])
        self.builder = PromptBuilder(age_band, self.world)
        self.composer = Composer(backend, self.lines, age_band, self.options)
        self.recent: list[str] = []
        self.offered: list[str] = []
        self.turn_index = 0
        self.model_info = backend.describe()
        if self.is_resumed:
            self.window.summary = worldview.recap_line(self.state)

    def _load_state(self) -> tuple[WorldState, bool]:
        """The child's story in this starter world, or the starter world saved as a fresh seed.

        A story is per (child, starter world): a returning child who picks the same world carries on
        ("Last time…"), and one who picks another world starts a new story there, as a child (and the
        nurse who helped pick) would expect; the old story waits for them in its own world.
        """
        state = load_state(self.store, self.child["id"], self.world.name)
        if state is not None:
            return state, True
        state = WorldState.from_world(self.world)
        save_seed(self.store, state, self.child["id"], self.world.name)
        return state, False

    @property
    def hero(self) -> str:
        """The main character now."""
        return worldview.hero_of(self.state)

    def opening(self) -> str:
        """The first thing the storyteller says: a 'last time…' recap when resuming, else the world's line."""
        if not self.is_resumed:
            return self.world.opening
        recap = worldview.recap_line(self.state)
        return self.lines.pick("resume", ctx={"recap": recap, "hero": self.hero})

    # one turn ---------------------------------------------------------------------------------------
    def turn(self, child_text: str) -> Iterator[Event]:
        """Play one child turn through the whole pipeline, yielding events; stores it in one transaction."""
        started = time.perf_counter()
        text = clean_child_text(child_text)
        self.turn_index = self.store.next_turn_index(self.session["id"])
        turn_id = new_id()
        timings: dict[str, float] = {}

        t = time.perf_counter()
        verdict_in = check(text, "child") if text else Verdict("allow")
        timings["safety_in_ms"] = _ms(t)
        yield SafetyChecked(verdict_in)

        diff = WorldDiff()
        tc: TurnContext | None = None
        if verdict_in.action != "allow":
            plan = Plan(
                f"safety_{verdict_in.action}", self.arc.phase, f"input {verdict_in.action}: fixed reply"
            )
            draft = Draft(verdict_in.reply, source="safety")  # fixed reviewed text: the model is never asked
        elif not text:
            tc = self._context(text, diff, timings)
            plan = Plan(
                "scaffold",
                self.arc.phase,
                "empty input: invite any word",
                focus=self.hero,
                options=tc.options_for(self.hero),
            )
            listening = self.lines.pick("listening", ctx={})
            draft = Draft(f"{listening} {tc.closer(plan)}", source="template")
        else:
            diff, plan, draft, tc = self._story_turn(story_text(text, verdict_in), timings)
        verdict_out = None
        if draft.source != "safety":
            t = time.perf_counter()
            verdict_out = self._check_out(draft)
            timings["safety_out_ms"] = _ms(t)
            if verdict_out.action != "allow":
                draft.reply, draft.source = self._safe_turn(plan), "safe_fallback"
        self.offered = list(plan.options) if plan.ending == "choice" else []
        if self.offered:
            yield Choices(self.offered)
        # Shown only after the output check: safety is never traded for earlier tokens on screen.
        yield Token(draft.reply)

        t = time.perf_counter()
        reply_diff = (
            extract(draft.own, "storyteller", self.turn_index, self.state)  # never the templated parts
            if draft.source in ("model", "regenerated")
            else WorldDiff()
        )
        self.state.apply(reply_diff)
        timings["extract_reply_ms"] = _ms(t)
        # Only allowed turns, personal details masked, ever reach the model's window.
        self._remember(story_text(text, verdict_in) if verdict_in.action == "allow" else "", draft.reply)
        world = self.state.to_contract()
        yield WorldUpdated(world)

        latency_ms = _ms(started)
        row = self._row(turn_id, text, draft, plan, verdict_in, verdict_out, timings, latency_ms, tc)
        extra = self._extra(turn_id, text, verdict_in, [diff, reply_diff], tc)
        self.store.insert_turn(row, extra)
        yield TurnDone(
            self.turn_index,
            text,
            draft.reply,
            verdict_in.action,
            latency_ms,
            row["prompt_tokens"],
            row["completion_tokens"],
            world,
            row,
        )
        # After the child has their reply: tell the ward system (off unless the policy enables it).
        for alert in extra.get("alerts", []):
            notify_ward(alert)

    def _story_turn(self, text: str, timings: dict[str, float]) -> tuple[WorldDiff, Plan, Draft, TurnContext]:
        """The allowed path: world from the child's words, a move, then the reply for it."""
        t = time.perf_counter()
        diff = extract(text, "child", self.turn_index, self.state)
        self.state.apply(diff)
        timings["extract_ms"] = _ms(t)
        t = time.perf_counter()
        signals = read_signals(text, self.offered)
        child_entities = sum(1 for e in self.state.entities.values() if e.source == "child")
        self.arc.advance(signals, child_entities)
        plan = plan_move(self.arc, signals, diff, self.state, self.hero)
        tc = self._context(text, diff, timings)
        timings["plan_ms"] = _ms(t)
        if not plan.uses_model:
            return diff, plan, Draft(repair.capitalise(tc.templated(plan)), source="template"), tc
        t = time.perf_counter()
        tc.snap = worldview.snapshot(
            self.state, self.recent_texts(text), SNAPSHOT_TOKENS, self.backend.count_tokens
        )
        opener = tc.opener(plan)
        messages, tc.templates = self.builder.build(
            self.window, text, tc.snap.text, plan.move, **tc.template_vars(plan)
        )
        timings["prompt_ms"] = _ms(t)
        need = Need(self.age_band, tuple(self.recent[-RECENT_REPLIES:]), tuple(plan.new), plan.ending)
        draft = self.composer.model_turn(
            plan,
            messages,
            opener,
            tc.closer(plan),
            need,
            [e.name for e in self.state.entities.values()],
            tc.idea,
        )
        timings.update(draft.timings)
        return diff, plan, draft, tc

    def _context(self, text: str, diff: WorldDiff, timings: dict[str, float]) -> TurnContext:
        """Everything the templates may say this turn."""
        return TurnContext(text, self.state, self.world, self.lines, self.hero, diff, self.arc.turns)

    def recent_texts(self, text: str) -> list[str]:
        """The last few things said, newest last, for memory selection."""
        said = [s for pair in self.window.pairs[-2:] for s in pair]
        return [*said, text]

    def _remember(self, text: str, reply: str) -> None:
        """Append the turn to the dialogue window (trimmed in chunks) and the recent replies."""
        self.recent.append(reply)
        del self.recent[:-RECENT_REPLIES]
        if text:
            self.window.append(text, reply, lambda: worldview.story_so_far(self.state))

    def _check_out(self, draft: Draft) -> Verdict:
        """The output verdict: on the reply, and on the raw model text, since repair may only hide it."""
        verdict = check(draft.reply, "storyteller")
        for text in draft.raws if verdict.action == "allow" else []:
            raw = check(text, "storyteller") if text.strip() else verdict
            if raw.action != "allow":
                log.info("a model candidate failed the output check (%s)", raw.rule)
                return raw
        return verdict

    def _safe_turn(self, plan: Plan) -> str:
        """A templated in-story turn used when the storyteller's reply did not pass the safety check."""
        tc = TurnContext("", self.state, self.world, self.lines, self.hero, WorldDiff(), self.arc.turns)
        choice = Plan(
            "choice", plan.phase, "safe fallback", focus=self.hero, options=tc.options_for(self.hero)
        )
        plan.options = choice.options
        return f"{self.lines.pick('fallback', ctx={'focus': self.hero})} {tc.closer(choice)}"

    # storage ----------------------------------------------------------------------------------------
    def _row(
        self,
        turn_id: str,
        text: str,
        draft: Draft,
        plan: Plan,
        verdict_in: Verdict,
        verdict_out: Verdict | None,
        timings: dict[str, float],
        latency_ms: float,
        tc: TurnContext | None,
    ) -> dict[str, Any]:
        """The turns row."""
        usage = draft.usage
        templates = dict(tc.templates) if tc else {}
        templates["lines.yaml"] = lines_sha256()
        name = next((n for n in templates if n.startswith("moves/")), "lines.yaml")
        return {
            "id": turn_id,
            "session_id": self.session["id"],
            "turn_index": self.turn_index,
            "child_text": text,
            "reply": draft.reply,
            "model_id": self.model_info["model_id"],
            "model_sha256": self.model_info.get("sha256"),
            "prompt_name": name,
            "prompt_sha256": templates[name],
            "prompts_json": templates,
            "options_json": self.options.model_dump(),
            "seed": self.seed,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cached_tokens": usage.cached_tokens,
            "safety_action": verdict_in.action,
            "safety_json": {
                "input": verdict_in.to_dict(),
                "output": verdict_out.to_dict() if verdict_out else None,
            },
            "move": plan.move,
            "phase": plan.phase,
            "reason": plan.reason,
            "reply_source": draft.source,
            "raw_reply": draft.raw,
            "problems_json": draft.problems,
            "timings_json": timings,
            "duration_ms": latency_ms,
            "first_token_ms": usage.first_token_ms,
            "datetime_utc": utc_now(),
        }

    def _extra(
        self, turn_id: str, text: str, verdict_in: Verdict, diffs: list[WorldDiff], tc: TurnContext | None
    ) -> dict[str, list[dict[str, Any]]]:
        """World diff rows, the memory why-record and alerts for this turn's transaction."""
        extra: dict[str, list[dict[str, Any]]] = {}
        for diff in diffs:
            ids = (self.child["id"], self.session["id"], turn_id)
            for table, rows in diff_rows(diff, *ids, world=self.world.name).items():
                extra.setdefault(table, []).extend(rows)
        if tc is not None and tc.snap is not None:
            extra["memory_why"] = [why_row(tc.snap, self.child["id"], self.session["id"], turn_id)]
        if verdict_in.action == "escalate":
            extra["alerts"] = [new_alert_row(verdict_in, self.session["id"], turn_id, text)]
        return extra

    def end(self) -> None:
        """Close the session with a one-line summary."""
        self.store.end_session(self.session["id"], worldview.story_so_far(self.state))


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
