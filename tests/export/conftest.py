"""A small ward database written straight through the store: consenting and non-consenting children,
planted personal details, a safeguarding escalation, a rejected candidate and feedback."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from aistories.store import Store

EMAIL = "zelda.quartermain@example.com"
PHONE = "07700 900123"
TYPED_NAME = "Zelda Quartermain"  # what the child typed as their name on the tablet
SAFEGUARDING = "SAFEGUARDCANARY my uncle hurts me at night"
ALERTED = "ALERTEDCANARY something the classifier let through"
NO_CONSENT = "NOCONSENTCANARY a pony called Fig"
CANARIES = (
    EMAIL,
    PHONE,
    TYPED_NAME,
    "Quartermain",
    SAFEGUARDING,
    "SAFEGUARDCANARY",
    "ALERTEDCANARY",
    "NOCONSENTCANARY",
    "a comment nobody may export",
)


@dataclass
class Ward:
    """The store and the ids the tests look up."""

    store: Store
    path: Path
    session: str
    other_session: str
    child: str


def _turn(
    session: str,
    index: int,
    child_text: str,
    reply: str,
    *,
    action: str = "allow",
    redacted: str = "",
    source: str = "model",
    raw: str = "",
) -> dict:
    return {
        "id": f"{session}-t{index}",
        "session_id": session,
        "turn_index": index,
        "child_text": child_text,
        "reply": reply,
        "model_id": "fake",
        "model_sha256": "a" * 64,
        "prompt_name": "moves/open_question.j2",
        "prompt_sha256": "b" * 64,
        "seed": 1,
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "safety_action": action,
        "safety_json": {"input": {"action": action, "redacted": redacted}, "output": None},
        "move": "open_question",
        "phase": "middle",
        "reply_source": source,
        "raw_reply": raw,
        "problems_json": [["too_short"], ["meta_talk"]] if source == "fallback" else [[]],
        "duration_ms": 900.0,
        "first_token_ms": 200.0,
        "datetime_utc": f"2026-11-2{index % 9}T10:00:00.000+00:00",
    }


@pytest.fixture
def ward(tmp_path: Path) -> Ward:
    """Two children: one consenting (four exportable turns, one escalated, one alerted), one not."""
    path = tmp_path / "ward.db"
    store = Store.open(path)
    kid = store.get_or_create_child(TYPED_NAME, "7-9")
    store.set_consent(kid["id"], research=True)
    s = store.start_session(kid["id"], "get-well-garden", "7-9", "fake")["id"]
    store.insert_turn(_turn(s, 1, "a dragon called Pip", "Ooh, a dragon called Pip! What does Pip eat?"))
    store.insert_turn(
        _turn(
            s,
            2,
            f"my email is {EMAIL}",
            "Pip loves letters. Where does Pip fly?",
            redacted="my email is [email]",
        )
    )
    # The masked copy found nothing (an older redactor), so the export must redact the text itself.
    store.insert_turn(_turn(s, 3, f"ring {PHONE} pip says", f"Pip dialled {PHONE}! Who answers?"))
    store.insert_turn(
        _turn(s, 4, SAFEGUARDING, "Thank you for telling me. A grown-up will come.", action="escalate"),
        {
            "alerts": [
                {
                    "id": "al1",
                    "session_id": s,
                    "turn_id": f"{s}-t4",
                    "category": "disclosure",
                    "message": SAFEGUARDING,
                }
            ]
        },
    )
    store.insert_turn(
        _turn(s, 5, ALERTED, "Shall we fly to the hill?"),
        {
            "alerts": [
                {"id": "al2", "session_id": s, "turn_id": f"{s}-t5", "category": "worry", "message": ALERTED}
            ]
        },
    )
    store.insert_turn(
        _turn(
            s,
            6,
            "pip eats clouds",
            "Pip munched a fluffy cloud. Shall we go to the castle or the river?",
            source="fallback",
            raw="pip pip pip the the the",
        )
    )
    store.insert_turn(_turn(s, 7, "the castle", "To the castle! What is inside?", action="redirect"))
    store.db["world_entities"].insert_all(
        [
            {
                "id": "e1",
                "child_id": kid["id"],
                "world": "get-well-garden",
                "kind": "characters",
                "name": "Pip",
                "source": "child",
                "turn_index": 1,
            },
            {
                "id": "e2",
                "child_id": kid["id"],
                "world": "get-well-garden",
                "kind": "characters",
                "name": "Old Owl",
                "source": "world",
                "turn_index": 0,
            },
            {
                "id": "e3",
                "child_id": kid["id"],
                "world": "get-well-garden",
                "kind": "places",
                "name": "the hill",
                "source": "storyteller",
                "turn_index": 2,
            },
        ]
    )
    store.add_feedback(f"{s}-t1", 1, comment="a comment nobody may export")
    store.add_feedback(f"{s}-t6", 1, kind="choice", target="the castle", alternative="the river")
    store.add_feedback(f"{s}-t3", -1, kind="carer", given_by="nurse")
    store.add_feedback(f"{s}-t4", -1)  # on the escalated turn: never exported
    other = store.get_or_create_child("fig-rider", "4-6")  # consent defaults to no
    o = store.start_session(other["id"], "get-well-garden", "4-6", "fake")["id"]
    store.insert_turn(_turn(o, 1, NO_CONSENT, "A pony called Fig! Where does Fig gallop?"))
    return Ward(store, path, s, o, kid["id"])


def read_all(folder: Path) -> str:
    """Every file in an export, as one text (binary files decoded leniently)."""
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*")) if p.is_file()
    )


def jsonl(path: Path) -> list[dict]:
    """A JSON-lines file's objects."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
