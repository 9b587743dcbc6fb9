"""The dialogue manager with the fake backend: events, one stored turn per line, moves, safety, world."""

from __future__ import annotations

import json

from aistories.backends.fake import FakeBackend
from aistories.dialogue import Choices, DialogueManager, SafetyChecked, Token, TurnDone, WorldUpdated
from aistories.dialogue.manager import clean_child_text
from aistories.store import Store


def _manager(backend: FakeBackend, store: Store, **kw: object) -> DialogueManager:
    return DialogueManager(backend, store, child="fox", seed=3, **kw)  # type: ignore[arg-type]


def _done(events: list[object]) -> TurnDone:
    done = events[-1]
    assert isinstance(done, TurnDone)
    return done


def test_turn_yields_events_in_order_and_stores_one_row(fake_model: FakeBackend, store: Store) -> None:
    fake_model.enqueue(["Pip flew up ", "to the moon with a big grin."])
    events = list(_manager(fake_model, store).turn("a cat called Mo"))
    assert [type(e) for e in events] == [SafetyChecked, Token, WorldUpdated, TurnDone]
    done = _done(events)
    assert (done.turn, done.safety) == (1, "allow")
    assert "Pip flew up to the moon with a big grin." in done.reply and "Mo" in done.reply
    assert done.reply.endswith("?")
    row = store.db["turns"].get(done.record["id"])
    assert (row["child_text"], row["reply"], row["model_id"], row["model_sha256"], row["seed"]) == (
        "a cat called Mo",
        done.reply,
        "fake",
        "fake",
        3,
    )
    assert (row["move"], row["phase"], row["reply_source"]) == ("uptake", "opening", "model")
    assert "Mo" in row["reason"]
    assert json.loads(row["options_json"])["seed"] == 3
    assert {
        "safety_in_ms",
        "extract_ms",
        "plan_ms",
        "prompt_ms",
        "generate_ms",
        "repair_ms",
        "safety_out_ms",
        "extract_reply_ms",
    } <= set(json.loads(row["timings_json"]))
    prompts = json.loads(row["prompts_json"])
    assert {"system.j2", "turn.j2", "moves/uptake.j2", "lines.yaml"} == set(prompts)
    assert row["prompt_name"] == "moves/uptake.j2" and row["prompt_sha256"] == prompts["moves/uptake.j2"]


def test_child_entity_lands_in_world_and_store(fake_model: FakeBackend, store: Store) -> None:
    done = _done(list(_manager(fake_model, store).turn("a cat called Mo")))
    assert "Mo" in [c["name"] for c in done.world["characters"]]
    assert "Mo" in [r["name"] for r in store.db["world_entities"].rows]
    assert [r["turn_id"] for r in store.db["memory_why"].rows] == [done.record["id"]]


def test_stuck_child_gets_two_options_without_a_model_call(fake_model: FakeBackend, store: Store) -> None:
    manager = _manager(fake_model, store)
    events = list(manager.turn("dunno"))
    choices = [e for e in events if isinstance(e, Choices)]
    done = _done(events)
    assert fake_model.history == []
    assert done.record["move"] == "scaffold" and len(choices[0].options) == 2
    assert all(o in done.reply for o in choices[0].options) and done.reply.endswith("?")


def test_unusable_reply_is_regenerated_then_falls_back(fake_model: FakeBackend, store: Store) -> None:
    fake_model.enqueue(["..."])
    fake_model.enqueue(["[notes] ok"])
    done = _done(list(_manager(fake_model, store).turn("Mo jumps on the bed")))
    assert len(fake_model.history) == 2
    # Both candidates were unusable; the storyteller gate may also block the '[notes]' candidate itself
    # (it checks every raw candidate), which makes the templated turn a safe fallback.
    assert done.record["reply_source"] in ("fallback", "safe_fallback")
    assert done.record["problems_json"] == [["too_short"], ["too_short"]]
    assert "notes" not in done.reply and done.reply.endswith("?")


def test_disclosure_gets_fixed_reply_alert_and_no_model_call(fake_model: FakeBackend, store: Store) -> None:
    done = _done(list(_manager(fake_model, store).turn("my uncle hurts me when mum is out")))
    assert done.safety == "escalate" and "not your fault" in done.reply
    assert fake_model.history == []
    assert [a["turn_id"] for a in store.db["alerts"].rows] == [done.record["id"]]


def test_world_is_seeded_from_the_starter_world_and_resumed(fake_model: FakeBackend, store: Store) -> None:
    first = _manager(fake_model, store)
    assert first.opening() == first.world.opening and not first.is_resumed
    done = _done(list(first.turn("a cat called Mo")))
    assert [c["name"] for c in done.world["characters"]][:2] == ["Pip", "Hoot"]
    again = _manager(fake_model, store)
    assert again.is_resumed
    assert "Mo" in [e.name for e in again.state.of_kind("characters")]
    assert again.opening().startswith("Last time") and "Mo" in again.opening()


def test_empty_and_control_text_never_reach_the_model(fake_model: FakeBackend, store: Store) -> None:
    done = _done(list(_manager(fake_model, store).turn("\x00\x07  \u200b")))
    assert done.child == "" and "listening" in done.reply and fake_model.history == []


def test_clean_child_text_bounds_and_folds() -> None:
    assert clean_child_text("a\x1b[31m  b\n\tc") == "a[31m b c"
    assert len(clean_child_text("x" * 10_000)) == 500
    assert clean_child_text("🐉 مرحبا dragon") == "🐉 مرحبا dragon"


PII_LINES = [
    "a dragon called Zog and my mums phone is 07700 900123",
    "email me at sam.jones@example.com, zog likes cake",
    "I live at 12 Acacia Road SW1A 1AA and zog is purple",
]
PII_BITS = ["07700", "900123", "sam.jones", "example.com", "12 Acacia Road", "Acacia", "SW1A"]


def test_personal_details_never_reach_the_model_or_the_world(fake_model: FakeBackend, store: Store) -> None:
    manager = _manager(fake_model, store)
    done = [_done(list(manager.turn(line))) for line in PII_LINES]
    list(manager.turn("what does zog eat?"))  # one more prompt, carrying the whole window
    prompts = json.dumps(fake_model.history)
    world = json.dumps(
        [
            list(store.db[t].rows)
            for t in ("world_entities", "world_facts", "world_events", "world_relations", "memory_why")
        ]
    )
    assert [bit for bit in PII_BITS if bit in prompts or bit in world] == []
    assert "Zog" in world and "a mystery" in prompts
    # The carer's storybook keeps what the child typed; the research copy is the masked one.
    rows = store.turns(manager.session["id"])
    assert [r["child_text"] for r in rows[:3]] == PII_LINES == [d.child for d in done]
    assert "[phone]" in json.loads(rows[0]["safety_json"])["input"]["redacted"]


def test_a_blocked_message_never_enters_the_model_window(fake_model: FakeBackend, store: Store) -> None:
    manager = _manager(fake_model, store)
    list(manager.turn("my uncle hurts me when mum is out"))
    list(manager.turn("a cat called Mo"))
    assert "uncle" not in json.dumps(fake_model.history)


def test_a_returning_child_resumes_per_starter_world(fake_model: FakeBackend, store: Store) -> None:
    first = _manager(fake_model, store, world="flying-beds-castle")
    list(first.turn("a cat called Mo"))
    first.end()
    other = _manager(fake_model, store, world="dinosaur-valley")
    assert not other.is_resumed and other.opening() == other.world.opening
    assert "Mo" not in [e.name for e in other.state.of_kind("characters")]
    list(other.turn("a dinosaur called Stomp"))
    other.end()
    back = _manager(fake_model, store, world="flying-beds-castle")
    assert back.is_resumed and back.opening().startswith("Last time") and "Mo" in back.opening()
    assert "Stomp" not in [e.name for e in back.state.of_kind("characters")]
    again = _manager(fake_model, store, world="dinosaur-valley")
    assert again.is_resumed and "Stomp" in again.opening()


def test_a_returning_child_is_answered_from_what_they_said_last_time(
    fake_model: FakeBackend, store: Store
) -> None:
    first = _manager(fake_model, store, world="flying-beds-castle")
    list(first.turn("my teddy is called Bampy"))
    list(first.turn("the secret door code is 4321"))
    first.end()
    back = _manager(fake_model, store, world="flying-beds-castle")
    reply = _done(list(back.turn("what was the door code again")))
    assert "4321" in reply.reply
