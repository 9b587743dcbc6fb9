"""Story phases (a small state machine) and the one move planned for each turn, with its reason.

Phases: opening → building → problem → adventure → resolution → ending, then a new chapter starts at
building. A goodbye jumps straight to the ending. Moves are chosen by priority: what the child just did
(said goodbye, contradicted the world, got stuck, asked, played with words, brought a new idea) comes
first; otherwise the phase decides (problem → choice, ending → recap, else question or choice).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..world import WorldDiff, WorldState
from ..world.state import Contradiction
from ..world.text import content_stems, with_article
from .lines import group
from .signals import Signals

log = logging.getLogger(__name__)

PHASES = ("opening", "building", "problem", "adventure", "resolution", "ending")
# Turns a phase lasts at most before the story moves on (ending is one turn, then a new chapter).
PHASE_TURNS = {"opening": 2, "building": 5, "problem": 2, "adventure": 7, "resolution": 2, "ending": 1}
MOVES = (
    "open_question",
    "choice",
    "uptake",
    "answer",
    "recap",
    "praise",
    "scaffold",
    "play_along",
    "contradiction",
    "ending",
    "new_story",
)
# How each move must end: a question, a two-way choice, or either (the closer decides).
ENDINGS = {
    "open_question": "question",
    "choice": "choice",
    "uptake": "question",
    "answer": "question",
    "recap": "question",
    "praise": "question",
    "scaffold": "choice",
    "play_along": "question",
    "contradiction": "choice",
    "ending": "question",
    "new_story": "question",
}
# Moves whose words are all templated from the world: no model call (fast, and nothing to go wrong).
TEMPLATED = {"scaffold", "contradiction", "recap", "ending", "new_story"}
RECAP_EVERY = 12
# Options vary their verbs, so two choices in a row never sound the same.


@dataclass
class Plan:
    """The move for one turn: what to do, in which phase, and why (logged to turns.move/phase/reason)."""

    move: str
    phase: str
    reason: str
    focus: str = ""
    new: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    clash: Contradiction | None = None  # worded by TurnContext from prompts/lines.yaml

    @property
    def ending(self) -> str:
        """'question' or 'choice': how the reply must end ('none' for fixed safety replies)."""
        return ENDINGS.get(self.move, "none")

    @property
    def uses_model(self) -> bool:
        """False for moves built from templates alone."""
        return self.move not in TEMPLATED


@dataclass
class StoryArc:
    """Where the story is: the phase, how long it has lasted, and the chapter."""

    phase: str = "opening"
    turns_in_phase: int = 0
    chapter: int = 1
    turns: int = 0
    last_recap: int = 0
    last_praise: int = -10
    problem_told: bool = False  # the world's problem is said once; later turns refer to it, never repeat it

    def advance(self, signals: Signals, child_entities: int) -> str:
        """Move to the next phase when this one has run its course; returns the phase for this turn."""
        self.turns += 1
        if signals.is_bye:
            self._enter("ending")
            # the goodbye was the ending's turn: a child who carries on gets a new chapter
            self.turns_in_phase = 1
            return self.phase
        limit = PHASE_TURNS[self.phase]
        done = self.turns_in_phase >= limit
        if self.phase == "opening" and self.turns_in_phase >= 1 and child_entities:
            done = True
        if self.phase == "building" and self.turns_in_phase >= 3 and child_entities >= 2:
            done = True
        is_telling = signals.is_question or len(signals.words) >= 4 or child_entities > 0
        if done and self.phase == "resolution" and is_telling:
            done = False  # the child asks or tells ('ther is chips'): the chapter ends on a quieter turn
        if done:
            nxt = "building" if self.phase == "ending" else PHASES[PHASES.index(self.phase) + 1]
            if self.phase == "ending":
                self.chapter += 1
            self._enter(nxt)
        self.turns_in_phase += 1
        return self.phase

    def _enter(self, phase: str) -> None:
        log.debug("phase %s -> %s", self.phase, phase)
        self.phase, self.turns_in_phase = phase, 0


def tells(signals: Signals) -> bool:
    """Does the line tell the story something, even when extraction read no thing or fact in it? ('Mr
    Shell drinks magic juice at half time': taken up in the child's words, not lost to a recap)."""
    return len(signals.words) >= 4 and len(content_stems(" ".join(signals.words))) >= 2


def plan_move(arc: StoryArc, signals: Signals, diff: WorldDiff, state: WorldState, hero: str) -> Plan:
    """Choose this turn's one move from the child's signals, the world changes and the phase."""
    phase = arc.phase
    new = [e.name for e in diff.entities if e.source == "child"]
    # A new character is the focus; a new place or thing happens to the character we are following.
    new_chars = [e.name for e in diff.entities if e.source == "child" and e.kind == "characters"]
    mentions = [m for m in diff.mentions if (s := state.find(m)) is not None and s.kind == "characters"]
    focus = new_chars[0] if new_chars else (mentions[0] if mentions else hero)
    if signals.picked:
        focus = _entity_in(signals.picked, state) or focus

    def plan(move: str, reason: str, **kw: object) -> Plan:
        return Plan(move, phase, reason, focus=focus, new=new, **kw)  # type: ignore[arg-type]

    if signals.new_story:
        return plan("new_story", f"the child asked for a {signals.new_story} story: the story becomes that")
    if phase == "ending":
        arc.last_recap = arc.turns
        return plan("ending", "goodbye" if signals.is_bye else "the chapter is over: recap and close")
    if diff.contradictions:
        c = diff.contradictions[0]
        return plan(
            "contradiction",
            f"{c.entity} {c.attribute} was {c.old}, now {c.new}",
            clash=c,
            options=[c.old, c.new],
        )
    if signals.is_stuck:
        return plan(
            "scaffold",
            "child is stuck: offer two concrete options",
            options=two_options(state, focus, arc.turns),
        )
    if signals.wants_recap:
        arc.last_recap = arc.turns
        return plan("recap", "child asked what happened so far")
    if signals.is_question:
        return plan("answer", "child asked a question: answer it in the story")
    if signals.is_silly:
        return plan("play_along", "nonsense or word play: play along, don't correct")
    if new and len(signals.words) >= 6 and arc.turns - arc.last_praise >= 4:
        arc.last_praise = arc.turns
        return plan("praise", f"rich idea with new {', '.join(new)}: praise it specifically")
    if new or signals.picked or diff.facts or tells(signals):
        what = ", ".join(new) or signals.picked or (diff.facts[0].describe() if diff.facts else "own words")
        return plan("uptake", f"take up the child's idea ({what}) and add a twist")
    if arc.turns - arc.last_recap >= RECAP_EVERY:
        arc.last_recap = arc.turns
        return plan("recap", f"{RECAP_EVERY} turns since the last recap")
    if phase in ("problem", "resolution") or arc.turns % 2 == 0:
        return plan(
            "choice", f"{phase}: steer with a two-way choice", options=two_options(state, focus, arc.turns)
        )
    return plan("open_question", f"{phase}: invite the child's own idea")


def two_options(state: WorldState, focus: str, turn: int) -> list[str]:
    """Two concrete things to do next, drawn from the world (not the focus itself), rotating by turn."""
    pool: list[str] = []
    others = [e for e in reversed(state.of_kind("characters")) if e.name.lower() != focus.lower()]
    for kind, found in (
        ("place", [e.name for e in reversed(state.of_kind("places"))]),
        ("object", [with_article(e.name) for e in reversed(state.of_kind("objects"))]),
        ("friend", [e.name for e in others]),
    ):
        verbs = group("options", kind)
        pool += [verbs[i % len(verbs)].format(name=name) for i, name in enumerate(found)]
    pool += group("options", "any")
    pool = list(dict.fromkeys(pool))
    first = pool[turn % len(pool)]
    second = pool[(turn * 3 + 1) % len(pool)]
    if second == first:
        second = pool[(pool.index(first) + 1) % len(pool)]
    return [first, second]


def _entity_in(option: str, state: WorldState) -> str | None:
    """The world entity an option talks about, if any."""
    low = option.lower()
    for e in state.entities.values():
        if e.name.lower() in low:
            return e.name
    return None
