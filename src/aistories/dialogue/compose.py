"""Build one storyteller reply for a plan: templated opener, one model sentence, templated closer.

The model only ever writes the middle: the opener (taking up the child's idea, answering from the
world) is pre-filled into the assistant turn when the backend takes token ids, so the 135M model
continues a sentence about the right thing; the closer (question or two-way choice) comes from
prompts/lines.yaml. Generation stops after the sentences the band allows. Validation decides whether
repair is enough, one regeneration is worth it, or a fully templated turn is shown instead.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from ..backends import Backend, Message, Options
from ..backends.base import Prefill, Usage
from ..world.text import bare
from . import repair
from .lines import Lines
from .moves import Plan
from .validate import Need, ends_with_prompt, problems

log = logging.getLogger(__name__)

MODEL_SENTENCES = {"4-6": 1, "7-9": 1, "10-12": 2}
MIN_MODEL_WORDS = 4
# Problems the cheap repairs cannot fix: these cost a regeneration, then a templated fallback.
UNFIXABLE = {"empty", "meta", "list", "repeat", "reading_level", "too_short"}
_END = re.compile(r"[.!?][\"')]?(\s|$)")


@dataclass
class Draft:
    """A reply and how it was made (for the turn log and the latency breakdown)."""

    reply: str
    raw: str = ""
    raws: list[str] = field(default_factory=list)  # every candidate, for the output safety check
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    problems: list[list[str]] = field(default_factory=list)
    source: str = "model"  # model | repaired | regenerated | fallback | template
    own: str = ""  # the model-written sentence (with the fragment it continued): all the world learns from
    timings: dict[str, float] = field(default_factory=dict)


def split_opener(opener: str) -> tuple[str, str]:
    """('Ooh, a cat!', 'Suddenly, Mo'): the finished lead and the fragment the model continues."""
    ends = [m.end() for m in _END.finditer(opener)]
    cut = ends[-1] if ends else 0
    return opener[:cut].strip(), opener[cut:].strip()


class Composer:
    """Turns a plan and its prompt into a checked reply, using the backend as little as possible."""

    def __init__(self, backend: Backend, lines: Lines, age_band: str, options: Options) -> None:
        self.backend = backend
        self.lines = lines
        self.age_band = age_band
        self.options = options
        self.can_prefill = backend.can_prefill

    def model_turn(
        self,
        plan: Plan,
        messages: list[dict[str, str]],
        opener: str,
        closer: str,
        need: Need,
        names: list[str],
        idea: str,
    ) -> Draft:
        """Generate, repair, maybe regenerate once, else fall back to a templated turn."""
        draft = Draft("")
        for attempt in range(2):
            options = (
                self.options
                if attempt == 0
                else self.options.model_copy(
                    update={"seed": (self.options.seed or 0) + 7919, "temperature": 0.9}
                )
            )
            t = time.perf_counter()
            raw, usage = self._generate(messages, opener, options)
            key = "generate_ms" if attempt == 0 else "regenerate_ms"
            draft.timings[key] = _ms(t)
            draft.raw, draft.usage, draft.attempts = raw, usage, attempt + 1
            # The model continued the opener's fragment ('Suddenly, Mo'): check what it said as a whole
            # sentence, as the detector was trained; a bare ' sees that…' reads as noise and is blocked.
            draft.raws.append(f"{split_opener(opener)[1]}{raw}" if self.can_prefill else raw)
            t = time.perf_counter()
            reply, draft.own = self._repair(opener, raw, closer, plan, names, idea)
            found = problems(reply, need) if reply else ["too_short"]
            draft.timings["repair_ms"] = draft.timings.get("repair_ms", 0.0) + _ms(t)
            draft.problems.append(found)
            if not set(found) & UNFIXABLE:
                draft.reply = reply
                draft.source = "model" if attempt == 0 else "regenerated"
                return draft
            log.info("reply rejected (%s), attempt %d", ",".join(found), attempt + 1)
        draft.reply = self.fallback(opener, closer, plan, idea)
        draft.source = "fallback"
        return draft

    def _repair(
        self, opener: str, raw: str, closer: str, plan: Plan, names: list[str], idea: str
    ) -> tuple[str, str]:
        """(opener + cleaned model text, trimmed, names fixed, closer added; the model's own part)."""
        lead, fragment = split_opener(opener)
        if self.can_prefill and raw.lstrip().startswith(":"):
            return "", ""  # 'Zog: a dragon, big.' copies the story notes' format: regenerate
        middle = repair.cut(raw)
        own = f"{fragment}{_join(fragment, middle, raw)}" if self.can_prefill else middle
        own = repair.trim(repair.fix_names(own.strip(), names), MODEL_SENTENCES[self.age_band])
        own = repair.drop_repeats(own, lead)
        keep_question = plan.move == "open_question" and ends_with_prompt(own, "question")
        if not keep_question:
            own = repair.drop_questions(own)
        if len(own.split()) < MIN_MODEL_WORDS:
            return "", ""  # nothing worth showing came back: regenerate, then fall back
        body = repair.capitalise(f"{lead} {own}".strip())
        reply = repair.close(body, closer, plan.ending, keep_own_question=keep_question)
        if plan.new and any(bare(n) not in reply.lower() for n in plan.new) and idea not in reply:
            reply = repair.add_idea(reply, idea)
        return repair.capitalise(reply), own

    def fallback(self, opener: str, closer: str, plan: Plan, idea: str = "") -> str:
        """A templated turn: lead, a sentence about the child's idea (a stock action only without one),
        the closer."""
        lead, _ = split_opener(opener)
        group = "fallback_idea" if idea and idea.lower() != plan.focus.lower() else "fallback"
        action = repair.capitalise(self.lines.pick(group, ctx={"focus": plan.focus, "idea": idea}))
        return repair.capitalise(" ".join(p for p in (lead, action, closer) if p))

    def _generate(self, messages: list[dict[str, str]], opener: str, options: Options) -> tuple[str, Usage]:
        """Model text after the opener fragment, stopped once the band's sentences are complete."""
        _, fragment = split_opener(opener)
        msgs = cast(list[Message], messages)
        if self.can_prefill:
            backend = cast(Prefill, self.backend)
            ids = backend.render_ids(msgs) + (backend.tokenize(fragment) if fragment else [])
            response = backend.generate_ids(ids, options, not_first=":" if fragment else "")
        else:
            response = self.backend.stream(msgs, options)
        started = time.perf_counter()
        text = "".join(self._until_done(response, fragment))
        usage = response.usage
        if not usage.completion_tokens and text:
            usage.completion_tokens = self.backend.count_tokens(text)
        usage.total_ms = usage.total_ms or _ms(started)
        return text, usage

    def _until_done(self, response: Any, fragment: str) -> Iterator[str]:
        """Chunks until enough sentences are complete; closes the stream early (saves decode time)."""
        want = MODEL_SENTENCES[self.age_band]
        text = ""
        stream = iter(response)
        try:
            for chunk in stream:
                text += chunk
                yield chunk
                if "\n" in text or len(_END.findall(fragment + text + " ")) >= want + _lead_ends(fragment):
                    break
        finally:
            stream.close()
            inner = getattr(response, "chunks", None)
            if hasattr(inner, "close"):
                inner.close()


def _lead_ends(fragment: str) -> int:
    """Sentence ends already inside the fragment (normally none)."""
    return len(_END.findall(fragment + " "))


def _join(fragment: str, middle: str, raw: str) -> str:
    """Glue the model's continuation onto the pre-filled fragment with the right spacing."""
    if not fragment or not middle:
        return middle
    if middle[0] in ",.!?;:'" or not raw[:1].isspace():
        return middle  # punctuation, or the model went on with the fragment's last word
    return f" {middle}"


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
