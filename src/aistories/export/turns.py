"""Eligible turn rows made research-safe: pseudonym for the child, every text field redacted."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterator
from typing import Any

from .redact import Redactor, redact_many
from .source import COL

# The flat turn table every format shares (Parquet types in tables.py).
FIELDS = (
    "turn_id",
    "session_id",
    "child",
    "age_band",
    "world",
    "turn_index",
    "datetime_utc",
    "child_text",
    "reply",
    "safety_action",
    "move",
    "phase",
    "reply_source",
    "model_id",
    "model_sha256",
    "adapter_sha256",
    "prompt_name",
    "prompt_sha256",
    "seed",
    "prompt_tokens",
    "completion_tokens",
    "duration_ms",
    "first_token_ms",
)
# Every free-text or label column goes through the redactor (labels are few, so the cache makes it free);
# ids, hashes, dates and numbers do not carry words.
TEXT = ("world", "child_text", "reply", "move", "phase", "reply_source", "model_id", "prompt_name")
_TEXT_IDX = tuple(COL[n] for n in TEXT)
_RAW = COL["raw_reply"]
_PLAIN = {name: COL[name] for name in FIELDS if name not in TEXT and name != "child"}
_PARALLEL_FROM = 20_000


def workers_for(rows: int) -> int:
    """Processes for redaction: one for small exports, every core for big ones ($AISTORIES_EXPORT_WORKERS)."""
    env = os.environ.get("AISTORIES_EXPORT_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return 1 if rows < _PARALLEL_FROM else max(1, min(os.cpu_count() or 1, 8))


def _texts(batch: list[tuple[Any, ...]], with_raw: bool) -> Iterator[str | None]:
    idx = (*_TEXT_IDX, _RAW) if with_raw else _TEXT_IDX
    for r in batch:
        for i in idx:
            yield r[i]


def redacted_batches(
    batches: Iterator[list[tuple[Any, ...]]], redactor: Redactor, workers: int, with_raw: bool = False
) -> Iterator[list[tuple[Any, ...]]]:
    """The batches again, once every text in them is in the redactor's cache (in worker processes if >1)."""
    if workers <= 1:
        for batch in batches:
            missing = redactor.missing(_texts(batch, with_raw))
            redactor.learn(missing, redact_many(missing))
            yield batch
        return
    # fork keeps the parent's redactor (and a test's monkeypatch); the CLI is single-threaded here.
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        pending: deque[tuple[Any, list[list[str]], list[Any]]] = deque()
        for batch in batches:
            missing = redactor.missing(_texts(batch, with_raw))
            chunks = [missing[i::workers] for i in range(workers)]
            pending.append((batch, chunks, [pool.apply_async(redact_many, (c,)) for c in chunks]))
            if len(pending) > workers:
                yield _finish(pending.popleft(), redactor)
        while pending:
            yield _finish(pending.popleft(), redactor)


def _finish(item: tuple[Any, list[list[str]], list[Any]], redactor: Redactor) -> list[tuple[Any, ...]]:
    batch, chunks, results = item
    for chunk, result in zip(chunks, results, strict=True):
        redactor.learn(chunk, result.get())
    return batch


def clean_rows(
    batch: list[tuple[Any, ...]], redactor: Redactor, pseudonyms: dict[str, str], with_raw: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """(research-safe rows keyed by FIELDS, plus raw_reply/problems when asked; rows withheld)."""
    out: list[dict[str, Any]] = []
    withheld = 0
    get = redactor.get
    child_col, text_pairs = COL["child_id"], tuple(zip(TEXT, _TEXT_IDX, strict=True))
    for r in batch:
        pseudonym = pseudonyms.get(r[child_col])
        # No masked copy of the child's words, or a child who appeared after the export began: fail closed.
        if r[COL["child_text"]] is None or pseudonym is None:
            withheld += 1
            continue
        row: dict[str, Any] = {name: get(r[i]) for name, i in text_pairs}
        raw = get(r[_RAW]) if with_raw else ""
        if raw is None or None in row.values():
            withheld += 1
            continue
        row["child"] = pseudonym
        row.update({name: r[i] for name, i in _PLAIN.items()})
        if with_raw:
            row["raw_reply"] = raw
            row["problems"] = _problems(r[COL["problems_json"]])
        out.append(row)
    return out, withheld


def _problems(value: str | None) -> list[list[str]]:
    """The validator's problem codes per attempt (codes, not text)."""
    try:
        found = json.loads(value) if value else []
    except ValueError:
        return []
    return [[str(p) for p in attempt] for attempt in found if isinstance(attempt, list)]
