"""The safety training corpus: labelled lines from data/safety/ and the older dev sets, split by writer.

Each row keeps its writer (the brief or file it came from) so that calibration and evaluation hold out
whole writers: a detector measured on lines from writers it learned from says little about children it
has never met. Near-copies of held-out lines are dropped from training (rapidfuzz, token-sort ratio).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..datafiles import load_data
from ..errors import DataFileError

ACTIONS = ("allow", "redirect", "escalate")
NEAR_COPY = 90.0  # rapidfuzz token_sort_ratio at or above this: the same line in other words


@dataclass(frozen=True)
class Row:
    """One labelled line: what was said, by whom, the action, the policy category (if known), the writer."""

    text: str
    speaker: str
    action: str
    category: str | None
    writer: str


class LabelMap(BaseModel):
    """data/safety/labels.yaml: writer category -> policy category (None: only the action is known)."""

    map: dict[str, str | None]


def read_labels(path: Path) -> dict[str, str | None]:
    """Writer category -> policy category (None: the action is known, the category is not)."""
    return load_data(path, LabelMap).map


def read_jsonl(path: Path, labels: dict[str, str | None], writer: str) -> list[Row]:
    """Rows from one JSONL file; categories mapped to the policy's names."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text, action = str(obj["text"]), str(obj["expected"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataFileError(f"{path}:{n} is not a labelled line ({exc}).") from exc
        if action not in ACTIONS:
            raise DataFileError(f"{path}:{n}: expected must be one of {ACTIONS}, not {action!r}.")
        speaker = obj.get("speaker", "child")
        category = obj.get("category") or ""
        mapped = labels.get(category, category if action != "allow" else None)
        rows.append(Row(text, speaker, action, None if action == "allow" else mapped, writer))
    return rows


def normal(text: str) -> str:
    """Lower case, letters and digits only: the key for exact duplicates."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def dedupe(rows: list[Row]) -> list[Row]:
    """Drop exact duplicates (same speaker and normalised text), keeping the first."""
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        key = (row.speaker, normal(row.text))
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def split(rows: list[Row], held_out: set[str]) -> tuple[list[Row], list[Row]]:
    """(train, dev): dev is the held-out writers; training lines too close to a dev line are dropped."""
    from rapidfuzz import fuzz, process

    dev = [r for r in rows if r.writer in held_out]
    train = [r for r in rows if r.writer not in held_out]
    if not dev or not train:
        return train, dev
    dev_texts = [normal(r.text) for r in dev]
    scores = process.cdist(
        [normal(r.text) for r in train], dev_texts, scorer=fuzz.token_sort_ratio, workers=1
    )
    keep = scores.max(axis=1) < NEAR_COPY
    return [r for r, k in zip(train, keep, strict=True) if k], dev


def digest(rows: list[Row]) -> str:
    """sha256 over the rows in order: recorded with the trained model."""
    h = hashlib.sha256()
    for r in rows:
        h.update(json.dumps([r.text, r.speaker, r.action, r.category, r.writer]).encode())
    return h.hexdigest()
