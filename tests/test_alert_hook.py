"""A disclosure reaches the ward system at once, not only when the alert is raised again."""

from __future__ import annotations

from typing import Any

import pytest

from aistories.backends.fake import FakeBackend
from aistories.dialogue import DialogueManager, TurnDone
from aistories.dialogue import manager as manager_module
from aistories.store import Store


def test_escalated_turn_notifies_the_ward_hook_with_its_alert(
    fake_model: FakeBackend, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(manager_module, "notify_ward", lambda row: sent.append(row) or True)
    manager = DialogueManager(fake_model, store, child="fox", seed=1)
    done = [e for e in manager.turn("my uncle hurts me and says not to tell") if isinstance(e, TurnDone)][0]
    assert done.safety == "escalate"
    assert [a["id"] for a in sent] == [a["id"] for a in store.db["alerts"].rows]
    assert sent[0]["turn_id"] == done.record["id"]
    list(manager.turn("a purple dragon"))
    assert len(sent) == 1
