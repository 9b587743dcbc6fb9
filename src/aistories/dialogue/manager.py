"""One turn, start to end: safety in, world, move, prompt, generate, repair, safety out, world, store.

See DESIGN.md's data flow. Everything a turn writes (turn row, world diff, memory why-record, alerts)
goes into one transaction. The child's world lives in world/persist.py and is resumed with a
one-line "last time…" recap.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterator

from ..backends import Backend, Options
from ..errors import StoreError
from ..safety import Verdict, check
from ..safety.alerts import notify_ward
from ..store import Store, new_id
from ..store.children import story_turns
from ..world import StoryWorld, WorldDiff, WorldState, invented_world, load_world
from ..world.extract import extract
from ..world.memory import select_facts
from ..world.persist import load_state, save_seed
from . import repair, worldview
from .answers import follow_up
from .compose import Composer, Draft
from .events import Event
from .lines import Lines, frame
from .moves import Plan, StoryArc, plan_move
from .prompts import PromptBuilder, Window, fit_tokens, prompt_tokens
from .recall import Recall
from .record import Stopwatch, TurnRecord
from .rows import SessionKeys, turn_rows
from .signals import read_signals
from .turnctx import TurnContext
from .validate import Need

log = logging.getLogger(__name__)

MAX_CHILD_CHARS = 500
CHILD_TOKENS = (
    96  # what of the child's line reaches the model, in tokens (a pasted page never fills the window)
)
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
    return masked(verdict.redacted) if verdict.redacted else text


def masked(redacted: str) -> str:
    """The redactor's copy with its masks worded for a story ('[phone]' -> 'a mystery')."""
    return " ".join(PII_MASK.sub("a mystery", redacted).split())


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
        notify: bool = True,
    ) -> None:
        self.backend = backend
        self.notify = notify  # False for a replay: its escalations are old alerts, already raised
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
        self.builder = PromptBuilder(age_band, self.world, backend.system_prompt)
        self.composer = Composer(backend, self.lines, age_band, self.options)
        self.recent: list[str] = []
        self.recall = Recall()  # the child's own statements, for questions the facts cannot answer
        self.offered: list[str] = []
        self.asked = ""  # the last turn's question, when it was answered: 'and the stick' asks it again
        self.turn_index = 0
        self.model_info = backend.describe()
        self.keys = SessionKeys(
            self.child["id"],
            self.session["id"],
            self.world.name,
            self.model_info,
            self.options.model_dump(),
            seed,
        )
        self.notifications: list[threading.Thread] = []  # ward notifications sent in the background
        if self.is_resumed:
            self.window.summary = worldview.last_time(self.state)
            self._recall_past()

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

    def _recall_past(self) -> None:
        """A returning child's earlier statements in this story, so 'what was my cat called?' still finds
        the line where they said it (masked copies, allowed turns, never questions)."""
        for row in story_turns(self.store.db, self.child["id"], self.world.name):
            if row["safety_action"] != "allow" or row["move"] == "answer":
                continue
            safety = row["safety_json"]
            verdict = (json.loads(safety) if isinstance(safety, str) else safety or {}).get("input") or {}
            redacted = verdict.get("redacted")
            text = masked(redacted) if redacted else row["child_text"]
            self.recall.remember(text or "", [], row["turn_index"])

    @property
    def hero(self) -> str:
        """The main character now."""
        return worldview.hero_of(self.state)

    def opening(self) -> str:
        """The first thing the storyteller says: a 'last time…' recap when resuming, else the world's line."""
        if not self.is_resumed:
            return self.world.opening
        return self.lines.pick("resume", ctx={"recap": worldview.last_time(self.state), "hero": self.hero})

    # one turn ---------------------------------------------------------------------------------------
    def turn(self, child_text: str) -> Iterator[Event]:
        """Play one child turn through every stage, store it in one transaction, then yield its events.

        The stages run in the order below; to add one, add a method and a line here. All the work (the
        store commit and the ward notification included) is done before the first event, so a caller
        that stops iterating early can lose nothing.
        """
        rec = TurnRecord(
            new_id(), self.store.next_turn_index(self.session["id"]), clean_child_text(child_text)
        )
        before = self._snapshot()
        self.turn_index = rec.index
        self._check_input(rec)
        self._understand(rec)
        self._plan(rec)
        self._compose(rec)
        self._check_output(rec)
        self._remember(rec)
        try:
            self._store(rec)
        except StoreError:
            # Not saved (disk full, database locked...): the turn never happened, in memory as on disk,
            # so the session stays what the database holds and the child can say it again.
            self._restore(before)
            raise
        self._notify(rec)
        yield from rec.events()

    def _snapshot(self) -> tuple[object, ...]:
        """What a turn changes in memory, copied, so a turn that could not be saved can be undone."""
        mutable = (self.state, self.arc, self.recall, self.window, self.recent, self.offered, self.asked)
        return copy.deepcopy(mutable), self.world, self.builder, self.turn_index

    def _restore(self, before: tuple[object, ...]) -> None:
        """Back to a snapshot (see turn)."""
        mutable, self.world, self.builder, self.turn_index = before  # type: ignore[assignment]
        self.state, self.arc, self.recall, self.window, self.recent, self.offered, self.asked = mutable  # type: ignore[misc]

    def _check_input(self, rec: TurnRecord) -> None:
        """Safety on the child's words; the masked copy is all that later stages may see."""
        with Stopwatch(rec, "safety_in_ms"):
            rec.verdict_in = check(rec.text, "child") if rec.text else Verdict("allow")
        story = story_text(rec.text, rec.verdict_in) if rec.is_allowed else ""
        rec.story = fit_tokens(story, self.backend.count_tokens, CHILD_TOKENS)

    def _understand(self, rec: TurnRecord) -> None:
        """What the child's words add to the world (allowed, non-empty turns only)."""
        if not rec.story:
            return
        with Stopwatch(rec, "extract_ms"):
            rec.diff = extract(rec.story, "child", rec.index, self.state)
            self.state.apply(rec.diff)

    def _plan(self, rec: TurnRecord) -> None:
        """The one move for this turn, with the two options when it ends on a choice."""
        with Stopwatch(rec, "plan_ms"):
            if not rec.is_allowed:
                action = rec.verdict_in.action
                rec.plan = Plan(f"safety_{action}", self.arc.phase, f"input {action}: fixed reply")
                return
            rec.tc = self._context(rec.story, rec.diff)
            if not rec.story:
                rec.plan = Plan("scaffold", self.arc.phase, "empty input: invite any word", focus=self.hero)
            else:
                # 'and the stick' just after 'what was the puck made of' asks that question again
                question = follow_up(rec.story, self.asked)
                if question:
                    rec.tc = self._context(question, rec.diff)
                signals = read_signals(question or rec.story, self.offered)
                child_entities = sum(1 for e in self.state.entities.values() if e.source == "child")
                self.arc.advance(signals, child_entities)
                rec.plan = plan_move(self.arc, signals, rec.diff, self.state, self.hero)
                if rec.plan.move == "new_story":
                    self._follow_the_childs_story(signals.new_story)
                    rec.tc = self._context(rec.story, rec.diff)
                self.asked = (question or rec.story) if rec.plan.move == "answer" else ""
            if rec.plan.ending == "choice" and not rec.plan.options:
                rec.plan.options = rec.tc.options_for(rec.plan.focus or self.hero)
            rec.offered = list(rec.plan.options) if rec.plan.ending == "choice" else []

    def _compose(self, rec: TurnRecord) -> None:
        """The reply: the fixed safety text, a templated turn, or a model turn for the plan."""
        plan, tc = rec.plan, rec.tc
        assert plan is not None
        if tc is None:
            rec.draft = Draft(
                rec.verdict_in.reply, source="safety"
            )  # reviewed text: the model is never asked
        elif not rec.story:
            rec.draft = Draft(f"{self.lines.pick('listening', ctx={})} {tc.closer(plan)}", source="template")
        elif not plan.uses_model:
            rec.draft = Draft(repair.capitalise(tc.templated(plan)), source="template")
        else:
            rec.draft = self._model_turn(rec, plan, tc)
            rec.timings.update(rec.draft.timings)

    def _model_turn(self, rec: TurnRecord, plan: Plan, tc: TurnContext) -> Draft:
        """Memory, prompt and the composer's generate-repair-fallback loop."""
        with Stopwatch(rec, "prompt_ms"):
            tc.snap = select_facts(
                self.state, self.recent_texts(rec.story), SNAPSHOT_TOKENS, self.backend.count_tokens
            )
            opener = tc.opener(plan)
            self.arc.problem_told = self.arc.problem_told or bool(tc.problem and tc.problem in opener)
            messages, tc.templates = self._prompt(rec, plan, tc)
        need = Need(self.age_band, tuple(self.recent[-RECENT_REPLIES:]), tuple(plan.new), plan.ending)
        names = [e.name for e in self.state.entities.values()]
        rec.frame = (opener, tc.closer(plan))
        return self.composer.model_turn(plan, messages, opener, rec.frame[1], need, names, tc.idea)

    def _prompt(
        self, rec: TurnRecord, plan: Plan, tc: TurnContext
    ) -> tuple[list[dict[str, str]], dict[str, str]]:
        """The turn's messages; the oldest dialogue goes (into the summary) until they fit the window."""
        while True:
            messages, used = self.builder.build(
                self.window, rec.story, tc.snap.text, plan.move, **tc.template_vars(plan)
            )
            room = self.backend.n_ctx - (self.options.max_tokens or 0)
            if not self.window.pairs or prompt_tokens(messages, self.backend.count_tokens) <= room:
                return messages, used
            self.window.trim(lambda: worldview.story_so_far(self.state))

    def _check_output(self, rec: TurnRecord) -> None:
        """Safety on the reply and every raw candidate; a failure costs only a templated turn."""
        if rec.draft.source == "safety":
            return
        with Stopwatch(rec, "safety_out_ms"):
            rec.verdict_out = self._check_out(rec.draft)
        if rec.verdict_out.action == "allow":
            return
        rec.draft.source = "safe_fallback"
        if rec.plan is not None and rec.tc is not None and rec.frame[0]:
            # Only the model's sentence failed: keep the templated lead (it carries the answer or the
            # child's idea) and the closer, with a templated sentence between them.
            reply = self.composer.fallback(*rec.frame, rec.plan, rec.tc.idea)
            if check(reply, "storyteller").action == "allow":
                rec.draft.reply = reply
                return
        rec.draft.reply, rec.offered = self._safe_turn()

    def _remember(self, rec: TurnRecord) -> None:
        """The world learns from the model's own sentence; the window gets the allowed turn."""
        with Stopwatch(rec, "extract_reply_ms"):
            if rec.draft.source in ("model", "regenerated"):  # never the templated parts
                rec.reply_diff = extract(rec.draft.own, "storyteller", rec.index, self.state)
                self.state.apply(rec.reply_diff)
        self.offered = list(rec.offered)
        self.recent.append(rec.draft.reply)
        del self.recent[:-RECENT_REPLIES]
        if rec.story and rec.plan is not None and rec.plan.move != "answer":
            self.recall.remember(rec.story, rec.diff.referred, rec.index)
        if rec.story:  # only allowed turns, personal details masked, ever reach the model's window
            self.window.append(rec.story, rec.draft.reply, lambda: worldview.story_so_far(self.state))
        rec.world = self.state.to_contract()

    def _store(self, rec: TurnRecord) -> None:
        """The turn, its world changes, why-record and alerts: one transaction."""
        rec.latency_ms = (time.perf_counter() - rec.started) * 1000
        rec.row, extra = turn_rows(rec, self.keys)
        self.store.insert_turn(rec.row, extra)

    def _notify(self, rec: TurnRecord) -> None:
        """Tell the ward system about a new alert, in the background so the child's reply is not held up."""
        if not self.notify:
            return
        for alert in rec.alerts:
            thread = threading.Thread(target=notify_ward, args=(alert,), name="ward-notify", daemon=True)
            thread.start()
            self.notifications.append(thread)

    def _follow_the_childs_story(self, theme: str) -> None:
        """The child asked for another kind of story: it becomes theirs, and the starter's cast leaves it."""
        texts = {
            key: frame("invented_world", key).format(theme=theme) for key in ("title", "setting", "problem")
        }
        self.world = invented_world(self.world, theme, **texts)
        self.state.drop_world_seeds()
        self.builder = PromptBuilder(self.age_band, self.world, self.backend.system_prompt)
        log.info("the child asked for a %s story: starter world set aside", theme)

    def _context(self, text: str, diff: WorldDiff) -> TurnContext:
        """Everything the templates may say this turn."""
        return TurnContext(
            text,
            self.state,
            self.world,
            self.lines,
            self.hero,
            diff,
            self.arc.turns,
            self.arc.problem_told,
            self.recall,
        )

    def recent_texts(self, text: str) -> list[str]:
        """The last few things said, newest last, for memory selection."""
        said = [s for pair in self.window.pairs[-2:] for s in pair]
        return [*said, text]

    def _check_out(self, draft: Draft) -> Verdict:
        """The output verdict: on the reply, and on the raw model text, since repair may only hide it."""
        verdict = check(draft.reply, "storyteller")
        for text in draft.raws if verdict.action == "allow" else []:
            raw = check(text, "storyteller") if text.strip() else verdict
            if raw.action != "allow":
                log.info("a model candidate failed the output check (%s)", raw.rule)
                return raw
        return verdict

    def _safe_turn(self) -> tuple[str, list[str]]:
        """A templated in-story turn (and its two options) for a reply that failed the output check."""
        tc = self._context("", WorldDiff())
        choice = Plan(
            "choice", self.arc.phase, "safe fallback", focus=self.hero, options=tc.options_for(self.hero)
        )
        reply = repair.capitalise(
            f"{self.lines.pick('fallback', ctx={'focus': self.hero})} {tc.closer(choice)}"
        )
        return reply, list(choice.options)

    def end(self) -> None:
        """Close the session with a one-line summary."""
        self.store.end_session(self.session["id"], worldview.story_so_far(self.state))
