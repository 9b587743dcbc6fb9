"""Carer-mode store helpers: the PIN with lockout, and deleting a story or a child's data."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from aistories.store import Store
from aistories.store.carer import LOCKOUT_S, MAX_FAILURES, BadPin, CarerPin
from aistories.store.children import OpenAlertsFirst, delete_child, delete_story, stories

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # argon2id, cheap for tests


def test_pin_is_hashed_checked_and_every_attempt_logged(store: Store) -> None:
    pin = CarerPin(store.db, FAST)
    assert not pin.is_set()
    pin.set("2468")
    assert pin.is_set() and "2468" not in store.db["carer_pin"].get("carer")["hash"]
    assert store.db["carer_pin"].get("carer")["hash"].startswith("$argon2id$")
    assert [pin.check("1111"), pin.check("2468")] == ["wrong", "ok"]
    assert [a["outcome"] for a in pin.attempts()] == ["ok", "wrong", "set"]


@pytest.mark.parametrize("bad", ["12", "123456789", "12a4", ""])
def test_pin_must_be_4_to_8_digits(store: Store, bad: str) -> None:
    with pytest.raises(BadPin):
        CarerPin(store.db, FAST).set(bad)


def test_repeated_failures_lock_even_the_right_pin_until_the_time_is_up(store: Store) -> None:
    pin = CarerPin(store.db, FAST)
    pin.set("2468")
    assert [pin.check("0000") for _ in range(MAX_FAILURES)] == ["wrong"] * MAX_FAILURES
    assert pin.check("2468") == "locked" and pin.locked_for() > LOCKOUT_S - 5
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=LOCKOUT_S + 1)
    assert pin.locked_for(later) == 0.0 and pin.check("2468", now=later) == "ok"
    assert [a["outcome"] for a in pin.attempts(limit=2)] == ["ok", "locked"]


def _child_with_story(store: Store, name: str, world: str, text: str) -> dict:
    child = store.get_or_create_child(name, "7-9")
    session = store.start_session(child["id"], world, "7-9", "fake")
    turn = {"id": f"t-{name}-{world}", "session_id": session["id"], "turn_index": 1, "child_text": text}
    store.insert_turn(
        turn,
        {
            "world_entities": [
                {"id": f"e-{name}-{world}", "child_id": child["id"], "world": world, "name": text}
            ],
            "memory_why": [{"id": f"w-{name}-{world}", "child_id": child["id"], "turn_id": turn["id"]}],
            "alerts": [{"id": f"a-{name}-{world}", "session_id": session["id"], "acknowledged_utc": "x"}],
        },
    )
    return child


def _everything(store: Store) -> str:
    return repr([list(store.db[t].rows) for t in store.db.table_names()])


def test_deleting_a_child_leaves_nothing_of_them_and_keeps_the_others(store: Store) -> None:
    fox = _child_with_story(store, "fox", "dinosaur-valley", "a purple zebra")
    _child_with_story(store, "owl", "dinosaur-valley", "a green kite")
    delete_child(store.db, fox["id"])
    everything = _everything(store)
    assert "purple zebra" not in everything and fox["id"] not in everything and "fox" not in everything
    assert "green kite" in everything


def test_deleting_a_story_keeps_the_childs_other_story(store: Store) -> None:
    fox = _child_with_story(store, "fox", "dinosaur-valley", "a purple zebra")
    store.start_session(fox["id"], "starlight-station", "7-9", "fake")
    _child_with_story(store, "fox", "starlight-station", "a moon cake")
    delete_story(store.db, fox["id"], "dinosaur-valley")
    assert [s["world"] for s in stories(store.db, fox["id"])] == ["starlight-station"]
    assert "purple zebra" not in _everything(store) and "moon cake" in _everything(store)


def test_an_unacknowledged_alert_blocks_deletion(store: Store) -> None:
    fox = _child_with_story(store, "fox", "dinosaur-valley", "a purple zebra")
    store.db["alerts"].update("a-fox-dinosaur-valley", {"acknowledged_utc": None})
    with pytest.raises(OpenAlertsFirst):
        delete_child(store.db, fox["id"])
    assert "purple zebra" in _everything(store)
