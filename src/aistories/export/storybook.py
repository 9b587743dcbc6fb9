"""A family's storybook for one session: title, the child's chosen name, the story as prose, the cast.

Made for the family, not for research: the child's chosen name appears, and the child's words and the
replies with personal details (an email, an address) masked, since books get printed and shared. Never
an escalated or alerted turn (the safeguarding record stays with staff), nor the child's line from a
redirected turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..safety.pii import redact
from ..store import Store
from .source import ExportError

_INVENTOR = {"child": "", "storyteller": "the storyteller", "world": "the story world"}


@dataclass(frozen=True)
class Page:
    """One turn as prose: what the child added (may be empty) and the storyteller's reply."""

    child: str
    reply: str


@dataclass(frozen=True)
class Character:
    """A character in the cast list and who invented it."""

    name: str
    invented_by: str


@dataclass
class Storybook:
    """Everything a storybook shows."""

    title: str
    author: str
    date: str
    pages: list[Page] = field(default_factory=list)
    cast: list[Character] = field(default_factory=list)


def load_storybook(store: Store, session_id: str, title: str | None = None) -> Storybook:
    """Read one session's book from the store; title defaults to the world's name, tidied."""
    db = store.db
    rows = db.execute(
        "select s.world, s.started_utc, s.child_id, c.pseudonym from sessions s "
        "join children c on c.id = s.child_id where s.id = ?",
        [session_id],
    ).fetchall()
    if not rows:
        raise ExportError(f"No session {session_id} in this database: check the id or --db.")
    world, started, child_id, pseudonym = rows[0]
    book = Storybook(title or _tidy(world), pseudonym, (started or "")[:10])
    alerted = {r[0] for r in db.execute("select turn_id from alerts where session_id = ?", [session_id])}
    for turn in store.turns(session_id):
        if turn["safety_action"] == "escalate" or turn["id"] in alerted:
            continue
        child = _masked(turn) if turn["safety_action"] == "allow" else ""
        book.pages.append(Page(child.strip(), redact(turn["reply"] or "").strip()))
    book.cast = _cast(store, child_id, world, pseudonym)
    return book


def _masked(turn: dict[str, Any]) -> str:
    """The child's words with personal details masked (the copy the model saw, else redacted now)."""
    try:
        found = json.loads(turn["safety_json"] or "{}").get("input") or {}
    except (ValueError, AttributeError):
        found = {}
    return found.get("redacted") or redact(turn["child_text"] or "")


def _cast(store: Store, child_id: str, world: str, pseudonym: str) -> list[Character]:
    rows = store.db.execute(
        "select name, source from world_entities where child_id = ? and coalesce(world, ?) = ? "
        "and kind in ('characters', 'character') order by coalesce(turn_index, 0), created_utc",
        [child_id, world, world],
    ).fetchall()
    return [Character(name, _INVENTOR.get(source or "world", source) or pseudonym) for name, source in rows]


def _tidy(world: str | None) -> str:
    return (world or "Our story").replace("-", " ").replace("_", " ").title()


def write_storybook(
    store: Store, session_id: str, out: Path, fmt: str, title: str | None = None
) -> Storybook:
    """Write the session's storybook as html or pdf to `out`; returns what it wrote."""
    book = load_storybook(store, session_id, title)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "html":
            from .storybook_html import render_html

            out.write_text(render_html(book), encoding="utf-8")
        elif fmt == "pdf":
            from .storybook_pdf import render_pdf

            out.write_bytes(render_pdf(book))
        else:
            raise ExportError(f"Unknown storybook format {fmt!r}: use html or pdf.")
    except OSError as exc:
        raise ExportError(f"Cannot write {out}: {exc.strerror}. Choose another --out file.") from exc
    return book
