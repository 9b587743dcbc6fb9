"""Research exports' privacy rules: consent, pseudonyms, fail-closed redaction, no safeguarding record."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from aistories.cli import cli
from aistories.export import FORMATS, run_export
from aistories.safety import pii

from .conftest import CANARIES, NO_CONSENT, TYPED_NAME, Ward, jsonl, read_all


def _exported_text(folder: Path) -> str:
    """Everything a researcher could read in the folder (Parquet decoded through DuckDB)."""
    text = read_all(folder)
    for path in folder.glob("*.parquet"):
        text += json.dumps(duckdb.sql(f"select * from '{path}'").fetchall(), default=str)
    for path in folder.glob("*.db"):  # the SQLite copy, read through SQLite (free pages too, above)
        with closing(sqlite3.connect(path)) as conn:
            text += json.dumps(conn.execute("select * from turns").fetchall(), default=str)
    return text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_canary_and_no_safeguarding_text_in_any_format(ward: Ward, tmp_path: Path, fmt: str) -> None:
    run_export(ward.store, tmp_path / fmt, fmt)
    text = _exported_text(tmp_path / fmt)
    assert [c for c in CANARIES if c in text] == []
    assert "al1" not in text and "disclosure" not in text
    assert f"{ward.session}-t4" not in text and f"{ward.session}-t5" not in text


def test_children_appear_only_as_random_research_pseudonyms(ward: Ward, tmp_path: Path) -> None:
    run_export(ward.store, tmp_path / "a", "jsonl")
    run_export(ward.store, tmp_path / "b", "jsonl")
    first = {r["child"] for r in jsonl(tmp_path / "a" / "turns.jsonl")}
    second = {r["child"] for r in jsonl(tmp_path / "b" / "turns.jsonl")}
    stored = ward.store.db["research_ids"].get(ward.child)["pseudonym"]
    assert first == second == {stored}
    assert stored.startswith("child-") and TYPED_NAME.split()[0].lower() not in stored.lower()
    assert ward.child not in read_all(tmp_path / "a")  # the internal child id is not exported either


def test_consent_gates_the_export(ward: Ward, tmp_path: Path) -> None:
    report = run_export(ward.store, tmp_path / "before", "jsonl")
    assert ward.other_session not in read_all(tmp_path / "before")
    assert (report.no_consent, report.children) == (1, 1)
    other = ward.store.db["sessions"].get(ward.other_session)["child_id"]
    ward.store.set_consent(other, research=True)
    after = run_export(ward.store, tmp_path / "after", "jsonl")
    assert (after.no_consent, after.children, after.turns_written) == (0, 2, 6)
    ward.store.set_consent(other, research=False)  # consent withdrawn: out again
    assert run_export(ward.store, tmp_path / "withdrawn", "jsonl").no_consent == 1


def _failing_on(word: str):  # type: ignore[no-untyped-def]
    real = pii.redact

    def redact(text: str) -> str:
        if word in text:
            raise RuntimeError("redactor broke")
        return real(text)

    return redact


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_the_redactor_cannot_process_are_withheld_and_counted(
    ward: Ward, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(pii, "redact", _failing_on("clouds"))
    report = run_export(ward.store, tmp_path / fmt, fmt)
    assert (report.withheld, report.turns_written, report.fields_failed) == (1, 4, 1)
    assert "clouds" not in _exported_text(tmp_path / fmt)
    assert (
        "| withheld: redaction failed or no masked copy | 1 |" in (tmp_path / fmt / "README.md").read_text()
    )


def test_redactor_broken_for_everything_writes_nothing_raw(
    ward: Ward, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pii, "redact", _failing_on(""))
    report = run_export(ward.store, tmp_path / "x", "jsonl")
    assert (report.turns_written, report.withheld) == (0, 5)
    assert (tmp_path / "x" / "turns.jsonl").read_text() == ""


def test_the_redactors_own_fail_closed_output_also_withholds(
    ward: Ward, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> list:
        raise ValueError("pattern blew up")

    monkeypatch.setattr(pii, "find_pii", broken)  # redact() then returns its fully masked string
    report = run_export(ward.store, tmp_path / "x", "csv")
    assert (report.turns_written, report.withheld) == (0, 5)


def test_a_turn_without_a_masked_copy_is_withheld(ward: Ward, tmp_path: Path) -> None:
    ward.store.db["turns"].update(f"{ward.session}-t1", {"safety_json": "not json"})
    report = run_export(ward.store, tmp_path / "x", "jsonl")
    assert (report.withheld, report.turns_written) == (1, 4)
    assert "dragon called Pip" not in read_all(tmp_path / "x").split("## Fields")[0]


def test_cli_export_progress_stays_off_stdout(ward: Ward, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(ward.path),
            "export",
            "--format",
            "jsonl",
            "--out",
            str(tmp_path / "x"),
            "--json",
            "--progress",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["turns_written"], report["children"], report["withheld"]) == (5, 1, 0)
    assert "turn" in result.stderr  # the progress bar


def test_cli_export_errors_are_one_line(ward: Ward, tmp_path: Path) -> None:
    runner = CliRunner()
    bad_date = runner.invoke(
        cli,
        [
            "export",
            "--db",
            str(ward.path),
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x"),
            "--since",
            "soon",
        ],
    )
    assert bad_date.exit_code == 2 and "not a date" in bad_date.stderr
    no_session = runner.invoke(
        cli,
        [
            "export",
            "--db",
            str(ward.path),
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x"),
            "--session",
            "nope",
        ],
    )
    assert no_session.exit_code == 1 and no_session.stderr.strip() == (
        "Error: No session nope in this database: check the id or --db."
    )
    refused = runner.invoke(cli, ["--child", "x", "export", "--format", "csv", "--out", str(tmp_path / "x")])
    assert refused.exit_code == 2 and "--child does not apply" in refused.stderr


def test_non_consenting_canary_absent_even_when_asked_by_session(ward: Ward, tmp_path: Path) -> None:
    report = run_export(ward.store, tmp_path / "x", "convokit", session=ward.other_session)
    assert report.turns_written == 0 and NO_CONSENT not in read_all(tmp_path / "x")
