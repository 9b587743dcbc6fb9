"""The world in SQLite: it belongs to the child, so it survives restarts and carries across sessions.

API for the dialogue layer (rows are plain dicts; writes go through `Store.insert_turn` so a turn and
its world changes share one transaction):

    state = load_state(store, child_id, world.name)       # WorldState | None (None: nothing stored yet)
    if state is None:
        state = WorldState.from_world(world)
        save_seed(store, state, child_id, world.name)      # or: insert seed_rows(...) yourself
    ...
    diff = extract(text, "child", turn_index, state)
    clashes = state.apply(diff)                            # apply BEFORE diff_rows: it assigns ids/versions
    extra = diff_rows(diff, child_id, session_id, turn_id, world=world.name)  # {"world_entities": ...}
    extra["memory_why"] = [why_row(selection, child_id, session_id, turn_id)]
    store.insert_turn(turn_row, {**extra, "alerts": alerts})

Tables: world_entities (current view, one row per entity, upserted), world_facts (every value said,
versioned), world_events, world_relations (m001, m201, m202) and memory_why (one row per turn).
A child has one story per starter world (m203): rows carry the starter world's name.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

from ..store import Store, utc_now
from .state import Entity, Event, Fact, Relation, WorldDiff, WorldState

log = logging.getLogger(__name__)

Row = dict[str, Any]


class _Selection(Protocol):
    text: str
    why: list[dict[str, Any]]
    tokens: int


def load_state(store: Store, child_id: str, world: str) -> WorldState | None:
    """The child's story in one starter world, or None when nothing has been stored for it yet."""
    db = store.db
    where, args = "child_id = ? and world = ?", [child_id, world]
    rows = list(db["world_entities"].rows_where(where, args, order_by="rowid"))
    if not rows:
        return None
    state = WorldState()
    for row in rows:
        state.add(_entity(row))
    for row in db["world_facts"].rows_where(where, args, order_by="rowid"):
        state.facts.append(
            Fact(
                row["entity_name"],
                row["entity_kind"],
                row["attribute"],
                row["value"],
                row["source"],
                row["turn_index"] or 0,
                row["version"] or 1,
                row["id"],
            )
        )
    for row in db["world_events"].rows_where(where, args, order_by="rowid"):
        text = row["text"] or ""
        state.events.append(
            Event(
                row.get("name") or text[:40],
                text,
                row["source"] or "storyteller",
                row.get("turn_index") or 0,
                json.loads(row.get("who_json") or "[]"),
                row["id"],
            )
        )
    for row in db["world_relations"].rows_where(where, args, order_by="rowid"):
        state.relations.append(
            Relation(
                row["subject"],
                row["predicate"],
                row["object"],
                row["source"],
                row["turn_index"] or 0,
                row["id"],
            )
        )
    log.info(
        "loaded world for child: %d entities, %d facts, %d events",
        len(state.entities),
        len(state.facts),
        len(state.events),
    )
    return state


def _entity(row: Row) -> Entity:
    """An Entity from its world_entities row."""
    return Entity(
        row["name"],
        row["kind"],
        json.loads(row["attributes_json"] or "{}"),
        source=row["source"] or "world",
        turn=row.get("turn_index") or 0,
        id=row["id"],
        turn_id=row["turn_id"],
        created_utc=row["created_utc"] or "",
    )


def entity_row(entity: Entity, child_id: str, world: str, turn_id: str | None = None) -> Row:
    """The world_entities row for an entity (full row, so an upsert keeps every column right)."""
    now = utc_now()
    if not entity.created_utc:
        entity.created_utc = now
        entity.turn_id = entity.turn_id or turn_id
    return {
        "id": entity.id,
        "child_id": child_id,
        "world": world,
        "kind": entity.kind,
        "name": entity.name,
        "attributes_json": json.dumps(entity.attributes, ensure_ascii=False),
        "source": entity.source,
        "turn_id": entity.turn_id,
        "turn_index": entity.turn,
        "created_utc": entity.created_utc,
        "updated_utc": now,
    }


def seed_rows(state: WorldState, child_id: str, world: str) -> list[Row]:
    """world_entities rows for a fresh state (e.g. from a starter world), before any turn."""
    return [entity_row(e, child_id, world) for e in state.entities.values()]


def save_seed(store: Store, state: WorldState, child_id: str, world: str) -> None:
    """Write a fresh state in one transaction (entities, and any facts/events/relations it already has)."""
    tables = diff_rows(
        WorldDiff(facts=list(state.facts), events=list(state.events), relations=list(state.relations)),
        child_id,
        None,
        None,
        world=world,
    )
    tables["world_entities"] = seed_rows(state, child_id, world)
    with store.atomic() as db:
        for table, rows in tables.items():
            if rows:
                db[table].upsert_all(rows, pk="id", alter=False)


def diff_rows(
    diff: WorldDiff, child_id: str, session_id: str | None, turn_id: str | None, *, world: str
) -> dict[str, list[Row]]:
    """Rows for one applied diff, table -> rows, ready for `Store.insert_turn(row, extra)` (upsert by id)."""
    now = utc_now()
    where = {
        "child_id": child_id,
        "world": world,
        "session_id": session_id,
        "turn_id": turn_id,
        "created_utc": now,
    }
    ids = {(e.kind, e.name.lower()): e.id for e in diff.touched}
    return {
        "world_entities": [entity_row(e, child_id, world, turn_id) for e in diff.touched],
        "world_facts": [
            {
                "id": f.id,
                "entity_id": ids.get((f.kind, f.entity.lower())),
                "entity_name": f.entity,
                "entity_kind": f.kind,
                "attribute": f.attribute,
                "value": f.value,
                "version": f.version,
                "source": f.source,
                "turn_index": f.turn,
                **where,
            }
            for f in diff.facts
        ],
        "world_events": [
            {
                "id": e.id,
                "name": e.name,
                "text": e.text,
                "who_json": json.dumps(e.who, ensure_ascii=False),
                "source": e.source,
                "turn_index": e.turn,
                **where,
            }
            for e in diff.events
        ],
        "world_relations": [
            {
                "id": r.id,
                "subject": r.subject,
                "predicate": r.predicate,
                "object": r.object,
                "source": r.source,
                "turn_index": r.turn,
                **where,
            }
            for r in diff.relations
        ],
    }


def why_row(selection: _Selection, child_id: str, session_id: str | None, turn_id: str) -> Row:
    """The memory_why row for one turn: the snapshot put in the prompt and why each fact was chosen."""
    return {
        "id": turn_id,  # one per turn, so re-writing a turn's record replaces it
        "child_id": child_id,
        "session_id": session_id,
        "turn_id": turn_id,
        "snapshot": selection.text,
        "tokens": selection.tokens,
        "why_json": json.dumps(selection.why, ensure_ascii=False),
        "created_utc": utc_now(),
    }


def load_why(store: Store, turn_id: str) -> Row | None:
    """A turn's memory record with `why` decoded (for the carer view), or None."""
    rows = list(store.db["memory_why"].rows_where("turn_id = ?", [turn_id]))
    if not rows:
        return None
    row = dict(rows[0])
    row["why"] = json.loads(row.pop("why_json") or "[]")
    return row
