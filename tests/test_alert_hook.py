"""A disclosure reaches the ward system at once, however the caller iterates the turn's events."""

from __future__ import annotations

from typing import Any

import pytest

from aistories.backends.fake import FakeBackend
from aistories.dialogue import DialogueManager, TurnDone
from aistories.dialogue import manager as manager_module
from aistories.store import Store

DISCLOSURE = "my uncle hurts me and says not to tell"


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Alerts passed to the ward hook."""
    out: list[dict[str, Any]] = []
    monkeypatch.setattr(manager_module, "notify_ward", lambda row: out.append(row) or True)
    return out


def _wait(manager: DialogueManager) -> None:
    for thread in manager.notifications:
        thread.join(timeout=5)


def test_escalated_turn_notifies_the_ward_hook_with_its_alert(
    fake_model: FakeBackend, store: Store, sent: list[dict[str, Any]]
) -> None:
    manager = DialogueManager(fake_model, store, child="fox", seed=1)
    done = [e for e in manager.turn(DISCLOSURE) if isinstance(e, TurnDone)][0]
    _wait(manager)
    assert done.safety == "escalate"
    assert [a["id"] for a in sent] == [a["id"] for a in store.db["alerts"].rows]
    assert sent[0]["turn_id"] == done.record["id"]
    list(manager.turn("a purple dragon"))
    _wait(manager)
    assert len(sent) == 1


@pytest.mark.parametrize("events_read", [1, 4])
def test_a_caller_that_stops_early_still_stores_and_notifies(
    fake_model: FakeBackend, store: Store, sent: list[dict[str, Any]], events_read: int
) -> None:
    """Stopping after the first event, or at TurnDone, loses neither the alert nor the notification."""
    manager = DialogueManager(fake_model, store, child="owl", seed=1)
    events = manager.turn(DISCLOSURE)
    seen = [next(events) for _ in range(events_read)]
    events.close()
    _wait(manager)
    assert len(seen) == events_read
    assert [a["id"] for a in sent] == [a["id"] for a in store.db["alerts"].rows]
    assert len(sent) == 1
    assert store.db["turns"].count == 1
