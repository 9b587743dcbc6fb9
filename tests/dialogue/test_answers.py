"""Answers from the world: the question's cue picks the attribute, templated, never guessed."""

from __future__ import annotations

import pytest

from aistories.dialogue.answers import answer
from aistories.dialogue.recall import Recall
from aistories.dialogue.signals import read_signals
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
        ("what has zog got?", ("Zog has the gold key!", "Zog")),
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


def test_a_thing_nobody_named_is_answered_with_the_character_of_its_kind() -> None:
    s = WorldState.from_world(load_world("dinosaur-valley"))
    for turn, line in enumerate(["the racoon steals tires", "a racoon called Bandit"], start=1):
        s.apply(extract(line, "child", turn, s))
    assert answer("whats the racoon called", s)[0] == "It's Bandit, a racoon!"


@pytest.mark.parametrize(
    ("line", "asks"),
    [
        ("ok not bad. what colour is his brace then", True),  # the question follows chatter
        ("and were is the pitch", True),  # filler, then a misspelt question word
        ("whit was the submarine made fae", True),
        ("the dragon eats cake, when he wakes up", False),  # a later clause must open with a wh-word
        ("he lives where the river ends", False),
        ("and the ball was made of wat", True),  # a question word closing the clause asks for it
        ("his name is what", True),
        ("i dont know what", False),
    ],
)
def test_questions_after_chatter_are_questions(line: str, asks: bool) -> None:
    assert read_signals(line).is_question is asks


def test_remind_me_with_a_specific_question_is_a_question_not_a_recap() -> None:
    assert read_signals("who designed the dress, remind me").is_question
    assert read_signals("remind me what happened").wants_recap
    assert read_signals("whats the story so far").wants_recap


def test_recall_wants_a_name_for_who_and_a_number_for_a_code() -> None:
    recall = Recall()
    recall.remember("she got bread from the shop", ["the shop"], 1)
    recall.remember("Nanny Pat got bread and milk", ["Nanny Pat"], 2)
    recall.remember("the door has a code. the door code is 1234 lol", ["the door"], 3)
    who = recall.find("who got bread?", [])
    code = recall.find("what was the door code tho", ["the door"])
    assert who is not None and "Nanny Pat" in who.text
    assert code is not None and code.text == "the door code is 1234 lol"


def test_a_renamed_thing_answers_with_its_new_name_and_remembers_the_old(state: WorldState) -> None:
    state.apply(extract("now zog is called sir sprinkles", "child", 9, state))
    assert answer("whats the dragon called now", state, "Zog")[0].startswith("It's Sir Sprinkles")
    assert answer("what was his name before", state, "Sir Sprinkles")[0] == "It's Zog!"
    assert answer("what colour is sir sprinkles", state, "Zog") == (
        "Sir Sprinkles is purple!",
        "Sir Sprinkles",
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who has the key now?", ("Zog has the gold key!", "Zog")),
        ("wich one has the key", ("Zog has the gold key!", "Zog")),
        ("who stole the cake", ("Bolt stole the cake!", "Bolt")),
        ("who has the spoon", ("", "")),
    ],
)
def test_who_has_or_did_it(question: str, expected: tuple[str, str], state: WorldState) -> None:
    state.apply(extract("bolt stole the cake", "child", 9, state))
    assert answer(question, state, "Zog") == expected
