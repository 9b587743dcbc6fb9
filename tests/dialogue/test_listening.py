"""Issue 9 regressions from the spent blind sessions (set 5): questions, recall, new stories, uptake."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aistories.backends.fake import FakeBackend
from aistories.dialogue import DialogueManager, TurnDone
from aistories.dialogue.answers import answer, fold_question, follow_up
from aistories.dialogue.evaluation import Line, Played, Session, idea_uptake, repeated_openings
from aistories.dialogue.recall import Recall, in_second_person
from aistories.dialogue.signals import read_signals, story_request
from aistories.store import Store
from aistories.world import WorldState, load_world
from aistories.world.extract import extract


@pytest.mark.parametrize(
    "text",
    [
        "wot colur is biscit",
        "wait whats the rocket called",
        "who drive",
        "ok so who was the baddie",
        "wat color bobek",
    ],
)
def test_questions_as_children_type_them(text: str) -> None:
    assert read_signals(text).is_question


@pytest.mark.parametrize("text", ["i know what to do", "no", "dunno", "he went to see what it was"])
def test_statements_are_not_questions(text: str) -> None:
    assert not read_signals(text).is_question


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("can we do a robot story instead", "robot"),
        ("i want a space adventure", "space"),
        ("a story about pirates please", "pirates"),
        ("lets do a space pirate story", "space pirate"),
        ("can we do a different story", ""),
        ("this story is boring", ""),
        ("i want a story", ""),
        # Dev sessions (blind sets 5 and 6, spent): 'instead' without the word 'story'.
        ("can we do sheep insted of a garden pleeease", "sheep"),
        ("bruh this is kinda baby. can we do a heist instead", "heist"),
        ("can we do a football one instead", "football"),
        ("can we do the cave instead", ""),  # an option in the story, not another story
        ("priya offers kevin a samosa instead", ""),
    ],
)
def test_story_requests(text: str, kind: str) -> None:
    assert story_request(text) == kind


def test_misspelt_cue_words_fold() -> None:
    assert fold_question("wot culer is biscit") == "what colour is biscit"


def _state(*lines: str) -> WorldState:
    state = WorldState.from_world(load_world("dinosaur-valley"))
    for n, line in enumerate(lines):
        state.apply(extract(line, "child", n, state))
    return state


def test_the_childs_character_answers_before_the_worlds() -> None:
    state = _state("they race a triceratops named tank")
    assert answer("whats the triceratops name", state) == ("It's Tank, a triceratops!", "Tank")


@pytest.mark.parametrize(
    ("line", "question", "expected"),
    [
        ("a t rex drives a monster truck named big chomp", "what is the truck called", "Big Chomp"),
        ("captain crumble is a pirate", "who is captain crumble", "pirate"),
        ("the volcano is made of jelly", "wot is the volcano made of", "jelly"),
        ("my dog biscit is brown", "what colour is biscit", "brown"),
    ],
)
def test_facts_answer_questions_in_any_phrasing(line: str, question: str, expected: str) -> None:
    found, _ = answer(question, _state(line))
    assert expected.lower() in found.lower()


def test_recall_finds_what_the_child_said() -> None:
    recall = Recall()
    recall.remember("the bone is mayd of chocklit", ["the bone"], 1)
    recall.remember("her co-pilot is a robot cat called Pixel who only talks in binary", ["Pixel"], 2)
    recall.remember("my teddy is called bampy", ["Bampy"], 3)
    found = recall.find("what did pixel talk in again?", ["Pixel"])
    assert found is not None and "binary" in found.text
    found = recall.find("whats the teddys name", [])
    assert found is not None and in_second_person(found.text) == "Your teddy is called bampy"
    assert recall.find("what colour is the sky", []) is None


def test_a_question_about_rex_is_answered_by_a_line_about_rex() -> None:
    recall = Recall()
    recall.remember("a dog called Rex", ["Rex"], 1)
    recall.remember("the castle is made of cheese", ["the castle"], 2)
    recall.remember("rex is big", ["Rex"], 3)
    found = recall.find("what is rex?", ["Rex"])
    assert found is not None and "Rex" in found.about


def test_a_pronoun_line_is_about_the_character_before_it() -> None:
    recall = Recall()
    recall.remember("my horse is called Misty Moon", ["Misty Moon"], 1)
    recall.remember("she has a silver mane down to her knees", ["the mane"], 2)
    assert recall.said[1].about == ("the mane", "Misty Moon")
    found = recall.find(
        "what colour is misty moon's mane?", ["Misty Moon"], fact="Misty Moon is grey!", specific=True
    )
    assert found is not None and "silver" in found.text


def test_questions_are_never_remembered_as_facts() -> None:
    recall = Recall()
    recall.remember("is the dragon blue?", ["the dragon"], 1)
    assert recall.said == []


@given(st.text(max_size=200))
def test_recall_never_crashes(text: str) -> None:
    recall = Recall()
    recall.remember(text, [], 0)
    recall.find(text, [])


def test_a_question_the_facts_miss_is_answered_from_the_childs_words(
    fake_model: FakeBackend, store: Store
) -> None:
    manager = DialogueManager(fake_model, store, world="submarine-hospital", child="grace", seed=1)
    for line in ["a dolphin called splash", "splash talks in whale song and it sounds like bubbles"]:
        list(manager.turn(line))
    done = [e for e in manager.turn("what does splash talk in again") if isinstance(e, TurnDone)][0]
    assert "whale song" in done.reply.lower()


def test_a_follow_up_asks_the_last_question_again(fake_model: FakeBackend, store: Store) -> None:
    manager = DialogueManager(fake_model, store, world="submarine-hospital", child="mika", seed=1)
    for line in ["a dolphin called splash", "splash is blue", "a crab called pinch", "pinch is orange"]:
        list(manager.turn(line))
    list(manager.turn("what colour is splash"))
    done = [e for e in manager.turn("and pinch") if isinstance(e, TurnDone)][0]
    assert "orange" in done.reply.lower() and done.record["move"] == "answer"
    told = [e for e in manager.turn("and then they swim away") if isinstance(e, TurnDone)][0]
    assert told.record["move"] != "answer"  # a line that tells the story on is no follow-up


@pytest.mark.parametrize(
    ("text", "previous", "question"),
    [
        ("and the stick", "what was the puck made of", "what made the stick"),
        ("and the bus colur?", "wot colur is the train", "what the bus colour"),
        ("and then they run away", "what colour is zog", ""),
        ("and the stick", "", ""),
    ],
)
def test_follow_ups(text: str, previous: str, question: str) -> None:
    assert follow_up(text, previous) == question


def test_asking_for_another_story_sets_the_starter_aside(fake_model: FakeBackend, store: Store) -> None:
    manager = DialogueManager(fake_model, store, world="flying-beds-castle", child="zainab", seed=1)
    done = [e for e in manager.turn("can we do a space story instead") if isinstance(e, TurnDone)][0]
    assert "space story" in done.reply.lower()
    assert not [e for e in manager.state.entities.values() if e.source == "world"]
    assert done.record["move"] == "new_story"
    assert "space" in manager.world.title.lower()


def test_idea_uptake_counts_new_content_words_taken_up() -> None:
    session = Session("s", lines=[Line("a jelly volcano"), Line("what is it?"), Line("it wobbles")])
    played = Played(session, ["The jelly volcano burps!", "It is jelly.", "Boing!"], actions=["allow"] * 3)
    assert idea_uptake([played]) == (1, 2)


def test_repeated_openings() -> None:
    assert repeated_openings(["Ooh, a cat! Yes.", "Ooh, a cat! No.", "Look!"]) == pytest.approx(1 / 3)


def test_the_fake_backend_runs_the_prefill_path(store: Store) -> None:
    """Issue 10: the fast suite exercises the same composer path as llama.cpp (opener pre-filled as ids)."""
    model = FakeBackend(prefill=True)
    manager = DialogueManager(model, store, world="flying-beds-castle", child="ivy", seed=1)
    model.enqueue([" ate the jelly tower in one wobbly bite."])
    done = [e for e in manager.turn("a dragon called zog") if isinstance(e, TurnDone)][0]
    assert model.prefilled and model.prefilled[-1].endswith("Zog")
    assert model.not_first[-1] == ":"  # the continued sentence may not open a 'Zog: ...' label
    assert "Zog ate the jelly tower in one wobbly bite." in done.reply
    assert done.record["reply_source"] == "model"


def test_the_output_gate_reads_the_models_sentence_whole(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model continues the opener's fragment; the gate checks 'Zog ate…', never a subjectless
    ' ate…' (blind story set 8: bare continuations read as noise and 20% of model turns were blocked)."""
    from aistories.dialogue import manager as manager_module

    seen: list[str] = []
    real = manager_module.check

    def spy(text: str, speaker: str = "child") -> Any:
        seen.append(text)
        return real(text, speaker)

    monkeypatch.setattr(manager_module, "check", spy)
    model = FakeBackend(prefill=True)
    manager = DialogueManager(model, store, world="flying-beds-castle", child="ivy", seed=1)
    model.enqueue([" ate the jelly tower in one wobbly bite."])
    list(manager.turn("a dragon called zog"))
    raw = " ate the jelly tower in one wobbly bite."
    assert raw not in seen
    assert any(t.endswith(f"Zog{raw}") and t != raw for t in seen)


@pytest.mark.parametrize(
    ("said", "back"),
    [
        ("she is wite and fluffy", "She is white and fluffy"),  # blind set 8: the probe wants 'white'
        ("my dog is blu", "Your dog is blue"),
        ("my friend greg has a hat", "Your friend greg has a hat"),  # a name is never 'corrected'
    ],
)
def test_the_childs_words_said_back_are_spelt_as_in_a_book(said: str, back: str) -> None:
    assert in_second_person(said) == back
