"""Synthetic consented turns written straight through the store, for throughput measurements and tests."""

from __future__ import annotations

import json
import random

from ..store import Store, new_id

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
    sentences of varied words and a question, about the length of real ones.
    """
    rng = random.Random(seed)
    db = store.db
    safety = json.dumps({"input": {"action": "allow", "redacted": ""}, "output": None})
    written = 0
    while written < turns:
        child = store.get_or_create_child(f"synthetic-{new_id()}", "7-9")
        store.set_consent(child["id"], research=True)
        session = store.start_session(child["id"], "synthetic", "7-9", "fake")
        rows = []
        for i in range(1, min(per_session, turns - written) + 1):
            stock = rng.random() < 0.15
            child_text = rng.choice(_STOCK) if stock else _line(rng, rng.randint(2, 9))
            reply = (
                f"{rng.choice(_OPENERS)}the {_line(rng, rng.randint(5, 12))}. "
                f"The {_line(rng, rng.randint(4, 9))}. What does the {rng.choice(_WORDS)} do next?"
            )
            rows.append(
                {
                    "id": new_id(),
                    "session_id": session["id"],
                    "turn_index": i,
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
                    "datetime_utc": session["started_utc"],
                }
            )
        with store.atomic():
            db.table("turns").insert_all(rows, batch_size=2000)
        written += len(rows)
    return written
