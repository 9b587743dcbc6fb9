"""Storyteller exemplars rendered into exactly the prompt the composer sends (train_storyteller_adapter.py).

One exemplar (data/story/exemplars/sNN.jsonl: setting, facts, recent pairs, child line, move, focus,
answer → sentence) becomes the composer's messages, built with the project's own code: the facts and
the child's lines go through world.extract into a WorldState, the story notes are the memory snapshot
(world.select_facts, the manager's token budget), the idea is TurnContext.idea, and
PromptBuilder renders the adapter's system prompt, the window pairs and the tail with the move's
instruction. The llama.cpp backend turns the messages into token ids (render_ids), as at run time.

The adapter model is not pre-filled with the opener's fragment (its registry entry sets
`prefill: false`), so the target is the writer's whole sentence followed by <|im_end|>.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from aistories.dialogue import worldview  # noqa: E402
from aistories.dialogue.lines import Lines  # noqa: E402
from aistories.dialogue.manager import SNAPSHOT_TOKENS  # noqa: E402
from aistories.dialogue.prompts import PromptBuilder, Window  # noqa: E402
from aistories.dialogue.turnctx import TurnContext  # noqa: E402
from aistories.world import StoryWorld, WorldState, select_facts  # noqa: E402
from aistories.world.extract import extract  # noqa: E402

EXEMPLARS = ROOT / "data" / "story" / "exemplars"
SYSTEM = "system_adapter.j2"
# Exemplar moves -> the run-time move whose instruction the composer sends for such a turn: a question
# to the storyteller is planned as an answer, a child linking the hero to their treatment as an uptake,
# 'notice' and 'next' read like the choice and open-question instructions (prompts/moves/).
MOVES = {
    "uptake": "uptake",
    "answer": "answer",
    "play_along": "play_along",
    "praise": "praise",
    "notice": "choice",
    "next": "open_question",
    "about_me": "answer",
    "treatment": "uptake",
}


@dataclass(frozen=True)
class Example:
    """One rendered exemplar: prompt ids (ending with the assistant header) and target ids."""

    id: str
    brief: str
    prompt: list[int]
    target: list[int]


def read_exemplars(briefs: list[str] | None = None) -> list[dict[str, Any]]:
    """Every exemplar, in file order (a brief is one file: s01 … s13)."""
    rows: list[dict[str, Any]] = []
    for path in sorted(EXEMPLARS.glob("s*.jsonl")):
        if briefs is None or path.stem in briefs:
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows


def _world(ex: dict[str, Any]) -> StoryWorld:
    """A stand-in starter world holding only the exemplar's setting (what the adapter's prompt reads)."""
    return StoryWorld.model_construct(
        name="exemplar",
        title="",
        setting=ex["setting"],
        opening="",
        problem="",
        characters=[],
        places=[],
        objects=[],
        vocabulary={},
        tags=[],
    )


def messages_for(ex: dict[str, Any], count_tokens: Any, rng: random.Random) -> list[dict[str, str]]:
    """The composer's messages for one exemplar."""
    state = WorldState()
    turn = 0
    for fact in ex["facts"]:
        state.apply(extract(fact, "child", turn, state))
        turn += 1
    for child, _ in ex["recent"]:
        state.apply(extract(child, "child", turn, state))
        turn += 1
    diff = extract(ex["child"], "child", turn, state)
    state.apply(diff)
    recent = [s for pair in ex["recent"][-2:] for s in pair] + [ex["child"]]
    snap = select_facts(state, recent, SNAPSHOT_TOKENS, count_tokens)
    world = _world(ex)
    hero = worldview.hero_of(state)
    tc = TurnContext(ex["child"], state, world, Lines(ex["age_band"]), hero, diff, turn)
    move = MOVES[ex["move"]]
    focus = ex["focus"] or hero
    variables = {
        "idea": tc.idea or focus,
        "focus": focus,
        "hero": hero,
        "answer": ex.get("answer", ""),
        "phase": rng.choice(["building", "adventure"]) if move == "open_question" else "building",
        "problem": "",
        "age_band": ex["age_band"],
    }
    builder = PromptBuilder(ex["age_band"], world, system=SYSTEM)
    window = Window([(c, s) for c, s in ex["recent"]])
    messages, _ = builder.build(window, ex["child"], snap.text, move, **variables)
    return messages


def render(ex: dict[str, Any], backend: Any, rng: random.Random) -> Example:
    """Prompt and target ids for one exemplar, as the llama.cpp backend would feed them."""
    messages = messages_for(ex, backend.count_tokens, rng)
    prompt = backend.render_ids(messages)
    target = backend.tokenize(ex["sentence"].strip()) + end_ids(backend)
    return Example(ex["id"], ex["id"].split("-")[0], prompt, target)


def end_ids(backend: Any) -> list[int]:
    """<|im_end|> as the chat template's special token: the model learns to stop after its sentence."""
    return list(backend.llm.tokenize(b"<|im_end|>", add_bos=False, special=True))
