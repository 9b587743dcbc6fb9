"""A ConvoKit corpus folder, written in ConvoKit's file format without importing ConvoKit.

utterances.jsonl (one utterance per line: id, speaker, conversation_id, reply_to, timestamp, text,
meta, vectors), speakers.json and conversations.json (id -> {meta, vectors}), corpus.json (corpus meta) and
index.json (the metadata fields and their types). Each turn is two utterances: the child's line and the
storyteller's reply; one session is one conversation, named by its first utterance as ConvoKit does.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, TextIO

STORYTELLER = "storyteller"
_UTT_META = ("turn_index", "safety_action", "move", "phase", "reply_source", "model_id", "prompt_sha256")
_CONV_META = ("session_id", "child", "age_band", "world")


class ConvokitWriter:
    """Streams utterances; keeps only speakers and conversations (small) in memory."""

    files: tuple[str, ...] = (
        "utterances.jsonl",
        "speakers.json",
        "conversations.json",
        "corpus.json",
        "index.json",
    )

    def __init__(self, out: Path) -> None:
        self.out = out
        self.f: TextIO = (out / "utterances.jsonl").open("w", encoding="utf-8")
        self.encode = json.JSONEncoder(ensure_ascii=False).encode
        self.speakers: dict[str, dict[str, Any]] = {STORYTELLER: {"role": "storyteller"}}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.session = ""
        self.conversation = ""
        self.last: str | None = None
        self.utterances = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Two utterances per turn, each replying to the one before it in the session."""
        lines = []
        for r in rows:
            if r["session_id"] != self.session:
                self.session, self.last = r["session_id"], None
                self.conversation = r["turn_id"] + "-c"
                self.conversations[self.conversation] = {k: r[k] for k in _CONV_META}
            child = r["child"]
            if child not in self.speakers:
                self.speakers[child] = {"role": "child", "age_band": r["age_band"]}
            meta = {k: r[k] for k in _UTT_META}
            stamp = _timestamp(r["datetime_utc"])
            for suffix, speaker, text in (("-c", child, r["child_text"]), ("-s", STORYTELLER, r["reply"])):
                uid = r["turn_id"] + suffix
                lines.append(
                    self.encode(
                        {
                            "id": uid,
                            "speaker": speaker,
                            "conversation_id": self.conversation,
                            "reply_to": self.last,
                            "timestamp": stamp,
                            "text": text,
                            "meta": meta,
                            "vectors": [],
                        }
                    )
                )
                self.last = uid
        self.utterances += len(lines)
        self.f.write("".join(line + "\n" for line in lines))

    def close(self) -> dict[str, int]:
        """Write speakers, conversations, corpus meta and the index."""
        self.f.close()
        _dump(self.out / "speakers.json", _with_vectors(self.speakers))
        _dump(self.out / "conversations.json", _with_vectors(self.conversations))
        _dump(self.out / "corpus.json", {"name": "aistories research export", "redacted": True})
        _dump(self.out / "index.json", _index())
        return {
            "utterances": self.utterances,
            "speakers": len(self.speakers),
            "conversations": len(self.conversations),
        }


def _timestamp(value: str | None) -> int | None:
    """Seconds since the epoch (ConvoKit's convention), None when unknown."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return int((when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp())


def _with_vectors(objects: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """id -> {"meta", "vectors"}: the shape ConvoKit's own dump writes (its loader also reads bare meta)."""
    return {key: {"meta": meta, "vectors": []} for key, meta in objects.items()}


def _index() -> dict[str, Any]:
    """Field -> type names, in the shape ConvoKit's loader reads (lists of type names, version, vectors)."""
    types = {"turn_index": "<class 'int'>"}
    return {
        "utterances-index": {k: [types.get(k, "<class 'str'>")] for k in _UTT_META},
        "speakers-index": {"role": ["<class 'str'>"], "age_band": ["<class 'str'>"]},
        "conversations-index": {k: ["<class 'str'>"] for k in _CONV_META},
        "overall-index": {"name": ["<class 'str'>"], "redacted": ["<class 'bool'>"]},
        "version": 1,
        "vectors": [],
    }


def _dump(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
