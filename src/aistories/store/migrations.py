"""Schema, one small additive step at a time. A migration that has shipped is never edited.

Numbering: m0xx skeleton, m1xx safety, m2xx world/dialogue, so parallel work never collides.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("aistories")


@migrations()
def m001_initial(db: Database) -> None:
    """Children, sessions, turns, world, alerts and feedback: the spine every later feature hangs on."""
    # Pseudonymous: no real names; the pseudonym is what the child or carer chose on the tablet.
    db["children"].create(
        {
            "id": str,
            "pseudonym": str,
            "age_band": str,
            "consent_research": int,
            "consent_storybook": int,
            "consent_updated_utc": str,
            "created_utc": str,
        },
        pk="id",
    )
    db["children"].create_index(["pseudonym"], unique=True)
    db["sessions"].create(
        {
            "id": str,
            "child_id": str,
            "world": str,
            "age_band": str,
            "model_id": str,
            "started_utc": str,
            "ended_utc": str,
            "summary": str,
        },
        pk="id",
        foreign_keys=[("child_id", "children", "id")],
    )
    db["turns"].create(
        {
            "id": str,
            "session_id": str,
            "turn_index": int,
            "child_text": str,
            "reply": str,
            "model_id": str,
            "model_sha256": str,
            "prompt_name": str,
            "prompt_sha256": str,
            "options_json": str,
            "seed": int,
            "prompt_tokens": int,
            "completion_tokens": int,
            "cached_tokens": int,
            "safety_action": str,
            "safety_json": str,
            "move": str,
            "phase": str,
            "reason": str,
            "timings_json": str,
            "duration_ms": float,
            "first_token_ms": float,
            "datetime_utc": str,
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["turns"].create_index(["session_id", "turn_index"], unique=True)
    # World state belongs to the child, so it carries across sessions and days.
    db["world_entities"].create(
        {
            "id": str,
            "child_id": str,
            "kind": str,
            "name": str,
            "attributes_json": str,
            "source": str,
            "turn_id": str,
            "created_utc": str,
            "updated_utc": str,
        },
        pk="id",
        foreign_keys=[("child_id", "children", "id")],
    )
    db["world_entities"].create_index(["child_id", "kind", "name"], unique=True)
    db["world_events"].create(
        {
            "id": str,
            "child_id": str,
            "session_id": str,
            "turn_id": str,
            "text": str,
            "source": str,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("child_id", "children", "id")],
    )
    # The safeguarding record: kept apart from research data, never exported with it.
    db["alerts"].create(
        {
            "id": str,
            "datetime_utc": str,
            "session_id": str,
            "turn_id": str,
            "category": str,
            "message": str,
            "rule": str,
            "policy_version": str,
            "acknowledged_by": str,
            "acknowledged_utc": str,
            "last_raised_utc": str,
        },
        pk="id",
    )
    db["feedback"].create(
        {
            "id": str,
            "turn_id": str,
            "session_id": str,
            "rating": int,
            "comment": str,
            "given_by": str,
            "datetime_utc": str,
        },
        pk="id",
    )
