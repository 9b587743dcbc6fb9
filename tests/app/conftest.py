"""The app on the fake backend with a cheap argon2id (helpers to drive it: app_pilot.py)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from aistories.app.app import StoryApp
from aistories.backends.fake import FakeBackend
from aistories.cli import make_app
from aistories.config import Settings

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # still argon2id, just cheap


@pytest.fixture
def app_for(settings: Settings):  # type: ignore[no-untyped-def]
    """Build the real app around a (fake) backend, with a cheap PIN hasher."""

    def build(backend: FakeBackend | None = None) -> StoryApp:
        app = make_app(settings, backend=backend or FakeBackend())
        app.pin_hasher = FAST_HASHER
        return app

    return build
