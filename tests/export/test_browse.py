"""`aistories browse`: the research copy, its canned queries, and Datasette serving them in-process."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from click.testing import CliRunner
from datasette.app import Datasette

from aistories.cli import cli
from aistories.export.browse import QUERIES, build_copy

from .conftest import CANARIES, Ward, read_all


def test_the_copy_is_a_research_export_with_canned_queries(ward: Ward, tmp_path: Path) -> None:
    report, copy, metadata = build_copy(ward.store, tmp_path / "copy")
    with closing(sqlite3.connect(copy)) as conn:
        rows = conn.execute("select session_id, turn_index, child from turns order by turn_index").fetchall()
        results = {
            name: conn.execute(q["sql"], {"session_id": ward.session}).fetchall()
            for name, q in QUERIES.items()
        }
    assert len(rows) == report.turns_written == 5 and {r[0] for r in rows} == {ward.session}
    assert all(child.startswith("child-") for _, _, child in rows)
    assert results["sessions"][0][4] == 5 and len(results["transcript"]) == 5
    text = read_all(tmp_path / "copy")
    assert [c for c in CANARIES if c in text] == []
    assert json.loads(metadata.read_text())["databases"]["research"]["queries"] == QUERIES


async def test_datasette_serves_the_copy_read_only(ward: Ward, tmp_path: Path) -> None:
    _, copy, metadata = build_copy(ward.store, tmp_path / "copy")
    ds = Datasette(immutables=[str(copy)], metadata=json.loads(metadata.read_text()))
    sessions = await ds.client.get("/research/sessions.json?_shape=array")
    transcript = await ds.client.get(f"/research/transcript.json?_shape=array&session_id={ward.session}")
    assert sessions.status_code == 200 and sessions.json()[0]["turns"] == 5
    assert [r["turn_index"] for r in transcript.json()] == sorted(r["turn_index"] for r in transcript.json())
    assert len(transcript.json()) == 5
    page = await ds.client.get("/research")
    loaded = re.findall(r"<(?:script|link|img)[^>]*(?:src|href)=\"([^\"]+)\"", page.text)
    external = [u for u in loaded if u.startswith(("http://", "https://", "//")) and "//localhost/" not in u]
    assert page.status_code == 200 and loaded and external == []  # nothing fetched from outside


def test_browse_build_only_from_the_cli(ward: Ward, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["browse", "--db", str(ward.path), "--out", str(tmp_path / "c"), "--build-only"]
    )
    assert result.exit_code == 0, result.output
    assert "5 turns of 1 children with research consent" in result.output
    assert (tmp_path / "c" / "research.db").is_file() and (tmp_path / "c" / "README.md").is_file()
