"""`aistories replay`: a stored session played again turn by turn (issue 12.1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aistories.backends.fake import FakeBackend
from aistories.dialogue import DialogueManager
from aistories.dialogue.replay import SessionNotFound, replay
from aistories.store import Store

LINES = ["a dragon called zog", "zog is purple", "dunno", "what colour is zog?", "my uncle hurts me"]


def _play(store: Store, lines: list[str], backend: FakeBackend) -> str:
    manager = DialogueManager(backend, store, world="dinosaur-valley", child="rae", seed=3)
    for line in lines:
        list(manager.turn(line))
    manager.end()
    return manager.session["id"]


def test_a_replay_reproduces_every_turn_and_writes_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    _play(store, LINES[:2], FakeBackend())  # an earlier session: the second resumes its story
    session = _play(store, LINES, FakeBackend())
    before = store.db.execute("select count(*) from turns").fetchone()[0]
    report = replay(store, session, lambda model_id: FakeBackend())
    assert (report.turns, report.reproduced, report.differs) == (5, 5, [])
    assert store.db.execute("select count(*) from turns").fetchone()[0] == before
    assert store.db.execute("select count(*) from alerts").fetchone()[0] == 1  # the old one only


def test_a_changed_reply_is_reported_with_both_texts(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    session = _play(store, LINES[:2], FakeBackend())
    store.db.execute("update turns set reply = 'something else' where turn_index = 2")
    store.db.conn.commit()
    report = replay(store, session, lambda model_id: FakeBackend())
    assert report.reproduced == 1 and [d["turn"] for d in report.differs] == [2]
    assert report.differs[0]["stored"] == "something else"


def test_an_unknown_session_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SessionNotFound, match="No session nope"):
        replay(Store.open(tmp_path / "s.db"), "nope", lambda model_id: FakeBackend())


def test_a_replay_sends_no_ward_alert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[dict] = []
    monkeypatch.setattr("aistories.dialogue.manager.notify_ward", lambda row: sent.append(row))
    store = Store.open(tmp_path / "s.db")
    session = _play(store, LINES, FakeBackend())
    assert len(sent) == 1
    report = replay(store, session, lambda model_id: FakeBackend())
    assert report.turns == 5 and len(sent) == 1
