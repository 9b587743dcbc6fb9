"""Persistence: seed, per-turn diffs through insert_turn, reload after restart; recap; why-records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aistories.dialogue.worldview import last_time as recap
from aistories.store import Store, new_id
from aistories.store.db import open_database
from aistories.world import Entity, WorldState, load_world, select_facts
from aistories.world.extract import extract
from aistories.world.persist import diff_rows, load_state, load_why, save_seed, seed_rows, why_row


def _play(store: Store, state: WorldState, ids: dict[str, Any], lines: list[tuple[str, str]]) -> None:
    for turn, (speaker, text) in enumerate(lines, start=1):
        diff = extract(text, speaker, turn, state)
        state.apply(diff)
        turn_id = new_id()
        extra = diff_rows(diff, ids["child_id"], ids["session_id"], turn_id, world=CASTLE)
        sel = select_facts(state, [text], 40, lambda s: len(s.split()))
        extra["memory_why"] = [why_row(sel, ids["child_id"], ids["session_id"], turn_id)]
        store.insert_turn({"id": turn_id, "session_id": ids["session_id"], "turn_index": turn}, extra)


CASTLE = "flying-beds-castle"
STORY = [
    ("child", "a blue dragon called zog"),
    ("storyteller", "Zog and Pip flew to the volcano. What did they find?"),
    ("child", "zog is red now and he wants a cake"),
    ("child", "Zog and Pip are friends. Pip has a key"),
]


def test_round_trip_through_a_file_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    store = Store.open(path)
    child = store.get_or_create_child("fox", "7-9")
    session = store.start_session(child["id"], "flying-beds-castle", "7-9", "fake")
    assert load_state(store, child["id"], CASTLE) is None
    state = WorldState.from_world(load_world("flying-beds-castle"))
    save_seed(store, state, child["id"], CASTLE)
    _play(store, state, {"child_id": child["id"], "session_id": session["id"]}, STORY)
    store.db.close()

    again = load_state(Store.open(path), child["id"], CASTLE)
    assert again == state
    assert again is not None and again.to_contract() == state.to_contract()
    assert [(f.value, f.version) for f in again.history("Zog", "colour")] == [("blue", 1), ("red", 2)]
    assert [(r.subject, r.predicate, r.object) for r in again.relations] == [
        ("Zog", "friend of", "Pip"),
        ("Pip", "has", "the key"),
    ]


def test_seed_rows_are_entity_rows(castle: WorldState, store: Store, child_session: dict[str, Any]) -> None:
    rows = seed_rows(castle, child_session["child_id"], CASTLE)
    assert [(r["kind"], r["name"], r["source"]) for r in rows][:2] == [
        ("characters", "Pip", "world"),
        ("characters", "Hoot", "world"),
    ]
    store.db["world_entities"].insert_all(rows)
    assert load_state(store, child_session["child_id"], CASTLE) == castle


def test_updates_upsert_the_same_entity_row(
    castle: WorldState, store: Store, child_session: dict[str, Any]
) -> None:
    save_seed(store, castle, child_session["child_id"], CASTLE)
    _play(store, castle, child_session, [("child", "pip is sleepy"), ("child", "pip is happy")])
    assert store.db["world_entities"].count == 5
    assert store.db["world_facts"].count == 2


def test_why_record_is_stored_per_turn(
    castle: WorldState, store: Store, child_session: dict[str, Any]
) -> None:
    save_seed(store, castle, child_session["child_id"], CASTLE)
    _play(store, castle, child_session, [("child", "hoot is sleepy")])
    turn_id = store.db["turns"].rows.__next__()["id"]
    why = load_why(store, turn_id)
    assert why is not None and why["snapshot"].startswith("Hoot: a night-nurse owl")
    assert why["why"][0] == {
        "fact": why["snapshot"].split(". ")[0] + ".",
        "entity": "Hoot",
        "reason": "named in last turn",
    }


def test_children_have_separate_worlds(store: Store) -> None:
    a = store.get_or_create_child("fox", "7-9")["id"]
    b = store.get_or_create_child("owl", "7-9")["id"]
    save_seed(store, WorldState.from_world(load_world("dinosaur-valley")), a, "dinosaur-valley")
    assert load_state(store, b, "dinosaur-valley") is None
    assert load_state(store, a, CASTLE) is None  # another starter world: a story of its own
    assert [e.name for e in load_state(store, a, "dinosaur-valley").of_kind("characters")] == [  # type: ignore[union-attr]
        "Rory",
        "Dotty",
        "Longneck Lou",
    ]


def test_recap(castle: WorldState) -> None:
    assert recap(WorldState()) == ""
    assert recap(castle) == "Last time, we met Pip the bed and Hoot the owl at the Tower of Pillows."
    castle.apply(extract("a cat called mo", "child", 1, castle))
    assert recap(castle) == "Last time, we met Mo the cat."
    castle.apply(extract("Pip and Mo flew to the volcano", "child", 2, castle))
    castle.apply(extract("Mo found a key", "child", 3, castle))
    assert recap(castle) == "Last time, Pip and Mo flew to the volcano, and then Mo found the key."


def test_m203_files_an_old_story_under_the_first_sessions_world(tmp_path: Path) -> None:
    from aistories.store.migrations import migrations

    db = open_database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m203_world_per_starter_world")
    db["children"].insert({"id": "c1", "pseudonym": "fox"})
    db["sessions"].insert_all(
        [
            {"id": "s1", "child_id": "c1", "world": "dinosaur-valley", "started_utc": "1"},
            {"id": "s2", "child_id": "c1", "world": CASTLE, "started_utc": "2"},
        ]
    )
    db["world_entities"].insert(
        {
            "id": "e1",
            "child_id": "c1",
            "kind": "characters",
            "name": "Zog",
            "attributes_json": '{"kind": "a dragon"}',
            "source": "child",
        }
    )
    db["world_facts"].insert(
        {
            "id": "f1",
            "child_id": "c1",
            "entity_name": "Zog",
            "entity_kind": "characters",
            "attribute": "kind",
            "value": "a dragon",
            "version": 1,
            "source": "child",
        }
    )
    store = Store(db)  # applies m203
    assert [r["world"] for r in store.db["world_entities"].rows] == ["dinosaur-valley"]
    state = load_state(store, "c1", "dinosaur-valley")
    assert state is not None and state.find("Zog") is not None and len(state.facts) == 1
    assert load_state(store, "c1", CASTLE) is None
    # the same name may now live in two starter worlds of one child
    save_seed(store, WorldState(entities={("characters", "zog"): Entity("Zog", "characters")}), "c1", CASTLE)
    assert store.db["world_entities"].count == 2
