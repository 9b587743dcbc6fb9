"""Round trips: every research format reads back with the right rows, and each folder has a datasheet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from aistories.export import FORMATS, ExportError, run_export

from .conftest import Ward, jsonl

EXPORTED = ["t1", "t2", "t3", "t6", "t7"]  # t4 escalated, t5 has an alert; the other child has no consent


def _ids(ward: Ward) -> list[str]:
    return [f"{ward.session}-{t}" for t in EXPORTED]


def test_jsonl_round_trip(ward: Ward, tmp_path: Path) -> None:
    report = run_export(ward.store, tmp_path / "x", "jsonl")
    rows = jsonl(tmp_path / "x" / "turns.jsonl")
    assert [r["turn_id"] for r in rows] == _ids(ward)
    assert (report.turns_written, report.withheld, report.children, report.sessions) == (5, 0, 1, 1)
    assert (report.no_consent, report.safeguarding, report.turns_in_scope) == (1, 2, 8)
    assert (report.masked_at_turn, report.fields_masked) == (1, 2)  # t2 at turn time; t3's phone twice
    assert [r["child_text"] for r in rows] == [
        "a dragon called Pip",
        "my email is [email]",
        "ring [phone] pip says",
        "pip eats clouds",
        "the castle",
    ]
    assert rows[2]["reply"] == "Pip dialled [phone]! Who answers?"
    assert {r["safety_action"] for r in rows} == {"allow", "redirect"}


def test_csv_matches_jsonl(ward: Ward, tmp_path: Path) -> None:
    run_export(ward.store, tmp_path / "j", "jsonl")
    run_export(ward.store, tmp_path / "c", "csv")
    with (tmp_path / "c" / "turns.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    expected = jsonl(tmp_path / "j" / "turns.jsonl")
    assert [r["child_text"] for r in rows] == [r["child_text"] for r in expected]
    assert [int(r["turn_index"]) for r in rows] == [1, 2, 3, 6, 7]
    assert list(rows[0]) == list(expected[0])


def test_parquet_reads_back_in_duckdb(ward: Ward, tmp_path: Path) -> None:
    run_export(ward.store, tmp_path / "p", "parquet")
    run_export(ward.store, tmp_path / "j", "jsonl")
    path = str(tmp_path / "p" / "turns.parquet")
    got = duckdb.sql(
        f"select turn_id, turn_index, child_text, reply, duration_ms from '{path}' order by turn_id"
    )
    expected = sorted(
        (r["turn_id"], r["turn_index"], r["child_text"], r["reply"], r["duration_ms"])
        for r in jsonl(tmp_path / "j" / "turns.jsonl")
    )
    assert got.fetchall() == expected
    types = dict(
        duckdb.sql(f"select column_name, column_type from (describe select * from '{path}')").fetchall()
    )
    assert (types["turn_index"], types["duration_ms"], types["child"]) == ("BIGINT", "DOUBLE", "VARCHAR")


def test_convokit_corpus_files(ward: Ward, tmp_path: Path) -> None:
    report = run_export(ward.store, tmp_path / "k", "convokit")
    folder = tmp_path / "k"
    utts = jsonl(folder / "utterances.jsonl")
    speakers = json.loads((folder / "speakers.json").read_text())
    conversations = json.loads((folder / "conversations.json").read_text())
    index = json.loads((folder / "index.json").read_text())
    assert report.records == {"utterances": 10, "speakers": 2, "conversations": 1}
    first = f"{ward.session}-t1-c"
    assert list(conversations) == [first]
    assert conversations[first]["meta"]["session_id"] == ward.session
    assert [u["reply_to"] for u in utts] == [None] + [u["id"] for u in utts[:-1]]
    assert {u["conversation_id"] for u in utts} == {first}
    assert {u["speaker"] for u in utts} == set(speakers)
    assert speakers["storyteller"] == {"meta": {"role": "storyteller"}, "vectors": []}
    assert all(
        set(u) == {"id", "speaker", "conversation_id", "reply_to", "timestamp", "text", "meta", "vectors"}
        for u in utts
    )
    assert set(index) == {
        "utterances-index",
        "speakers-index",
        "conversations-index",
        "overall-index",
        "version",
        "vectors",
    }
    assert set(index["utterances-index"]) == set(utts[0]["meta"])
    json.loads((folder / "corpus.json").read_text())


def test_preferences_in_trl_shapes(ward: Ward, tmp_path: Path) -> None:
    report = run_export(ward.store, tmp_path / "f", "preferences")
    folder = tmp_path / "f"
    pairs, unpaired, choices = (jsonl(folder / n) for n in ("pairs.jsonl", "unpaired.jsonl", "choices.jsonl"))
    assert report.records == {"pairs": 1, "unpaired": 2, "choices": 1, "feedback_withheld": 0}
    pair = pairs[0]
    assert pair["chosen"] == [{"role": "assistant", "content": pair["chosen"][0]["content"]}]
    assert pair["rejected"] == [{"role": "assistant", "content": "pip pip pip the the the"}]
    assert pair["prompt"][-1] == {"role": "user", "content": "pip eats clouds"}
    assert [m["role"] for m in pair["prompt"]] == ["user", "assistant"] * 3 + ["user"]
    assert choices == [
        {"prompt": pair["chosen"][0]["content"], "chosen": "the castle", "rejected": "the river"}
    ]
    assert [(u["prompt"][-1]["content"], u["label"]) for u in unpaired] == [
        ("a dragon called Pip", True),
        ("ring [phone] pip says", False),
    ]
    assert all(set(u) == {"prompt", "completion", "label"} for u in unpaired)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_has_a_datasheet(ward: Ward, tmp_path: Path, fmt: str) -> None:
    report = run_export(ward.store, tmp_path / fmt, fmt)
    sheet = (tmp_path / fmt / "README.md").read_text(encoding="utf-8")
    for expected in (
        "## Fields",
        "## Consent basis",
        "## Redaction",
        "## Model and prompt versions",
        "| **turns written** | **5** |",
        "| left out: child without research consent | 1 |",
        "moves/open_question.j2",
        "a" * 16,
    ):
        assert expected in sheet
    assert sorted(p.name for p in (tmp_path / fmt).iterdir()) == sorted(report.files)


def test_since_and_session_narrow_the_scope(ward: Ward, tmp_path: Path) -> None:
    since = run_export(ward.store, tmp_path / "s", "jsonl", since="2026-11-23")
    assert [r["turn_index"] for r in jsonl(tmp_path / "s" / "turns.jsonl")] == [3, 6, 7]
    assert since.turns_written == 3
    assert run_export(ward.store, tmp_path / "o", "jsonl", session=ward.other_session).turns_written == 0
    with pytest.raises(ExportError, match="No session"):
        run_export(ward.store, tmp_path / "n", "jsonl", session="nope")
    with pytest.raises(ExportError, match="not a date"):
        run_export(ward.store, tmp_path / "n", "jsonl", since="last tuesday")
    with pytest.raises(ExportError, match="Unknown export format"):
        run_export(ward.store, tmp_path / "n", "xml")


def test_export_folder_is_private(ward: Ward, tmp_path: Path) -> None:
    run_export(ward.store, tmp_path / "new", "csv")
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700


def test_big_exports_redact_in_worker_processes(ward: Ward, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AISTORIES_EXPORT_WORKERS", "2")
    report = run_export(ward.store, tmp_path / "w", "jsonl")
    assert report.workers == 2
    assert [r["child_text"] for r in jsonl(tmp_path / "w" / "turns.jsonl")][1:3] == [
        "my email is [email]",
        "ring [phone] pip says",
    ]
