"""Safety test helpers."""

from __future__ import annotations

import pytest

from aistories.safety.policy import Policy, load_policy


@pytest.fixture
def policy() -> Policy:
    """The shipped policy."""
    return load_policy()
