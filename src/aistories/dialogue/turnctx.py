"""What the templates of one turn may say: the focus, the child's idea, options, answers, recaps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..world import StoryWorld, WorldDiff, WorldState
from ..world.state import Contradiction
from ..world.text import label, sentences
from . import worldview
from .answers import answer, asked_about, is_specific
from .lines import Lines, frame
from .moves import Plan, two_options
from .recall import Recall, in_second_person
from .signals import SILLY, read_signals


def clash_question(c: Contradiction) -> str:
    """'Wait, Pip was blue, and now red! Did Pip change colour?': the child decides, nobody is corrected."""
    key = c.attribute if c.attribute in ("kind", "colour") else "other"
    return frame("clash", key).format(name=c.entity, old=c.old, new=c.new)


@dataclass
class TurnContext:
    """Fills openers, closers and fully templated turns for one plan."""

    text: str
    state: WorldState
    world: StoryWorld
    lines: Lines
    hero: str
    diff: WorldDiff
    turn: int
    problem_told: bool = False
    recall: Recall | None = None
    snap: Any = None
    templates: dict[str, str] = field(default_factory=dict)
    _answers: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    @property
    def idea(self) -> str:
        """The child's idea as a short phrase: 'Mo the cat', or their own few words."""
        for e in self.diff.entities:
            if e.source == "child":
                return label(e)
        if "?" in self.text or read_signals(self.text).is_question:
            return ""  # a question is not an idea to take up ('and where was the hideout?')
        words = self.text.rstrip("!?. ").split()
        if 0 < len(words) <= 6:
            return " ".join(words)
        for f in self.diff.facts:
            if f.source == "child" and f.attribute not in ("pronoun", "kind"):
                return (
                    f"{f.value}" if f.attribute in ("colour", "size", "mood") else f"{f.attribute} {f.value}"
                )
        return _first_clause(words)

    def ctx(self, plan: Plan) -> dict[str, str]:
        """Placeholder values for lines.yaml."""
        places = self.state.of_kind("places")
        options = plan.options or ["", ""]
        found, about = self.answer(plan) if plan.move == "answer" else ("", "")
        name = about or plan.focus or self.hero
        focus = self.state.find(name)
        return {
            "focus": name,
            "label": label(focus) if focus else name,
            "hero": self.hero,
            "idea": self.idea or plan.focus,
            "place": places[-1].name if places else "the castle",
            "a": options[0],
            "b": options[1],
            "echo": self.echo,
            "answer": found,
            "clash": self.clash(plan),
            "problem": self.problem,
            "recap": worldview.story_so_far(self.state),
        }

    @property
    def problem(self) -> str:
        """The first sentence of the world's gentle problem."""
        return (sentences(self.world.problem) or [""])[0]

    def answer(self, plan: Plan) -> tuple[str, str]:
        """(answer, entity) from the world's facts, else from what the child said earlier, else ('', '').

        Worked out once per focus: every template of the turn (opener, closer, instruction) asks again.
        """
        if plan.focus not in self._answers:
            self._answers[plan.focus] = self._answer(plan)
        return self._answers[plan.focus]

    def _answer(self, plan: Plan) -> tuple[str, str]:
        found, about = answer(self.text, self.state, plan.focus)
        if self.recall is None:
            return found, about
        names = asked_about(self.text, self.state, plan.focus)
        said = self.recall.find(self.text, names, fact=found, specific=is_specific(self.text))
        if said is None:
            return found, about  # 'who is Zog?' -> 'Zog is a dragon!' when the child said nothing more
        return in_second_person(said.text) + "!", (names or list(said.about) or [""])[0]

    @property
    def echo(self) -> str:
        """A silly word the child said, to say back."""
        words = read_signals(self.text).words
        if 0 < len(words) <= 4:
            return _cap(" ".join(words))
        silly = [w for w in words if w in SILLY] or words
        return _cap(silly[0]) if silly else "Boing"

    def options_for(self, focus: str) -> list[str]:
        """Two concrete options from the world."""
        return two_options(self.state, focus, self.turn)

    def opener(self, plan: Plan) -> str:
        """The start of the reply, ending on the fragment the model continues."""
        ctx = self.ctx(plan)
        group = plan.move
        if plan.move == "answer" and not ctx["answer"]:
            group = "answer_maybe" if _YES_NO.match(self.text.lower()) else "answer_unknown"
        if plan.phase == "problem" and plan.move in ("choice", "open_question") and not self.problem_told:
            group = "problem"
        if plan.move == "uptake" and not ctx["idea"]:
            group = "open_question"
        return self.lines.pick("openers", group, ctx=ctx)

    def closer(self, plan: Plan) -> str:
        """The closing question or two-way choice (a choice reads the plan's options, set when planned)."""
        return self.lines.pick("closers", plan.ending, ctx=self.ctx(plan))

    def clash(self, plan: Plan) -> str:
        """The playful question about a contradiction: the child decides which is true."""
        return clash_question(plan.clash) if plan.clash is not None else ""

    def templated(self, plan: Plan) -> str:
        """A whole turn from templates (scaffold, contradiction, recap, ending)."""
        ctx = self.ctx(plan)
        if plan.move == "scaffold":
            return self.lines.pick("scaffold", ctx=ctx)
        if plan.move == "contradiction":
            return self.clash(plan)
        if plan.move == "recap":
            return self.lines.pick("recap", ctx=ctx)
        if plan.move == "new_story":
            return self.lines.pick(
                "new_story", ctx={**ctx, "theme": self.world.tags[0] if self.world.tags else ""}
            )
        return self.lines.pick("goodbye" if plan.reason == "goodbye" else "ending", ctx=ctx)

    def template_vars(self, plan: Plan) -> dict[str, Any]:
        """Variables for the move's instruction template."""
        ctx = self.ctx(plan)
        return {
            "idea": ctx["idea"],
            "focus": ctx["focus"],
            "hero": self.hero,
            "answer": ctx["answer"],
            "phase": plan.phase,
            "problem": ctx["problem"],
            "age_band": self.lines.age_band,
        }


_YES_NO = re.compile(r"\s*(can|could|is|are|do|does|did|will|would|should|shall|was|were)\b")


_CLAUSE_BREAK = {"and", "but", "then", "because", "cos", "so", "when", "while"}
_DANGLING = set(
    "a an the at to of in on by for with from into onto my his her their our your its some".split()
)


def _first_clause(words: list[str], limit: int = 6) -> str:
    """The child's own first few words up to a clause break, said back to them: 'mo finds a jelly
    volcano', 'you are making a cake' (never ending on 'at' or 'the')."""
    out: list[str] = []
    for w in words:
        bare = w.strip(",;:").lower()
        if out and bare in _CLAUSE_BREAK:
            break
        out.append(w.strip(",;:"))
        if w.endswith((",", ";", ":")) or len(out) >= limit:
            break
    while len(out) > 1 and out[-1].lower() in _DANGLING:
        out.pop()
    if not out:
        return ""
    said = in_second_person(" ".join(out))  # capitalised; the reply's own capitalising starts sentences
    named = out[0][:1].isupper() and said.split()[0] == out[0]  # 'Mr Shell', not 'My' -> 'Your'
    return said if named else said[:1].lower() + said[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
