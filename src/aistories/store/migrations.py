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


@migrations()
def m201_world_facts_relations_why(db: Database) -> None:
    """World history: versioned facts with provenance, relations, and why each fact reached a prompt."""
    # Facts are never overwritten: a new value is a new version, so contradictions can be asked about
    # and the carer view can show where every detail came from (issue 4).
    db["world_facts"].create(
        {
            "id": str,
            "child_id": str,
            "entity_id": str,
            "entity_name": str,
            "entity_kind": str,
            "attribute": str,
            "value": str,
            "version": int,
            "source": str,
            "session_id": str,
            "turn_id": str,
            "turn_index": int,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("child_id", "children", "id")],
    )
    db["world_facts"].create_index(["child_id", "entity_name", "attribute"])
    db["world_relations"].create(
        {
            "id": str,
            "child_id": str,
            "subject": str,
            "predicate": str,
            "object": str,
            "source": str,
            "session_id": str,
            "turn_id": str,
            "turn_index": int,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("child_id", "children", "id")],
    )
    # One row per turn: the snapshot injected into the prompt and why each fact was chosen (carer view).
    db["memory_why"].create(
        {
            "id": str,
            "child_id": str,
            "session_id": str,
            "turn_id": str,
            "snapshot": str,
            "tokens": int,
            "why_json": str,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("child_id", "children", "id")],
    )
    db["memory_why"].create_index(["turn_id"])


@migrations()
def m202_world_turn_columns(db: Database) -> None:
    """Turn numbers on entities and events, and a short label plus who took part for events."""
    # m001 kept only turn_id; the world model needs the turn index for provenance, and the play --json
    # contract needs each event to have a `name`.
    db["world_entities"].add_column("turn_index", int)
    db["world_events"].add_column("name", str)
    db["world_events"].add_column("who_json", str)
    db["world_events"].add_column("turn_index", int)


@migrations()
def m251_turn_reply_provenance(db: Database) -> None:
    """How each reply was made: every template and its sha256, the raw model text, repairs, the source."""
    # Issue 4: a reply is opener + model sentence + closer, then validated and maybe repaired,
    # regenerated or replaced by a template; researchers need to tell these apart per turn.
    db["turns"].add_column("prompts_json", str)
    db["turns"].add_column("raw_reply", str)
    db["turns"].add_column("problems_json", str)
    db["turns"].add_column("reply_source", str)


@migrations()
def m203_world_per_starter_world(db: Database) -> None:
    """World rows belong to (child, starter world): another world starts a fresh story, the same resumes."""
    # Issue 4: a returning child who picked a different starter world silently got their old world.
    # Rows written before this were seeded from the child's first session's world, so they are filed
    # under it. Raw SQL for the correlated backfill and the index swap: sqlite-utils has no form for them.
    for table in ("world_entities", "world_facts", "world_events", "world_relations"):
        db[table].add_column("world", str)
        db.execute(
            f"update {table} set world = (select s.world from sessions s where s.child_id = {table}.child_id "
            "order by s.started_utc limit 1)"
        )
        if table != "world_entities":
            db[table].create_index(["child_id", "world"])
    db.execute("drop index if exists idx_world_entities_child_id_kind_name")
    db["world_entities"].create_index(["child_id", "world", "kind", "name"], unique=True)


@migrations()
def m252_turn_adapter(db: Database) -> None:
    """The sha256 of the LoRA adapter applied to the model for each turn (null: the base model alone)."""
    # Issue 9: a registry model may be the base GGUF plus a storyteller adapter, and a missing or altered
    # adapter falls back to the base model; model_id alone cannot tell which one wrote a turn.
    db["turns"].add_column("adapter_sha256", str)


@migrations()
def m301_research_ids_and_feedback_kinds(db: Database) -> None:
    """Random research pseudonyms per child, and what a feedback row rated (for preference data)."""
    # Issue 12: `children.pseudonym` is what the child or carer typed on the tablet and may be a real
    # name, so research exports name children by a random id kept here (stable across exports).
    db["research_ids"].create(
        {"child_id": str, "pseudonym": str, "created_utc": str},
        pk="child_id",
        foreign_keys=[("child_id", "children", "id")],
    )
    db["research_ids"].create_index(["pseudonym"], unique=True)
    # m001's feedback row held only a rating; a preference pair needs the text chosen and the one passed
    # over: kind is reply (love it / not that), choice (a two-way choice picked) or carer (a carer's rating).
    db["feedback"].add_column("kind", str)
    db["feedback"].add_column("target", str)
    db["feedback"].add_column("alternative", str)
    db["feedback"].create_index(["turn_id"])


@migrations()
def m401_carer_pin_and_attempts(db: Database) -> None:
    """The carer-mode PIN (argon2id hash only) and a log of every PIN attempt, for lockout and audit."""
    # Issue 11: carer and staff mode sits behind a PIN set on first use; repeated failures lock it, and
    # each attempt is kept so the ward can see who tried when. The PIN itself is never stored.
    db["carer_pin"].create({"id": str, "hash": str, "set_utc": str}, pk="id")
    db["carer_attempts"].create({"id": str, "datetime_utc": str, "outcome": str}, pk="id")
    db["carer_attempts"].create_index(["datetime_utc"])
