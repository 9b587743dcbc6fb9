"""Faults (issue 14.3): each gives a one-line message naming the fix, no traceback, and loses nothing.

Missing model file, wrong sha256, corrupt GGUF (temporary copies under a temporary models.yaml; the
shipped model is never touched), a read-only data folder, a full disk at the SQLite layer during a
turn's commit, a database locked by another connection, and a damaged database file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from aistories.backends.fake import FakeBackend
from aistories.backends.registry import get_entry
from aistories.cli import cli
from aistories.dialogue import DialogueManager
from aistories.errors import StoreCorrupt, StoreFull, StoreLocked, StoreReadOnly
from aistories.store import Store
from aistories.store import db as store_db

FAKE = "  - {id: test-fake, name: Fake, backend: fake, source: {path: none}, sha256: null, licence: none,\n"
FAKE += "     n_ctx: 512, chat_template: chatml}\n"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
TABLES = ("turns", "world_entities", "world_facts", "world_events", "memory_why")


def _models_yaml(home: Path, *entries: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "models.yaml").write_text("models:\n" + FAKE + "".join(entries), encoding="utf-8")


def _llama_entry(model_id: str, path: Path, sha256: str | None) -> str:
    sha = f'"{sha256}"' if sha256 else "null"
    return (
        f"  - {{id: {model_id}, name: T, backend: llama_cpp, source: {{path: '{path}'}}, sha256: {sha},\n"
        "     licence: none, n_ctx: 512, chat_template: chatml}\n"
    )


def _play(tmp_path: Path, *args: str, lines: str = "hello\na cat called Mo\n") -> Result:
    script = tmp_path / "script.txt"
    script.write_text(lines, encoding="utf-8")
    return CliRunner().invoke(cli, ["play", "--script", str(script), "--json", "--seed", "1", *args])


def _one_line_error(result: Result, *words: str) -> str:
    """The run failed with exit 1 and one 'Error: ...' line (no traceback) containing every word."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    # (chat's "you> " prompt may precede it: CliRunner does not echo the typed line's newline)
    errors = [ln[ln.index("Error: ") :] for ln in result.output.splitlines() if "Error: " in ln]
    assert len(errors) == 1, result.output
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def _counts(path: Path) -> dict[str, int]:
    db = Database(sqlite3.connect(path))
    try:
        return {t: db[t].count for t in TABLES}
    finally:
        db.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


# the model file ------------------------------------------------------------------------------------
def test_missing_model_file(isolated_home: Path, tmp_path: Path) -> None:
    _models_yaml(isolated_home, _llama_entry("gone", tmp_path / GGUF_NAME, None))
    result = _play(tmp_path, "--model", "gone", "--db", str(tmp_path / "x.db"))
    _one_line_error(result, "Model file not found", GGUF_NAME, "aistories models verify")


def test_wrong_sha256(isolated_home: Path, tmp_path: Path) -> None:
    model = tmp_path / GGUF_NAME
    model.write_bytes(b"GGUF" + os.urandom(4096))
    _models_yaml(isolated_home, _llama_entry("altered", model, "0" * 64))
    result = _play(tmp_path, "--model", "altered", "--db", str(tmp_path / "x.db"))
    _one_line_error(result, "sha256", "expected 000000000000", "damaged or a different file", "Reinstall")


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_corrupt_gguf_with_the_right_name(isolated_home: Path, tmp_path: Path, damage: str) -> None:
    """A temporary copy of the shipped model cut short, or random bytes, under the model's own name."""
    shipped = get_entry("smollm2-135m-instruct-q4_1").file_path()
    assert shipped is not None
    model = tmp_path / GGUF_NAME
    if damage == "truncated":
        with shipped.open("rb") as fh:
            model.write_bytes(fh.read(2_000_000))  # the header and the start of the tensors
    else:
        model.write_bytes(os.urandom(200_000))
    sha = hashlib.sha256(model.read_bytes()).hexdigest()
    _models_yaml(isolated_home, _llama_entry("broken", model, sha))  # checksum right: only the load fails
    result = _play(tmp_path, "--model", "broken", "--db", str(tmp_path / "x.db"))
    _one_line_error(result, "could not load", GGUF_NAME, "damaged", "aistories models verify")


# a read-only data folder ---------------------------------------------------------------------------
def test_read_only_folder_when_creating_the_database(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file system refuses the new file (EROFS, as on a read-only mount): one line, exit 1."""
    _models_yaml(isolated_home)
    real_open = os.open

    def refuse(path: object, flags: int, *args: object) -> int:
        if str(path).endswith("ro.db") and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_db.os, "open", refuse)
    result = _play(tmp_path, "--model", "test-fake", "--db", str(tmp_path / "ro.db"))
    _one_line_error(result, "ro.db", "read-only", "aistories doctor")


def test_read_only_database_refuses_the_write_cleanly(tmp_path: Path) -> None:
    """SQLite itself says 'attempt to write a readonly database': a StoreReadOnly naming the fix."""
    path = tmp_path / "x.db"
    Store.open(path).db.close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    store = Store(Database(conn))
    with pytest.raises(StoreReadOnly, match="cannot be written.*read-only"):
        store.get_or_create_child("fox", "7-9")
    assert _integrity(path) == "ok"


# a full disk during a turn's commit ----------------------------------------------------------------
def _manager(store: Store) -> DialogueManager:
    return DialogueManager(FakeBackend(), store, child="fox", seed=3)


def _fill_the_disk(store: Store) -> int:
    """Use up the free pages, then cap the file at its size: the next new page is SQLITE_FULL."""
    db = store.db
    free, size = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_size"))
    db.execute("create table filler (b blob)")
    with store.atomic():
        db.execute("insert into filler values (zeroblob(?))", [max(free - 2, 0) * size])
    pages = int(db.execute("PRAGMA page_count").fetchone()[0])
    db.execute(f"PRAGMA max_page_count={pages}")
    return pages


def test_full_disk_mid_turn_writes_nothing_and_the_turn_can_be_said_again(tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL (the file capped at its size): turns go in until one needs a new page;
    that one leaves nothing behind, on disk or in memory, and is saved when said again with room."""
    path = tmp_path / "x.db"
    store = Store.open(path)
    manager = _manager(store)
    list(manager.turn("hello"))
    pages = _fill_the_disk(store)
    for n in range(2, 40):
        before, said = _counts(path), f"a dragon called Zog{n} with a golden key"
        try:
            list(manager.turn(said))
        except StoreFull as exc:
            assert "nothing from this step was saved" in str(exc) and "disk is full" in str(exc)
            break
    else:
        pytest.fail("the page limit was never reached")
    assert _counts(path) == before and _integrity(path) == "ok"
    assert f"Zog{n}" not in {e.name for e in manager.state.entities.values()}  # undone in memory too
    store.db.execute(f"PRAGMA max_page_count={pages * 100}")
    done = list(manager.turn(said))[-1]
    assert done.turn == n  # type: ignore[attr-defined]
    assert _counts(path)["turns"] == n
    assert f"Zog{n}" in {r["name"] for r in store.db["world_entities"].rows}


def test_full_disk_during_play_keeps_printed_turns_and_says_so(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mocked 'database or disk is full' after the turn row went in: rolled back, one kind line."""
    _models_yaml(isolated_home)
    real_insert = Store.insert_turn
    calls = {"n": 0}

    def insert_turn(self: Store, row: dict[str, object], extra: object = None) -> None:
        calls["n"] += 1
        if calls["n"] < 2:
            return real_insert(self, row, extra)  # type: ignore[arg-type]
        with self.atomic():
            self.db["turns"].insert(row)
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "insert_turn", insert_turn)
    db = tmp_path / "x.db"
    result = _play(tmp_path, "--model", "test-fake", "--db", str(db), lines="hello\na cat\nmore\n")
    _one_line_error(result, "disk is full", "nothing from this step was saved", "Free some space")
    printed = [ln for ln in result.output.splitlines() if ln.startswith("{")]
    assert len(printed) == 1
    assert _counts(db)["turns"] == 1 and _integrity(db) == "ok"


def test_full_disk_at_the_file_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC creating the file is StoreFull too."""

    def full(*args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_db.os, "open", full)
    with pytest.raises(StoreFull, match="disk is full"):
        Store.open(tmp_path / "x.db")


# a locked database ---------------------------------------------------------------------------------
def _hold_write_lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_locked_database_waits_then_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.5)
    path = tmp_path / "x.db"
    store = Store.open(path)
    manager = _manager(store)
    list(manager.turn("hello"))
    other = _hold_write_lock(path)
    started = time.monotonic()
    try:
        with pytest.raises(StoreLocked, match="busy: another aistories window or program.*Close the other"):
            list(manager.turn("a cat called Mo"))
    finally:
        other.rollback()
        other.close()
    assert time.monotonic() - started >= 0.4  # the busy timeout was waited out, not an instant failure
    assert _counts(path)["turns"] == 1
    assert list(manager.turn("a cat called Mo"))[-1].turn == 2  # type: ignore[attr-defined]


def test_a_lock_released_within_the_busy_timeout_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store = Store.open(path)
    other = _hold_write_lock(path)
    threading.Timer(0.3, other.rollback).start()
    store.get_or_create_child("fox", "7-9")  # waits for the lock, then writes
    other.close()
    assert store.db["children"].count == 1


def test_locked_database_with_the_cli(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.2)
    _models_yaml(isolated_home)
    path = tmp_path / "x.db"
    Store.open(path).db.close()
    other = _hold_write_lock(path)
    try:
        result = _play(tmp_path, "--model", "test-fake", "--db", str(path))
    finally:
        other.rollback()
        other.close()
    _one_line_error(result, "x.db", "is busy", "Close the other one")


# a damaged database file ---------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["garbage", "torn pages"])
def test_corrupt_database_is_named_and_never_overwritten(
    isolated_home: Path, tmp_path: Path, damage: str
) -> None:
    _models_yaml(isolated_home)
    path = tmp_path / "kept.db"
    if damage == "garbage":
        path.write_bytes(os.urandom(16384))
    else:
        store = Store.open(path)
        list(_manager(store).turn("hello"))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.db.close()
        raw = bytearray(path.read_bytes())
        raw[4096:12288] = os.urandom(8192)  # the first page (header, schema root) survives
        path.write_bytes(bytes(raw))
    before = path.read_bytes()
    result = _play(tmp_path, "--model", "test-fake", "--db", str(path))
    _one_line_error(result, str(path), "is damaged", "not changed", "--set-aside-damaged", "--db PATH")
    assert path.read_bytes() == before
    with pytest.raises(StoreCorrupt):
        Store.open(path)
    assert path.read_bytes() == before


def test_chat_says_the_turn_was_not_saved_and_never_claims_it_was(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _models_yaml(isolated_home)

    def full(self: Store, row: dict[str, object], extra: object = None) -> None:
        with self.atomic():
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "insert_turn", full)
    db = tmp_path / "c.db"
    result = CliRunner().invoke(
        cli, ["chat", "--model", "test-fake", "--db", str(db)], input="a dragon\nmore\n"
    )
    _one_line_error(result, "disk is full", "nothing from this step was saved")
    assert "Your story is saved" not in result.output
    assert _counts(db)["turns"] == 0 and _integrity(db) == "ok"
