"""Retention: `forget` leaves no trace of a child in the SQLite file; `purge` deletes old stories only."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from aistories.backends.fake import FakeBackend
from aistories.cli import cli
from aistories.dialogue import DialogueManager, TurnDone
from aistories.store import Store
from aistories.store.alerts import acknowledge
from aistories.store.retention import purge

GONE = "Quillon Vantastrope"  # the forgotten child's pseudonym (could be a real name)
KEPT = "Bramble Otter"
GONE_WORDS = ["a unicorn called Xylophonia", "Xylophonia eats zorbleberries", "my email is qv@example.org"]
KEPT_WORDS = ["a badger called Pemberton", "Pemberton digs a tunnel"]
CANARIES = [GONE, "Vantastrope", "Xylophonia", "zorbleberries", "qv@example.org"]
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def _play(store: Store, child: str, lines: list[str], world: str = "flying-beds-castle") -> list[str]:
    """A real session on the fake backend (world rows, why-records, summary); returns the turn ids."""
    fake = FakeBackend()
    for line in lines:
        fake.enqueue([f"{line.split()[-1].title()} waved from the Tower of Pillows."])
    manager = DialogueManager(fake, store, world=world, child=child, seed=1)
    ids = []
    for line in lines:
        done = [e for e in manager.turn(line) if isinstance(e, TurnDone)][0]
        ids.append(done.record["id"])
    manager.end()
    return ids


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    """Two children with stories, feedback, research ids and (for the one to forget) an acknowledged alert."""
    path = tmp_path / "ward.db"
    store = Store.open(path)
    gone = _play(store, GONE, GONE_WORDS)
    kept = _play(store, KEPT, KEPT_WORDS)
    store.add_feedback(gone[0], 1)
    store.add_feedback(gone[1], 1, kind="choice", target="Xylophonia flies", alternative="Xylophonia naps")
    store.add_feedback(kept[0], -1)
    session = store.db["turns"].get(gone[2])["session_id"]
    store.insert_turn(
        {"id": "esc", "session_id": session, "turn_index": 99, "child_text": "Xylophonia hurts me"},
        {
            "alerts": [
                {"id": "al-gone", "session_id": session, "turn_id": "esc", "message": "Xylophonia hurts"}
            ]
        },
    )
    acknowledge(store.db, "al-gone", "Nurse Ada")
    children = [r["id"] for r in store.db["children"].rows]
    store.research_pseudonyms(children)
    store.db.close()
    return path


def _texts_mentioning(path: Path, words: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, value) for every stored value in any table that contains one of the words."""
    conn = sqlite3.connect(path)
    found = []
    for (table,) in conn.execute("select name from sqlite_master where type = 'table'"):
        columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
        for column in columns:
            for (value,) in conn.execute(f"select cast([{column}] as text) from [{table}]"):
                if value and any(w.lower() in value.lower() for w in words):
                    found.append((table, column, value))
    conn.close()
    return found


def _file_bytes(path: Path) -> bytes:
    """The database file and whatever its WAL still holds."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    counts = {n: conn.execute(f"select count(*) from [{n}]").fetchone()[0] for n in names}
    conn.close()
    return counts


def test_the_ward_fixture_really_holds_the_canaries(ward: Path) -> None:
    tables = {t for t, _, _ in _texts_mentioning(ward, CANARIES)}
    assert {
        "children",
        "turns",
        "world_entities",
        "world_facts",
        "memory_why",
        "feedback",
        "alerts",
    } <= tables
    assert b"Xylophonia" in _file_bytes(ward)


def test_forget_leaves_nothing_about_the_child_anywhere_in_the_file(ward: Path) -> None:
    kept_before = _texts_mentioning(ward, [KEPT, "Pemberton"])
    result = CliRunner().invoke(cli, ["forget", GONE, "--db", str(ward), "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Forgot '{GONE}': deleted the child, 1 session, 4 turns, ")
    assert "1 acknowledged alert" in result.output and "compacted (VACUUM)" in result.output
    assert _texts_mentioning(ward, CANARIES) == []
    data = _file_bytes(ward).lower()
    assert [c for c in CANARIES if c.lower().encode() in data] == []
    # The other child is untouched.
    assert _texts_mentioning(ward, [KEPT, "Pemberton"]) == kept_before
    counts = _counts(ward)
    assert (counts["children"], counts["sessions"], counts["turns"], counts["feedback"]) == (1, 1, 2, 1)
    assert counts["research_ids"] == 1 and counts["alerts"] == 0


def test_forget_by_id_works_too(ward: Path) -> None:
    conn = sqlite3.connect(ward)
    child_id = conn.execute("select id from children where pseudonym = ?", [GONE]).fetchone()[0]
    conn.close()
    result = CliRunner().invoke(cli, ["forget", child_id, "--db", str(ward), "--yes"])
    assert result.exit_code == 0, result.output
    assert _texts_mentioning(ward, CANARIES) == []


def test_forget_refuses_while_a_safeguarding_alert_is_open(ward: Path) -> None:
    store = Store.open(ward)
    session = store.db["sessions"].rows_where(
        "child_id = (select id from children where pseudonym = ?)", [GONE]
    )
    store.db["alerts"].insert({"id": "al-open", "session_id": next(iter(session))["id"], "message": "x"})
    store.db.close()
    before = _counts(ward)
    result = CliRunner().invoke(cli, ["forget", GONE, "--db", str(ward), "--yes"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Not forgotten: '{GONE}' has a safeguarding alert nobody has acknowledged (al-open); "
        "acknowledge it first (`aistories alerts ack ID --by NAME`, or in carer mode), then run forget "
        "again. Nothing was deleted.\n"
    )
    assert _counts(ward) == before


def test_an_unknown_child_is_one_clear_line(ward: Path) -> None:
    before = _counts(ward)
    result = CliRunner().invoke(cli, ["forget", "Nobody Here", "--db", str(ward), "--yes"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: No child with pseudonym or id 'Nobody Here' in this database: nothing was deleted "
        "(pseudonyms are case-sensitive; check the spelling or pass --db PATH).\n"
    )
    assert _counts(ward) == before


def test_forget_asks_first_unless_yes(ward: Path) -> None:
    result = CliRunner().invoke(cli, ["forget", GONE, "--db", str(ward)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert _texts_mentioning(ward, [GONE])


# purge ---------------------------------------------------------------------------------------------
def _story(store: Store, child: str, world: str, when: str, *, text: str = "a cat") -> str:
    """A back-dated story: child (created then), session and one turn with a world row and feedback."""
    kid = store.get_or_create_child(child, "7-9")
    if kid["created_utc"] > when:
        store.db["children"].update(kid["id"], {"created_utc": when})
    session = store.start_session(kid["id"], world, "7-9", "fake")["id"]
    store.db["sessions"].update(session, {"started_utc": when, "ended_utc": when})
    turn = f"{session}-t1"
    store.insert_turn(
        {"id": turn, "session_id": session, "turn_index": 1, "child_text": text, "datetime_utc": when},
        {"world_entities": [{"id": f"e-{turn}", "child_id": kid["id"], "world": world, "name": text}]},
    )
    store.add_feedback(turn, 1)
    return session


def _days_ago(days: int) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat(timespec="milliseconds")


@pytest.fixture
def old_and_new() -> Store:
    store = Store.open(None)
    _story(store, "Old Owl", "dinosaur-valley", _days_ago(200), text="owlcanary")
    _story(store, "Mixed Mole", "dinosaur-valley", _days_ago(120), text="oldmole")
    _story(store, "Mixed Mole", "get-well-garden", _days_ago(3), text="newmole")
    _story(store, "New Newt", "dinosaur-valley", _days_ago(1), text="newt")
    alerted = _story(store, "Alert Ant", "dinosaur-valley", _days_ago(150), text="antcanary")
    store.db["alerts"].insert({"id": "al-ant", "session_id": alerted, "message": "antcanary"})
    return store


def _names(store: Store, table: str, column: str) -> list[str]:
    return sorted(r[column] for r in store.db[table].rows)


def test_purge_deletes_stories_older_than_the_period_and_children_left_with_none(old_and_new: Store) -> None:
    store = old_and_new
    report = purge(store.db, 90, now=NOW)
    assert [(s["pseudonym"], s["world"]) for s in report.stories] == [
        ("Old Owl", "dinosaur-valley"),
        ("Mixed Mole", "dinosaur-valley"),
    ]
    assert report.children == 1 and [s["open_alerts"] for s in report.kept] == [["al-ant"]]
    assert report.removed.rows == {
        "children": 1,
        "sessions": 2,
        "turns": 2,
        "feedback": 2,
        "world_entities": 2,
    }
    assert _names(store, "children", "pseudonym") == ["Alert Ant", "Mixed Mole", "New Newt"]
    assert _names(store, "turns", "child_text") == ["antcanary", "newmole", "newt"]
    assert _names(store, "world_entities", "name") == ["antcanary", "newmole", "newt"]
    assert store.db["feedback"].count == 3 and store.db["alerts"].count == 1


def test_purge_takes_the_alerted_story_once_the_alert_is_acknowledged(old_and_new: Store) -> None:
    store = old_and_new
    acknowledge(store.db, "al-ant", "Nurse Ada")
    report = purge(store.db, 90, now=NOW)
    assert report.kept == [] and report.children == 2
    assert _names(store, "children", "pseudonym") == ["Mixed Mole", "New Newt"]
    assert store.db["alerts"].count == 0


def test_purge_dry_run_deletes_nothing(old_and_new: Store) -> None:
    report = purge(old_and_new.db, 90, now=NOW, dry_run=True)
    assert len(report.stories) == 2 and report.removed.rows == {}
    assert old_and_new.db["turns"].count == 5


def test_purge_command_uses_the_configured_retention_period(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "ward.db"
    store = Store.open(path)
    _story(store, "Old Owl", "dinosaur-valley", "2020-01-01T00:00:00.000+00:00", text="owlcanary")
    _story(store, "New Newt", "dinosaur-valley", dt.datetime.now(dt.UTC).isoformat(), text="newt")
    alerted = _story(store, "Alert Ant", "dinosaur-valley", "2020-02-01T00:00:00.000+00:00")
    store.db["alerts"].insert({"id": "al-ant", "session_id": alerted, "message": "antcanary"})
    store.db.close()
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text("retention_days = 30\n", encoding="utf-8")
    dry = CliRunner().invoke(cli, ["purge", "--db", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[1] == "1 story and 1 child older than 30 days."
    result = CliRunner().invoke(cli, ["purge", "--db", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Purged 1 story and 1 child with nothing newer than 30 days (1 session, 1 turn, 1 world row, "
        "1 feedback row). The file was compacted (VACUUM): nothing deleted remains in it.",
        "Kept 1 old story with a safeguarding alert nobody has acknowledged (al-ant): acknowledge it "
        "(`aistories alerts ack ID --by NAME`, or in carer mode), then purge again.",
    ]
    assert b"owlcanary" not in _file_bytes(path) and b"Old Owl" not in _file_bytes(path)


def test_retention_days_must_be_positive(isolated_home: Path) -> None:
    from aistories.config import Settings
    from aistories.errors import ConfigError

    assert Settings.load().retention_days == 90
    with pytest.raises(ConfigError):
        Settings.load(retention_days=0)


def test_db_given_before_the_command_is_honoured(ward: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(ward), "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output == "0 stories and 0 children older than 90 days.\n"
    refused = CliRunner().invoke(cli, ["--child", GONE, "forget", GONE, "--db", str(ward)])
    assert refused.exit_code == 2 and "--child does not apply to `aistories forget`" in refused.output
