"""Memory selection: the right facts, within budget, with a reason for each."""

from __future__ import annotations

import pytest

from aistories.world import WorldState, select_facts
from aistories.world.extract import extract
from aistories.world.memory import entity_line, main_cast


def words(s: str) -> int:
    return len(s.split())


@pytest.fixture
def story(castle: WorldState) -> WorldState:
    for turn, text in enumerate(
        ["a cat called mo", "mo is hungry", "a purple dragon called Zog", "Pip and Mo flew to the volcano"],
        start=1,
    ):
        castle.apply(extract(text, "child", turn, castle))
    return castle


def test_named_in_last_turn_comes_first_then_main_cast(story: WorldState) -> None:
    sel = select_facts(story, ["the dragon is sad", "where is mo?"], 10, words)
    assert sel.text == "Mo: a cat, hungry. Pip: a brave little bed."
    assert sel.why == [
        {"fact": "Mo: a cat, hungry.", "entity": "Mo", "reason": "named in last turn"},
        {"fact": "Pip: a brave little bed.", "entity": "Pip", "reason": "main cast"},
    ]
    assert sel.tokens == 9


@pytest.mark.parametrize("budget", [0, 3, 8, 15, 30, 60, 200])
def test_never_over_budget(story: WorldState, budget: int) -> None:
    sel = select_facts(story, ["zog and the volcano", "hoot?"], budget, words)
    assert words(sel.text) == sel.tokens <= budget
    assert " ".join(w["fact"] for w in sel.why) == sel.text


def test_keyword_and_recent_reasons(story: WorldState) -> None:
    sel = select_facts(story, ["the silver lantern is shiny", "the owl is cold"], 200, words)
    reasons = {w["entity"]: w["reason"] for w in sel.why}
    assert reasons == {
        "Mo": "main cast",
        "Pip": "main cast",
        "Zog": "main cast",
        "the silver lantern": "named recently",
        "Hoot": "keyword match",
        "Pip and Mo flew to the volcano": "latest event",
    }
    assert sel.why[-1] == {
        "fact": "Last: Pip and Mo flew to the volcano.",
        "entity": "Pip and Mo flew to the volcano",
        "reason": "latest event",
    }


def test_main_cast_is_who_the_story_is_about(story: WorldState) -> None:
    assert [e.name for e in main_cast(story)] == ["Mo", "Pip", "Zog"]


def test_lines_are_compact(story: WorldState) -> None:
    assert entity_line(story.find("Zog")) == "Zog: a dragon, purple."  # type: ignore[arg-type]
    assert entity_line(story.find("the volcano")) == "Place: the volcano."  # type: ignore[arg-type]
    assert entity_line(story.find("Pip"), short=True) == "Pip: a brave little bed."  # type: ignore[arg-type]


def test_empty_world_and_no_texts() -> None:
    assert select_facts(WorldState(), [], 50, words).text == ""
