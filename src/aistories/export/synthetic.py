"""Synthetic consented turns written straight through the store, for throughput measurements and tests."""

from __future__ import annotations

import json
import random

from ..store import Store, new_id, utc_now

_WORDS = (
    "dragon pip cloud castle moon rocket biscuit sausage teddy crystal forest river hat boat hill cat "
    "robot wizard pirate cake star shell door key lamp owl fox bear snow sun rain tower bridge map"
).split()
_STOCK = ("dunno", "yes", "no", "the dragon", "more!", "what happens next", "lol", "idk")
_OPENERS = ("Ooh, ", "Wow, ", "Oh no, ", "Hooray, ", "Hmm, ")


def _line(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def fill_synthetic(store: Store, turns: int, *, per_session: int = 40, seed: int = 0) -> int:
    """Write `turns` turns for consenting synthetic children (40 turns a session); returns turns written.

    Child lines are mostly unique word salad with some stock answers; replies are an opener, two
    sentences of varied words and a question, about the length of real ones. Bulk inserts, one
    transaction per 50,000 turns.
    """
    rng = random.Random(seed)
    safety = json.dumps({"input": {"action": "allow", "redacted": ""}, "output": None})
    now = utc_now()
    written = 0
    while written < turns:
        children: list[dict[str, object]] = []
        sessions: list[dict[str, object]] = []
        rows: list[dict[str, object]] = []
        while written + len(rows) < turns and len(rows) < 50_000:
            child_id, session_id = new_id(), new_id()
            children.append(
                {
                    "id": child_id,
                    "pseudonym": f"synthetic-{child_id}",
                    "age_band": "7-9",
                    "consent_research": 1,
                    "consent_storybook": 0,
                    "consent_updated_utc": now,
                    "created_utc": now,
                }
            )
            sessions.append(
                {
                    "id": session_id,
                    "child_id": child_id,
                    "world": "synthetic",
                    "age_band": "7-9",
                    "model_id": "fake",
                    "started_utc": now,
                    "ended_utc": None,
                    "summary": None,
                }
            )
            for i in range(1, min(per_session, turns - written - len(rows)) + 1):
                rows.append(_turn(rng, session_id, i, safety, now))
        with store.atomic() as db:
            db.table("children").insert_all(children, batch_size=5000)
            db.table("sessions").insert_all(sessions, batch_size=5000)
            db.table("turns").insert_all(rows, batch_size=5000)
        written += len(rows)
    return written


def _turn(rng: random.Random, session_id: str, index: int, safety: str, now: str) -> dict[str, object]:
    stock = rng.random() < 0.15
    child_text = rng.choice(_STOCK) if stock else _line(rng, rng.randint(2, 9))
    reply = (
        f"{rng.choice(_OPENERS)}the {_line(rng, rng.randint(5, 12))}. "
        f"The {_line(rng, rng.randint(4, 9))}. What does the {rng.choice(_WORDS)} do next?"
    )
    return {
        "id": new_id(),
        "session_id": session_id,
        "turn_index": index,
        "child_text": child_text,
        "reply": reply,
        "model_id": "fake",
        "prompt_name": "moves/open_question.j2",
        "prompt_sha256": "0" * 64,
        "safety_action": "allow",
        "safety_json": safety,
        "move": "open_question",
        "phase": "middle",
        "reply_source": "model",
        "seed": 1,
        "prompt_tokens": 400,
        "completion_tokens": 30,
        "duration_ms": 1200.0,
        "first_token_ms": 300.0,
        "datetime_utc": now,
    }
