"""`aistories doctor`: a healthy data folder is all OK (exit 0); each problem is one PROBLEM line (exit 1)."""

from __future__ import annotations

import json
import os
import sys
from collections import namedtuple
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from aistories import doctor
from aistories.cli import cli
from aistories.config import Settings, data_dir
from aistories.safety import policy
from aistories.store import Store
from aistories.store.migrations import migrations
from aistories.world import nouns


@pytest.fixture
def home(isolated_home: Path) -> Path:
    """A data folder as the app leaves it: 0700, with a 0600 database that has one child."""
    isolated_home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(isolated_home, 0o700)
    store = Store.open(isolated_home / "aistories.db")
    store.get_or_create_child("fox", "7-9")
    store.db.close()
    return isolated_home


def _doctor(*args: str) -> Result:
    return CliRunner().invoke(cli, ["doctor", *args])


def _report(result: Result) -> dict[str, tuple[str, str]]:
    """check name -> (status, whole line), from the plain report."""
    assert "Traceback" not in result.output
    found: dict[str, tuple[str, str]] = {}
    for line in result.output.splitlines()[:-1]:
        status, rest = line.split(maxsplit=1)
        found[rest.split(":", 1)[0]] = (status, line)
    return found


def _problems(result: Result) -> dict[str, str]:
    assert result.exit_code == 1, result.output
    return {name: line for name, (status, line) in _report(result).items() if status == "PROBLEM"}


def test_healthy_data_folder_is_all_ok(home: Path) -> None:
    result = _doctor()
    assert result.exit_code == 0, result.output
    report = _report(result)
    assert {name: status for name, (status, _) in report.items()} == {
        "model": "OK",
        "safety files": "OK",
        "word list": "OK",
        "data folder": "OK",
        "free space": "OK",
        "privacy": "OK",
        "database": "OK",
        "database integrity": "OK",
        "database version": "OK",
        "read aloud": "INFO",
        "voice input": "OK",
        "offline": "OK",
    }
    assert result.output.splitlines()[-1] == "All OK."


def test_json_for_machines(home: Path) -> None:
    result = _doctor("--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["ok"] is True
    assert all(set(c) == {"check", "status", "detail", "fix"} for c in out["checks"])
    assert {c["status"] for c in out["checks"]} <= {"OK", "INFO"}


def test_no_database_yet_is_only_info(isolated_home: Path) -> None:
    result = _doctor()
    assert result.exit_code == 0, result.output
    assert _report(result)["database"][0] == "INFO"
    assert oct(os.stat(isolated_home).st_mode & 0o777) == "0o700"  # made private on creation


def test_root_db_option_is_honoured(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "other.db"
    other.parent.mkdir(mode=0o700)
    other.write_bytes(b"not a database at all" * 200)
    result = CliRunner().invoke(cli, ["--db", str(other), "doctor"])
    assert str(other) in _problems(result)["database"]


# the model and the shipped files --------------------------------------------------------------------
MODEL = "  - {{id: m, name: M, backend: llama_cpp, source: {{path: '{path}'}}, sha256: {sha}, licence: x,\n"
MODEL += "     n_ctx: 512, chat_template: chatml}}\n"


@pytest.mark.parametrize(
    ("fault", "says"),
    [("missing", "not found"), ("wrong sha256", "sha256"), ("not gguf", "not a GGUF model file")],
)
def test_model_problems(home: Path, tmp_path: Path, fault: str, says: str) -> None:
    model = tmp_path / "model.gguf"
    if fault != "missing":
        model.write_bytes(b"GGUF not really" if fault == "wrong sha256" else b"<html>an error page</html>")
    sha = "null" if fault == "not gguf" else '"' + "0" * 64 + '"'
    (home / "models.yaml").write_text("models:\n" + MODEL.format(path=model, sha=sha), encoding="utf-8")
    line = _problems(_doctor("--model", "m"))["model"]
    assert says in line and "What to do:" in line and "reinstall" in line


def test_altered_safety_file(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of policy/classifier/ with meta.json changed (the shipped files are never touched)."""
    (tmp_path / "policy").mkdir()
    for f in data_dir("policy").iterdir():  # the rest of the policy as shipped
        if f.name != "classifier":
            (tmp_path / "policy" / f.name).symlink_to(f)
    copy = tmp_path / "policy" / "classifier"
    copy.mkdir()
    for f in (data_dir("policy") / "classifier").iterdir():
        (copy / f.name).symlink_to(f)
    (copy / "meta.json").unlink()
    (copy / "meta.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(policy, "policy_dir", lambda: tmp_path / "policy")
    line = _problems(_doctor())["safety files"]
    assert "meta.json" in line and "blocks every message" in line and "reinstall" in line


def test_altered_word_list(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    text = (data_dir("lexicon") / "nouns.txt").read_text(encoding="utf-8")
    (lexicon / "nouns.txt").write_text(text + "zzzbogus\n", encoding="utf-8")
    monkeypatch.setattr(nouns, "data_dir", lambda name: tmp_path / name)
    try:
        line = _problems(_doctor())["word list"]
    finally:
        nouns._table.cache_clear()
    assert "nouns.txt: sha256 does not match" in line


# the database ---------------------------------------------------------------------------------------
def test_damaged_database_is_named_and_left_alone(home: Path) -> None:
    db = home / "aistories.db"
    db.write_bytes(os.urandom(20000))
    before = db.read_bytes()
    line = _problems(_doctor())["database"]
    assert str(db) in line and "damaged" in line and "--set-aside-damaged" in line
    assert db.read_bytes() == before


def test_a_damaged_database_is_set_aside_only_when_asked(home: Path) -> None:
    db = home / "aistories.db"
    db.write_bytes(b"garbage" * 3000)
    Path(f"{db}-wal").write_bytes(b"wal bytes")
    before = db.read_bytes()
    assert _doctor().exit_code == 1 and db.read_bytes() == before  # not asked: left where it is
    result = _doctor("--set-aside-damaged")
    assert result.exit_code == 0, result.output  # no database yet is only INFO
    (kept,) = [p for p in home.glob("aistories.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept.read_bytes() == before and Path(f"{kept}-wal").read_bytes() == b"wal bytes"
    assert f"Set aside the damaged database as {kept}" in result.output
    assert not db.exists() and not Path(f"{db}-wal").exists()


def test_a_healthy_database_is_never_set_aside(home: Path) -> None:
    result = _doctor("--set-aside-damaged")
    assert result.exit_code == 0 and "Set aside" not in result.output
    assert (home / "aistories.db").exists() and not list(home.glob("*.damaged-*"))


def test_database_failing_its_integrity_check(home: Path) -> None:
    db = home / "aistories.db"
    raw = bytearray(db.read_bytes())
    raw[4096 * 3 : 4096 * 6] = os.urandom(4096 * 3)
    db.write_bytes(bytes(raw))
    problems = _problems(_doctor())
    assert {"database", "database integrity"} & set(problems)
    assert "damaged" in " ".join(problems.values())


def test_database_behind_on_migrations(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    os.chmod(tmp_path, 0o700)
    last = migrations._migrations[-1].name
    migrations.apply(Database(path), stop_before=last)
    os.chmod(path, 0o600)
    line = _problems(_doctor("--db", str(path)))["database version"]
    assert last in line and "start the story app once" in line


# the data folder ------------------------------------------------------------------------------------
def test_read_only_data_folder(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kw: object) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(doctor.tempfile, "NamedTemporaryFile", refuse)
    line = _problems(_doctor())["data folder"]
    assert "cannot be written" in line and "read-only" in line


def test_low_free_space(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda p: usage(10**9, 10**9 - 5 * 2**20, 5 * 2**20))
    line = _problems(_doctor())["free space"]
    assert "only 5 MB free" in line and "delete old exports" in line


def test_loose_permissions(home: Path) -> None:
    os.chmod(home, 0o755)
    os.chmod(home / "aistories.db", 0o644)
    line = _problems(_doctor())["privacy"]
    assert f"chmod 700 '{home}'" in line and f"chmod 600 '{home / 'aistories.db'}'" in line


# other things ---------------------------------------------------------------------------------------
def test_no_espeak_is_only_info(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    result = _doctor()
    assert result.exit_code == 0
    assert "espeak-ng is not installed" in _report(result)["read aloud"][1]


def test_a_network_attempt_is_a_problem(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the socket module reports before it connects (the same audit event), from inside a check."""

    def phoning_home() -> doctor.Finding:
        sys.audit("socket.connect", None, ("192.0.2.7", 443))
        sys.audit("socket.connect", None, ("127.0.0.1", 8080))  # loopback is fine
        return doctor.info("read aloud", "checked")

    monkeypatch.setattr(doctor, "check_speech", phoning_home)
    line = _problems(_doctor())["offline"]
    assert "192.0.2.7" in line and "127.0.0.1" not in line


def test_offline_switches_must_be_on(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    found = {f.check: f for f in doctor.run_checks(Settings.load())}
    assert found["offline"].status == "PROBLEM" and "HF_HUB_OFFLINE" in found["offline"].detail


def test_voice_input_is_reported_and_an_altered_model_is_a_problem(home: Path) -> None:
    from aistories import voice

    found = {f.check: f for f in doctor.run_checks(Settings.load())}
    assert found["voice input"].status == "OK" and "joined on the first Talk" in found["voice input"].detail
    model = voice.model_folder() / "model.bin"
    with model.open("r+b") as fh:
        fh.seek(10)
        fh.write(b"\x01")
    found = {f.check: f for f in doctor.run_checks(Settings.load())}
    assert found["voice input"].status == "OK" and "ready" in found["voice input"].detail  # joined again
