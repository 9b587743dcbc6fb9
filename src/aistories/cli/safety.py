"""`aistories safety classify`: JSON lines in, one verdict line out per input, flushed as it goes.

Bad input lines do not stop the stream: the output line for them is
`{"id": <id or null>, "error": "<one-line reason>"}` and the same reason goes to stderr.
No model is loaded unless the policy switches on a layer that needs one.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click


@click.group(name="safety")
def safety() -> None:
    """The safety detector on its own."""


def classify_line(line: str) -> dict[str, Any]:
    """The contract output for one input line (an error object for a bad line)."""
    from ..safety import check

    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(item, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    ident = item.get("id")
    text, speaker = item.get("text"), item.get("speaker", "child")
    if not isinstance(text, str):
        return {"id": ident, "error": "missing or non-string `text`"}
    if speaker not in ("child", "storyteller"):
        return {"id": ident, "error": "`speaker` must be child or storyteller"}
    verdict = check(text, speaker)
    return {
        "id": ident,
        "action": verdict.action,
        "categories": verdict.categories,
        "reply": verdict.reply,
        "rule": verdict.rule,
        "layer": verdict.layer,
        "policy_version": verdict.policy_version,
    }


@safety.command()
def classify() -> None:
    """Read {"id","text","speaker"} JSON lines on stdin; print {"id","action","categories","reply"} lines."""
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        out = classify_line(line)
        if "error" in out:
            click.echo(f"aistories safety classify: line {n}: {out['error']}", err=True)
        click.echo(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()
