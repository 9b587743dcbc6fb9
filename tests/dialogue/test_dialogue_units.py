"""Phases, moves, signals, validators, repair and prompt building, with the fake and echo backends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aistories.backends.fake import FakeBackend
from aistories.dialogue import DialogueManager
from aistories.dialogue.evaluation import distinct2, read_session
from aistories.dialogue.moves import StoryArc, plan_move
from aistories.dialogue.prompts import TRIM_CHUNK, WINDOW_TURNS, Window
from aistories.dialogue.repair import close, cut, drop_questions, fix_names, trim
from aistories.dialogue.signals import read_signals
from aistories.dialogue.turnctx import clash_question
from aistories.dialogue.validate import Need, ends_with_prompt, fk_grade, problems
from aistories.store import Store
from aistories.world import WorldDiff, WorldState, load_world
from aistories.world.extract import extract


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("dunno", "is_stuck"),
        ("idk", "is_stuck"),
        ("?", "is_stuck"),
        ("", "is_stuck"),
        ("what colour is mo?", "is_question"),
        ("bye", "is_bye"),
        ("poo poo banana", "is_silly"),
        ("blah blah blah", "is_silly"),
        ("what happened so far?", "wants_recap"),
    ],
)
def test_signals(text: str, flag: str) -> None:
    assert getattr(read_signals(text), flag) is True


def test_picked_option() -> None:
    offered = ["go to the Star Harbour", "find the silver lantern"]
    assert read_signals("the lantern", offered).picked == offered[1]
    assert read_signals("first one", offered).picked == offered[0]


def test_phases_advance_and_goodbye_ends() -> None:
    arc, sig = StoryArc(), read_signals("then they run")
    phases = [arc.advance(sig, child_entities=0) for _ in range(20)]
    assert phases[:3] == ["opening", "opening", "building"]
    assert (
        phases.index("problem")
        < phases.index("adventure")
        < phases.index("resolution")
        < phases.index("ending")
    )
    assert StoryArc().advance(read_signals("bye"), 0) == "ending"


def test_a_chapter_never_ends_on_a_line_that_brings_something_new() -> None:
    arc = StoryArc()
    arc._enter("resolution")
    arc.turns_in_phase = 5  # the resolution has run its course
    assert arc.advance(read_signals("ther is chips"), child_entities=1) == "resolution"
    assert arc.advance(read_signals("yeh"), child_entities=0) == "ending"


def test_a_goodbye_is_the_endings_one_turn() -> None:
    arc = StoryArc()
    arc.advance(read_signals("then they run"), 0)
    assert arc.advance(read_signals("bye"), 0) == "ending"
    assert arc.advance(read_signals("who took the chip"), 0) == "building"  # the child carried on
    assert arc.chapter == 2


def _state() -> WorldState:
    return WorldState.from_world(load_world("flying-beds-castle"))


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("dunno", "scaffold"),
        ("what is hoot?", "answer"),
        ("poo poo", "play_along"),
        ("a cat called Mo", "uptake"),
        ("a huge spotty dog called Rex jumps on the moon", "praise"),
    ],
)
def test_plan_move(text: str, move: str) -> None:
    state, arc = _state(), StoryArc()
    diff = extract(text, "child", 1, state)
    state.apply(diff)
    sig = read_signals(text)
    arc.advance(sig, 0)
    plan = plan_move(arc, sig, diff, state, "Pip")
    assert plan.move == move and plan.phase == "opening" and plan.reason
    if move == "scaffold":
        assert len(plan.options) == 2 and plan.ending == "choice"


def test_a_telling_line_is_taken_up_even_when_nothing_is_extracted() -> None:
    arc = StoryArc()
    arc.turns = arc.last_recap + 10  # a recap is due: the child's line still comes first
    text = "sambusa are like triangles with meat inside"
    arc.advance(read_signals(text), 1)
    plan = plan_move(arc, read_signals(text), WorldDiff(), _state(), "Pip")
    assert plan.move == "uptake"
    chatter = read_signals("ha thats gas")
    assert plan_move(arc, chatter, WorldDiff(), _state(), "Pip").move != "uptake"


def test_contradiction_becomes_a_playful_choice() -> None:
    state, arc = _state(), StoryArc()
    for i, text in enumerate(["a dragon called Zog", "zog is blue", "zog is red"]):
        diff = extract(text, "child", i, state)
        state.apply(diff)
        sig = read_signals(text)
        arc.advance(sig, 1)
        plan = plan_move(arc, sig, diff, state, "Zog")
    assert plan.move == "contradiction" and plan.clash is not None
    assert clash_question(plan.clash) == "Wait, Zog was blue, and now red! Did Zog change colour?"


def test_validators() -> None:
    need = Need("7-9", recent=("Mo ran to the moon. What next?",), new_names=("Mo",))
    assert problems("Mo ran to the moon. What next?", need) == ["repeat"]
    assert "meta" in problems("As an AI, I like Mo. What next?", need)
    assert "missing_idea" in problems("Pip ran. What next?", need)
    assert "no_question" in problems("Mo ran.", need)
    assert problems("Mo hid under the bed. Should Mo stay or run?", Need("4-6", ending="choice")) == []
    assert ends_with_prompt("Shall we fly, or swim?", "choice") and not ends_with_prompt("Why?", "choice")
    assert fk_grade("The cat sat.") < 2 < fk_grade("Extraordinary circumstances necessitate consideration.")


def test_repair() -> None:
    assert cut("Mo ran home.\nuser: more") == "Mo ran home."
    assert cut("Mo ran. As an AI I think") == "Mo ran."
    assert fix_names("then mo met Hooot", ["Mo", "Hoot"]) == "then Mo met Hoot"
    assert trim("Wow! Mo ran very far away. Then Mo slept a lot.", 1) == "Wow! Mo ran very far away."
    assert trim("Mo ran to the big red", 1) == "Mo ran to the big red."
    assert drop_questions("Mo can fly high, what else?") == "Mo can fly high."
    assert close("Mo ran.", "What next?", "question") == "Mo ran. What next?"


@given(st.text(max_size=300))
def test_parsers_and_validators_never_crash(text: str) -> None:
    read_signals(text, ["go to the moon", "find the key"])
    problems(text, Need("4-6", recent=(text,), new_names=("Mo",)))
    fk_grade(text)
    trim(fix_names(cut(text), ["Mo", "the key"]), 1)
    close(drop_questions(text), "What next?", "choice")


def test_window_trims_in_chunks_with_summary() -> None:
    w = Window([])
    trimmed = [w.append(f"c{i}", f"r{i}", lambda: "summary") for i in range(WINDOW_TURNS + 1)]
    assert trimmed == [False] * WINDOW_TURNS + [True]
    assert len(w.pairs) == WINDOW_TURNS + 1 - TRIM_CHUNK and w.summary == "summary"


def test_prompt_static_prefix_first_dialogue_appended_world_last(store: Store) -> None:
    echo = FakeBackend(echo=True)
    manager = DialogueManager(echo, store, child="owl", seed=1)
    for line in ["a cat called Mo", "mo is blue", "mo jumps", "they fly to the moon"]:
        list(manager.turn(line))
    prompts = echo.history
    assert len({p[0]["content"] for p in prompts}) == 1 and prompts[0][0]["role"] == "system"
    for earlier, later in zip(prompts, prompts[1:], strict=False):
        assert later[: len(earlier) - 1] == earlier[:-1]  # append-only: old messages are byte-identical
    last = prompts[-1][-1]["content"]
    assert last.startswith("they fly to the moon") and "Story notes:" in last and "Mo" in last
    assert last.rstrip().endswith(")")  # the move instruction is the very end


def test_prompt_window_is_bounded(store: Store) -> None:
    echo = FakeBackend(echo=True)
    manager = DialogueManager(echo, store, child="owl", seed=1)
    for i in range(WINDOW_TURNS * 2 + 3):
        list(manager.turn(f"the bed jumps number {i}"))
    sizes = [len(p) for p in echo.history]
    assert max(sizes) <= 2 + 2 * WINDOW_TURNS + 1
    assert any(m["content"].startswith("Earlier in the story") for m in echo.history[-1])


def test_session_files_parse() -> None:
    s = read_session(__import__("pathlib").Path("story_sessions/01-cat-mo.txt"))
    assert s.age_band == "4-6" and s.lines[0].entities == ["Mo"]
    assert any(line.probes == ["blue"] for line in s.lines)
    assert distinct2(["a b c", "a b d"]) == 3 / 4


def test_empty_diff_plan_is_a_question_or_choice() -> None:
    arc = StoryArc()
    arc.advance(read_signals("then"), 0)
    plan = plan_move(arc, read_signals("then"), WorldDiff(), _state(), "Pip")
    assert plan.ending in ("question", "choice")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Zog: The door is too small.", "Zog said, the door is too small."),
        ("Pip: Hello Zog!", "Pip said, Hello Zog!"),
        ("Mo ran home at 3: then slept", "Mo ran home at 3: then slept"),
    ],
)
def test_script_lines_become_speech(raw: str, expected: str) -> None:
    assert cut(raw) == expected


def test_model_sentences_that_repeat_the_lead_are_dropped() -> None:
    from aistories.dialogue.repair import drop_repeats

    lead = "I remember! Bolt is scared of the dark!"
    assert drop_repeats("Bolt is scared of the dark! Bolt hid.", lead) == "Bolt hid."
    assert drop_repeats("Right away, Bolt is scared of the dark!", lead) == ""
    assert drop_repeats("Ooh, Mo ran home.", "Ooh!") == "Ooh, Mo ran home."


def test_eval_story_reads_shipped_sessions_not_the_tests_folder() -> None:
    """Issue 12.8: the default sessions are package data (story_sessions/), so an installed wheel has them."""
    from aistories.cli.eval_story import default_sessions

    folder = default_sessions()
    assert "tests" not in folder.parts and len(list(folder.glob("*.txt"))) >= 13
