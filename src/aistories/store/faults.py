"""What an SQLite or file-system failure means for a nurse, and what to do about it (issue 14).

SQLite reports a full disk, a lock held too long, a read-only file and a damaged file as different
result codes; each becomes a named StoreError whose one-line message says what happened and what to
do. The transaction that failed has already been rolled back, so the message can say nothing was
half-saved.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from ..errors import StoreCorrupt, StoreError, StoreFull, StoreLocked, StoreReadOnly

# SQLite result-code names (sqlite3 exceptions carry them since Python 3.11), by what they mean here.
LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")
FULL = ("SQLITE_FULL",)
READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")
CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
# The same, from the message, for errors that carry no code (a mocked or re-raised exception).
WORDS = (
    (LOCKED, ("locked", "busy")),
    (FULL, ("disk is full", "no space")),
    (READ_ONLY, ("readonly", "read-only", "unable to open", "permission")),
    (CORRUPT, ("not a database", "malformed", "corrupt")),
)
ENVIRONMENT = (*LOCKED, *FULL, *READ_ONLY, *CORRUPT, "SQLITE_IOERR")

LOW_SPACE_BYTES = 2 * 1024 * 1024  # less free than this and a write may fail: the disk counts as full
DOCTOR = "`aistories doctor` checks the data folder, the disk and the database."


def kind_of(exc: sqlite3.Error) -> str | None:
    """The failure's family (one of the tuples' first names), or None for a programming error."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    for family in (LOCKED, FULL, READ_ONLY, CORRUPT):
        if name.startswith(family):
            return family[0]
    if name.startswith("SQLITE_IOERR"):
        return "SQLITE_IOERR"
    text = str(exc).lower()
    for family, words in WORDS:
        if any(w in text for w in words):
            return family[0]
    if "disk i/o error" in text:
        return "SQLITE_IOERR"
    return None


def is_environmental(exc: BaseException) -> bool:
    """A failure of the disk, the file or another program (not a bug): worth a one-line message."""
    return isinstance(exc, sqlite3.Error) and kind_of(exc) is not None


def explain(exc: sqlite3.Error, path: Path | str | None, *, writing: bool = True) -> StoreError:
    """The named StoreError for an sqlite3 error on the database at path (None: in memory)."""
    where = str(path) if path is not None else "the in-memory database"
    kind = kind_of(exc)
    lead = (
        "Could not save to the database: nothing from this step was saved, and everything saved "
        "before is safe. "
        if writing
        else ""
    )
    if kind == "SQLITE_BUSY":
        return StoreLocked(
            f"{lead}The database {where} is busy: another aistories window or program is using it "
            f"({exc}). Close the other one and try again."
        )
    if kind == "SQLITE_FULL":
        return StoreFull(
            f"{lead}The disk is full ({exc}). Free some space (old exports or downloads) and try "
            f"again. {DOCTOR}"
        )
    if kind == "SQLITE_READONLY":
        return StoreReadOnly(
            f"{lead}The database {where} or its folder cannot be written ({exc}). Check that the disk "
            f"is not read-only and the folder belongs to this user, or pass --db PATH. {DOCTOR}"
        )
    if kind == "SQLITE_CORRUPT":
        return corrupt(path, str(exc))
    if kind == "SQLITE_IOERR" and is_disk_full(path):
        # A full disk often shows as an I/O error (the WAL index cannot grow: SQLITE_IOERR_SHMSIZE).
        return StoreFull(
            f"{lead}The disk holding {where} is full ({exc}). Free some space (old exports or "
            f"downloads) and try again. {DOCTOR}"
        )
    if kind == "SQLITE_IOERR":
        return StoreError(f"{lead}The disk holding {where} reported an error ({exc}). {DOCTOR}")
    return StoreError(f"{lead}Database error on {where}: {exc}.")


def is_disk_full(path: Path | str | None) -> bool:
    """True when the folder holding path has less than LOW_SPACE_BYTES free."""
    if path is None:
        return False
    try:
        return shutil.disk_usage(Path(path).parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def corrupt(path: Path | str | None, detail: str) -> StoreCorrupt:
    """The damaged-database message: the file is left as it is; how to start a new one."""
    db = f" --db '{path}'" if path is not None else ""
    return StoreCorrupt(
        f"The database {path} is damaged ({detail}); it was not changed. Keep it for IT to recover; to "
        f"start a new, empty one, run `aistories doctor{db} --set-aside-damaged` (it renames the file, "
        "deleting nothing), or pass --db PATH to use another file."
    )


def explain_os(exc: OSError, path: Path | str) -> StoreError:
    """The named StoreError for a file-system error creating the database or its folder."""
    if exc.errno == errno.ENOSPC:
        return StoreFull(f"Cannot create the database {path}: the disk is full. Free some space. {DOCTOR}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnly(
            f"Cannot create the database {path}: {exc.strerror}. Check that the disk is not read-only "
            f"and the folder belongs to this user, or pass --db PATH. {DOCTOR}"
        )
    return StoreError(f"Cannot create the database {path}: {exc.strerror}. Pass --db PATH. {DOCTOR}")
