"""Preference data in the JSON-lines shapes TRL's trainers read.

- pairs.jsonl (DPOTrainer and the other paired trainers, conversational form): {"prompt": [messages],
  "chosen": [assistant message], "rejected": [assistant message]}, from turns where a model candidate
  was rejected by the validators and another reply was shown for the same prompt.
- unpaired.jsonl (KTOTrainer): {"prompt", "completion", "label"} from "love it" / "not that" and carer
  ratings of the shown reply.
- choices.jsonl (standard text form): {"prompt", "chosen", "rejected"}: the reply that offered a
  two-way choice, the option the child picked and the one passed over.

The prompt is the session so far as chat messages (at most CONTEXT_TURNS earlier turns, redacted,
safeguarding turns never included), then the child's line; the rendered system prompt and world
snapshot are not logged per turn, so they are not part of it.
"""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from typing import Any, TextIO

from sqlite_utils import Database

from .redact import Redactor
from .source import Scope, eligible_sql

CONTEXT_TURNS = 4


def load_feedback(db: Database, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Feedback on eligible turns (consenting, not safeguarding), by turn id; comments are left out."""
    inner, params = eligible_sql(scope, ("t.id",))
    inner = inner.replace(" order by t.session_id, t.turn_index", "")
    rows = db.execute(
        "select turn_id, coalesce(kind, 'reply'), rating, target, alternative, datetime_utc from feedback "
        f"where turn_id in ({inner}) order by datetime_utc",
        params,
    ).fetchall()
    found: dict[str, list[dict[str, Any]]] = {}
    for turn_id, kind, rating, target, alternative, _ in rows:
        found.setdefault(turn_id, []).append(
            {"kind": kind, "rating": rating, "target": target, "alternative": alternative}
        )
    return found


class PreferencesWriter:
    """Builds records while the turns stream past, session by session."""

    files: tuple[str, ...] = ("pairs.jsonl", "unpaired.jsonl", "choices.jsonl")

    def __init__(self, out: Path, feedback: dict[str, list[dict[str, Any]]], redactor: Redactor) -> None:
        self.files_open: dict[str, TextIO] = {
            name: (out / name).open("w", encoding="utf-8") for name in self.files
        }
        self.feedback = feedback
        self.redactor = redactor
        self.encode = json.JSONEncoder(ensure_ascii=False).encode
        self.session = ""
        self.context: deque[dict[str, str]] = deque(maxlen=2 * CONTEXT_TURNS)
        self.counts = {"pairs": 0, "unpaired": 0, "choices": 0, "feedback_withheld": 0}

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Records for a batch of research-safe turns (with raw_reply and problems)."""
        for r in rows:
            if r["session_id"] != self.session:
                self.session = r["session_id"]
                self.context.clear()
            prompt = [*self.context, {"role": "user", "content": r["child_text"]}]
            reply = {"role": "assistant", "content": r["reply"]}
            if r["reply_source"] == "fallback" and r["raw_reply"] and r["raw_reply"] != r["reply"]:
                rejected = {"role": "assistant", "content": r["raw_reply"]}
                self._emit("pairs", {"prompt": prompt, "chosen": [reply], "rejected": [rejected]})
            for fb in self.feedback.get(r["turn_id"], ()):
                self._from_feedback(fb, prompt, r["reply"])
            self.context.extend(prompt[-1:] + [reply])

    def _from_feedback(self, fb: dict[str, Any], prompt: list[dict[str, str]], reply: str) -> None:
        target = self.redactor.get(fb["target"]) if fb["target"] is not None else reply
        other = self.redactor.get(fb["alternative"])
        if target is None or other is None:
            self.counts["feedback_withheld"] += 1
            return
        if fb["kind"] == "choice" and target and other:
            self._emit("choices", {"prompt": reply, "chosen": target, "rejected": other})
        elif fb["kind"] in ("reply", "carer") and fb["rating"]:
            completion = [{"role": "assistant", "content": target}]
            self._emit("unpaired", {"prompt": prompt, "completion": completion, "label": fb["rating"] > 0})

    def _emit(self, kind: str, record: dict[str, Any]) -> None:
        self.files_open[kind + ".jsonl"].write(self.encode(record) + "\n")
        self.counts[kind] += 1

    def close(self) -> dict[str, int]:
        """Close the files; record counts."""
        for f in self.files_open.values():
            f.close()
        return dict(self.counts)
