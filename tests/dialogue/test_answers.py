"""Answers from the world: the question's cue picks the attribute, templated, never guessed."""

from __future__ import annotations

import pytest

from aistories.dialogue.answers import answer
from aistories.world import WorldState, load_world
from aistories.world.extract import extract

STORY = [
    "a purple dragon called Zog",
    "he likes cake",
    "zog lives in the tower of pillows",
    "zog has a gold key",
    "a robot named Bolt who is scared of the dark",
    "bolt eats nuts",
]


@pytest.fixture
def state() -> WorldState:
    """The castle after a short child story about Zog and Bolt."""
    s = WorldState.from_world(load_world("flying-beds-castle"))
    for turn, line in enumerate(STORY, start=1):
        s.apply(extract(line, "child", turn, s))
    return s


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what does zog eat?", ("Zog likes cake!", "Zog")),
        ("what does bolt eat", ("Bolt eats nuts!", "Bolt")),
        ("what does he like?", ("Zog likes cake!", "Zog")),
        ("what colour is zog", ("Zog is purple!", "Zog")),
        ("where does zog live?", ("Zog lives in the Tower of Pillows!", "Zog")),
        ("who is zog?", ("Zog is a dragon!", "Zog")),
        ("what is the dragon's name?", ("It's Zog, a dragon!", "Zog")),
        ("what has zog got?", ("Zog has the key!", "Zog")),
        ("why is bolt scared?", ("Bolt is scared of the dark!", "Bolt")),
        ("what is bolt?", ("Bolt is a robot!", "Bolt")),
        ("what colour is pip?", ("", "")),  # nobody said: no guess, and no off-topic fact instead
        ("what does zog want?", ("", "")),
        ("why is the sky blue?", ("", "")),
        ("what is this place?", ("", "")),  # not about the focus character: never answered with it
    ],
)
def test_answers_from_the_world(state: WorldState, question: str, expected: tuple[str, str]) -> None:
    assert answer(question, state, focus="Zog") == expected
