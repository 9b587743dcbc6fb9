"""The plain dialogue loop with the fake backend: one stored turn per child line."""

from __future__ import annotations

import json

from aistories.backends.fake import FakeBackend
from aistories.dialogue import DialogueManager, SafetyChecked, Token, TurnDone, WorldUpdated
from aistories.dialogue.manager import clean_child_text, tidy_reply
from aistories.store import Store


def _manager(backend: FakeBackend, store: Store, **kw: object) -> DialogueManager:
    return DialogueManager(backend, store, child="fox", seed=3, **kw)  # type: ignore[arg-type]


def test_turn_yields_events_in_order_and_stores_one_row(fake_model: FakeBackend, store: Store) -> None:
    fake_model.enqueue(["Pip flew up ", "to the moon. Where next?"])
    events = list(_manager(fake_model, store).turn("Pip flies to the moon"))
    assert [type(e) for e in events] == [SafetyChecked, Token, WorldUpdated, TurnDone]
    done = events[-1]
    assert isinstance(done, TurnDone)
    assert (done.turn, done.reply, done.safety) == (1, "Pip flew up to the moon. Where next?", "allow")
    row = store.db["turns"].get(done.record["id"])
    assert (row["child_text"], row["reply"], row["model_id"], row["model_sha256"], row["seed"]) == (
        "Pip flies to the moon", done.reply, "fake", "fake", 3)
    assert json.loads(row["options_json"])["seed"] == 3
    assert set(json.loads(row["timings_json"])) == {"safety_in_ms", "prompt_ms", "generate_ms", "repair_ms",
                                                   "safety_out_ms"}


def test_prompt_has_static_system_first_and_child_text_last(echo_model: FakeBackend, store: Store) -> None:
    manager = _manager(echo_model, store)
    list(manager.turn("a cat called Mo"))
    list(manager.turn("Mo is hungry"))
    first, second = echo_model.history
    assert first[0] == second[0] and first[0]["role"] == "system"
    assert second[-1]["role"] == "user" and second[-1]["content"].startswith("Mo is hungry")
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]


def test_disclosure_gets_fixed_reply_alert_and_no_model_call(fake_model: FakeBackend, store: Store) -> None:
    done = list(_manager(fake_model, store).turn("my uncle hurts me when mum is out"))[-1]
    assert isinstance(done, TurnDone)
    assert done.safety == "escalate" and "not your fault" in done.reply
    assert fake_model.history == []
    assert [a["turn_id"] for a in store.db["alerts"].rows] == [done.record["id"]]


def test_world_is_seeded_from_the_starter_world_and_resumed(fake_model: FakeBackend, store: Store) -> None:
    done = list(_manager(fake_model, store).turn("hello"))[-1]
    assert isinstance(done, TurnDone)
    assert [c["name"] for c in done.world["characters"]] == ["Pip", "Hoot"]
    again = _manager(fake_model, store)
    assert [e.name for e in again.state.of_kind("characters")] == ["Pip", "Hoot"]
    assert store.db["world_entities"].count == 5


def test_empty_and_control_text_never_reach_the_model(fake_model: FakeBackend, store: Store) -> None:
    done = list(_manager(fake_model, store).turn("\x00\x07  \u200b"))[-1]
    assert isinstance(done, TurnDone)
    assert done.child == "" and "listening" in done.reply and fake_model.history == []


def test_clean_child_text_bounds_and_folds() -> None:
    assert clean_child_text("a\x1b[31m  b\n\tc") == "a[31m b c"
    assert len(clean_child_text("x" * 10_000)) == 500
    assert clean_child_text("🐉 مرحبا dragon") == "🐉 مرحبا dragon"


def test_tidy_reply_cuts_role_tags_and_ensures_a_question() -> None:
    assert tidy_reply("The owl hooted. user: tell me more") == "The owl hooted. What do you think happens next?"
    assert tidy_reply("One. Two. Three. Four? Five.", max_sentences=2) == (
        "One. Two. What do you think happens next?")
    assert tidy_reply("Shall we fly?") == "Shall we fly?"
