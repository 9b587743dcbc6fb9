"""Shared fixtures: fake and echo backends, an in-memory store, an isolated user dir, no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aistories.backends.fake import FakeBackend
from aistories.config import Settings
from aistories.store import Store


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own AISTORIES_HOME, so nothing touches the real user dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("AISTORIES_HOME", str(home))
    monkeypatch.delenv("AISTORIES_MODEL", raising=False)
    monkeypatch.delenv("AISTORIES_DB", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    return home


@pytest.fixture
def fake_model() -> FakeBackend:
    """A FakeBackend: `enqueue([...chunks])` a reply; `history` holds the messages it was sent."""
    return FakeBackend()


@pytest.fixture
def echo_model() -> FakeBackend:
    """A backend that replies with the prompt it was given, for prompt tests."""
    return FakeBackend(echo=True)


@pytest.fixture
def store() -> Iterator[Store]:
    """A migrated in-memory store."""
    s = Store.open(None)
    yield s
    s.db.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a database file in tmp_path."""
    return Settings.load(db=str(tmp_path / "test.db"), child="tester", seed=7)
