"""Store API for feedback and research pseudonyms (m301)."""

from __future__ import annotations

import pytest

from aistories.errors import StoreError
from aistories.store import Store


def _turn(store: Store) -> str:
    child = store.get_or_create_child("fox", "7-9")
    session = store.start_session(child["id"], "w", "7-9", "fake")
    store.insert_turn(
        {
            "id": "t1",
            "session_id": session["id"],
            "turn_index": 1,
            "child_text": "hi",
            "reply": "Hello! Dragon or boat?",
        }
    )
    return session["id"]


def test_add_feedback_defaults_to_the_shown_reply(store: Store) -> None:
    session = _turn(store)
    row = store.add_feedback("t1", 1)
    assert {
        k: row[k] for k in ("turn_id", "session_id", "rating", "kind", "target", "alternative", "given_by")
    } == {
        "turn_id": "t1",
        "session_id": session,
        "rating": 1,
        "kind": "reply",
        "target": "Hello! Dragon or boat?",
        "alternative": None,
        "given_by": "child",
    }
    choice = store.add_feedback("t1", 1, kind="choice", target="dragon", alternative="boat")
    assert store.db["feedback"].get(choice["id"])["alternative"] == "boat"


def test_add_feedback_refuses_unknown_kinds_and_turns(store: Store) -> None:
    _turn(store)
    with pytest.raises(StoreError, match="Unknown feedback kind"):
        store.add_feedback("t1", 1, kind="stars")
    with pytest.raises(StoreError, match="No turn with id nope"):
        store.add_feedback("nope", 1)


def test_research_pseudonyms_are_random_and_stable(store: Store) -> None:
    a = store.get_or_create_child("Amy Leigh", "7-9")["id"]
    b = store.get_or_create_child("Bo", "4-6")["id"]
    first = store.research_pseudonyms([a, b])
    assert store.research_pseudonyms([b, a]) == {b: first[b], a: first[a]}
    assert len(set(first.values())) == 2 and all(p.startswith("child-") for p in first.values())
    assert not any("amy" in p.lower() for p in first.values())
