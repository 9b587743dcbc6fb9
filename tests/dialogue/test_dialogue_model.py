"""The embedded 135M model end to end: a 20-turn script, then a restart on the same database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aistories.backends import get_backend
from aistories.dialogue import DialogueManager, TurnDone
from aistories.store import Store

SCRIPT = [
    "a cat called mo",
    "mo is blue",
    "dunno",
    "the first one",
    "a dog called Rex",
    "rex is big",
    "poo poo banana",
    "they fly to the moon",
    "what colour is mo?",
    "mo finds a magic key",
    "yes",
    "what is rex?",
    "idk",
    "rex wants a bone",
    "blah blah",
    "they go to the tower of pillows",
    "what does rex want?",
    "mo is happy",
    "what happened so far?",
    "bye",
]


@pytest.mark.model
def test_twenty_turns_build_a_world_and_remember_it(tmp_path: Path) -> None:
    backend = get_backend()
    db = tmp_path / "story.db"
    manager = DialogueManager(backend, Store.open(db), child="e2e", age_band="7-9", seed=1)
    done = [e for line in SCRIPT for e in manager.turn(line) if isinstance(e, TurnDone)]
    manager.end()
    assert len(done) == 20
    world = done[-1].world
    chars = {c["name"]: c for c in world["characters"]}
    assert {"Mo", "Rex"} <= set(chars) and chars["Mo"]["colour"] == "blue"
    assert "key" in " ".join(o["name"] for o in world["objects"])
    assert "blue" in done[8].reply.lower()  # "what colour is mo?"
    assert "dog" in done[11].reply.lower()  # "what is rex?"
    assert sum(d.reply.rstrip().endswith("?") for d in done) >= 18
    cached = [d.record["cached_tokens"] for d in done[1:] if d.record["prompt_tokens"]]
    assert sum(cached) / len(cached) > 200  # the static prefix and dialogue are reused

    again = DialogueManager(backend, Store.open(db), child="e2e", age_band="7-9", seed=1)
    assert again.is_resumed and again.opening().startswith("Last time")
    assert {"Mo", "Rex"} <= {e.name for e in again.state.of_kind("characters")}
    reply = [e for e in again.turn("what colour is mo?") if isinstance(e, TurnDone)][0].reply
    assert "blue" in reply.lower()
