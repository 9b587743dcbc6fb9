"""What the start screen and carer mode offer: the starter worlds, and a child's saved stories.

This is the app's one read-only look into world/ (the starter world files and a story's stored world);
everything else reaches the world through the dialogue manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..dialogue import worldview
from ..errors import AistoriesError
from ..store import Store
from ..store.children import stories
from ..world import list_worlds, load_world
from ..world.persist import load_state


@dataclass(frozen=True)
class WorldCard:
    """A starter world as a card: its name, title and one line about it."""

    name: str
    title: str
    blurb: str


@dataclass(frozen=True)
class SavedStory:
    """A story the child can carry on, with its "Last time…" line."""

    world: str
    title: str
    last_time: str
    turns: int


def first_sentence(text: str) -> str:
    """A card has room for one sentence."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def starter_worlds() -> list[WorldCard]:
    """Every starter world that loads (a broken carer file is left out, never shown as an error)."""
    cards = []
    for name in list_worlds():
        try:
            world = load_world(name)
        except AistoriesError:
            continue
        cards.append(WorldCard(world.name, world.title, first_sentence(world.setting)))
    return cards


def saved_stories(store: Store, child_id: str) -> list[SavedStory]:
    """The child's stories with at least one turn, latest first."""
    titles = {card.name: card.title for card in starter_worlds()}
    found = []
    for row in stories(store.db, child_id):
        state = load_state(store, child_id, row["world"])
        recap = worldview.last_time(state) if state is not None else ""
        found.append(SavedStory(row["world"], titles.get(row["world"], row["world"]), recap, row["turns"]))
    return found


def story_world(store: Store, child_id: str, world: str) -> dict[str, list[dict[str, Any]]]:
    """A story's world in the `play --json` shape (empty when nothing is stored)."""
    state = load_state(store, child_id, world)
    return state.to_contract() if state is not None else {}
