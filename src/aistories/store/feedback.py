"""The child's feedback from the story screen: one standing "love it" / "not that" per reply, and picks."""

from __future__ import annotations

from typing import Any

from .db import Store


def rate_reply(store: Store, turn_id: str, rating: int, *, given_by: str = "child") -> dict[str, Any]:
    """Record +1 (love it) or -1 (not that) for a reply, replacing this person's earlier rating of it.

    A child who taps "love it" then "not that" changed their mind: keeping both would give the
    preference export two opposite labels for one reply.
    """
    with store.atomic() as db:
        db.table("feedback").delete_where(
            "turn_id = ? and kind = 'reply' and given_by = ?", [turn_id, given_by]
        )
        return store.add_feedback(turn_id, rating, kind="reply", given_by=given_by)


def record_choice(store: Store, turn_id: str, picked: str, passed_over: str) -> dict[str, Any]:
    """Record the option a child picked from the two a reply offered (the turn is the offering one)."""
    return store.add_feedback(turn_id, 1, kind="choice", target=picked, alternative=passed_over)
