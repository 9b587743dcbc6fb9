"""World fixtures: a fresh state from the default starter world, and a child with a session in a store."""

from __future__ import annotations

from typing import Any

import pytest

from aistories.store import Store
from aistories.world import WorldState, load_world


@pytest.fixture
def castle() -> WorldState:
    """The state the default world (the Castle of Flying Beds) begins with."""
    return WorldState.from_world(load_world("flying-beds-castle"))


@pytest.fixture
def child_session(store: Store) -> dict[str, Any]:
    """A child row and a session row in the in-memory store: {'child_id', 'session_id'}."""
    child = store.get_or_create_child("fox", "7-9")
    session = store.start_session(child["id"], "flying-beds-castle", "7-9", "fake")
    return {"child_id": child["id"], "session_id": session["id"]}
