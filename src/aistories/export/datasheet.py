"""The datasheet (README.md) written inside every research export."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .report import ExportReport

_FIELDS = {
    "turn_id": "turn id (ULID; sortable by time)",
    "session_id": "session id (ULID); one session is one sitting",
    "child": "random research pseudonym (`child-…`), never the name typed on the tablet; stable",
    "age_band": "4-6, 7-9 or 10-12",
    "world": "starter world the story began in",
    "turn_index": "turn number in the session, from 1",
    "datetime_utc": "when the turn was stored (UTC, ISO 8601)",
    "child_text": "the child's words, masked copy (personal details → `[kind]`), then redacted again",
    "reply": "the storyteller's reply as shown, redacted",
    "safety_action": "allow or redirect (escalated turns are never exported)",
    "move": "the dialogue move planned (open_question, choice, …)",
    "phase": "story phase",
    "reply_source": "model, repaired, regenerated, fallback, template or safety",
    "model_id": "model registry id",
    "model_sha256": "sha256 of the model file",
    "adapter_sha256": "sha256 of the LoRA adapter applied, empty for the base model",
    "prompt_name": "main prompt template",
    "prompt_sha256": "sha256 of that template",
    "seed": "sampling seed",
    "prompt_tokens": "prompt tokens",
    "completion_tokens": "generated tokens",
    "duration_ms": "turn latency (ms)",
    "first_token_ms": "time to first token (ms)",
}
_FILES = {
    "jsonl": "`turns.jsonl`: one JSON object per turn with the fields below.",
    "csv": "`turns.csv`: a header row, then one row per turn with the fields below.",
    "parquet": "`turns.parquet` (zstd): one row per turn with the fields below; "
    "`duckdb -c \"select * from 'turns.parquet'\"` or `pandas.read_parquet`.",
    "sqlite": "`research.db`: a SQLite file with one table, `turns`, one row per turn with the fields "
    "below; `sqlite3 research.db` or `aistories browse` (Datasette).",
    "convokit": "A ConvoKit corpus: `utterances.jsonl`, `speakers.json`, `conversations.json`, "
    "`corpus.json`, `index.json`; `convokit.Corpus(filename=THIS_FOLDER)`. Each turn is two utterances "
    "(`<turn_id>-c` by the child's pseudonym, `<turn_id>-s` by `storyteller`); one session is one "
    "conversation. Utterance meta: turn_index, safety_action, move, phase, reply_source, model_id, "
    "prompt_sha256.",
    "preferences": "TRL preference data: `pairs.jsonl` {prompt, chosen, rejected} (conversational; a "
    "validator-rejected model candidate vs the reply shown for the same prompt), `unpaired.jsonl` "
    "{prompt, completion, label} (KTO; love it / not that and carer ratings), `choices.jsonl` {prompt, "
    "chosen, rejected} (text; the two-way choice a child picked vs the one passed over). A prompt is up "
    "to 4 earlier turns of the session plus the child's line; the system prompt and world snapshot are "
    "not logged per turn, so they are not in it.",
}


def write_datasheet(report: ExportReport, scope: str) -> Path:
    """Write README.md into the export folder and return its path."""
    r = report
    lines = [
        f"# aistories research export ({r.format})",
        "",
        f"Made {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} by aistories {_version()}; "
        f"scope: {scope}.",
        "",
        "## Files",
        "",
        _FILES[r.format],
        "",
        "## Counts",
        "",
        "| what | count |",
        "|---|---|",
        f"| turns in scope | {r.turns_in_scope} |",
        f"| left out: child without research consent | {r.no_consent} |",
        f"| left out: safeguarding (escalated, or an alert points at it) | {r.safeguarding} |",
        f"| withheld: redaction failed or no masked copy | {r.withheld} |",
        f"| **turns written** | **{r.turns_written}** |",
        f"| children (pseudonymous) | {r.children} |",
        f"| sessions | {r.sessions} |",
        *[f"| {k} | {v} |" for k, v in r.records.items()],
        "",
        "## Consent basis",
        "",
        "Only children whose research consent is recorded as yes in the store at export time "
        "(`children.consent_research = 1`, set by a carer or `aistories play --consent-research`; "
        "the default is no). Children are named by a random pseudonym kept in the store "
        "(`research_ids`), never by the name typed on the tablet.",
        "",
        "## Redaction",
        "",
        "The child's words come from the masked copy made at turn time (`safety_json.input.redacted`), "
        "never from the raw text; then every text field passes the PII redactor "
        "(`aistories.safety.pii`: emails, phones, postcodes, addresses, schools, names after cues, "
        "towns, logins → `[kind]`). A row the redactor cannot process is withheld, never written raw. "
        "The safeguarding record (alerts, escalated messages) is never exported; feedback comments are "
        "never exported.",
        "",
        f"- child lines masked at turn time (eligible turns): {r.masked_at_turn}",
        f"- text fields masked again at export: {r.fields_masked}",
        f"- text fields the redactor could not process: {r.fields_failed} (their {r.withheld} rows withheld)",
        "",
        "The redactor is rule-based: it misses some towns and children's full names without a cue "
        "(see the project README). Treat the data as pseudonymous, not anonymous.",
        "",
        "## Fields",
        "",
        "| field | meaning |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in _FIELDS.items()],
        "",
        "## Model and prompt versions",
        "",
        "| model | model sha256 | adapter sha256 | prompt | prompt sha256 | turns |",
        "|---|---|---|---|---|---|",
        *[
            f"| {v['model_id']} | {_short(v['model_sha256'])} | {_short(v['adapter_sha256'])} "
            f"| {v['prompt_name']} | {_short(v['prompt_sha256'])} | {v['turns']} |"
            for v in r.versions
        ],
        "",
    ]
    path = r.out / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _short(value: str | None) -> str:
    return (value or "")[:16]


def _version() -> str:
    try:
        return version("aistories")
    except PackageNotFoundError:
        return "unknown"
