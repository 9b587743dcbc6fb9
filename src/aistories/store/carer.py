"""Carer mode's rows: the PIN (argon2id), the attempt log and lockout, and the PIN's one-time setup.

pin = CarerPin(store.db)
pin.is_set()                      # False until a carer chooses one
pin.set("2468")                   # argon2id hash stored, attempt logged as "set"
pin.check("2468")                 # "ok" | "wrong" | "locked"; every call is logged
"""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from ..errors import AistoriesError
from .db import atomic, new_id, utc_now

MAX_FAILURES = 5  # wrong PINs in a row before carer mode locks
LOCKOUT_S = 300.0  # how long it stays locked after the last wrong PIN
PIN_ID = "carer"


class BadPin(AistoriesError):
    """A PIN that is not 4 to 8 digits."""


def valid_pin(pin: str) -> bool:
    """4 to 8 digits: easy on a tablet's number pad, hard enough with lockout."""
    return pin.isdigit() and 4 <= len(pin) <= 8


class CarerPin:
    """The ward's carer PIN: set once, checked with lockout, every attempt written to carer_attempts."""

    def __init__(self, db: Database, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.hasher = hasher or PasswordHasher()  # argon2id with the library's current defaults

    def is_set(self) -> bool:
        """Whether a PIN has been chosen."""
        return self.db.table("carer_pin").count_where("id = ?", [PIN_ID]) > 0

    def set(self, pin: str) -> None:
        """Store the argon2id hash of a new PIN (the first carer chooses it)."""
        if not valid_pin(pin):
            raise BadPin("A PIN is 4 to 8 digits.")
        with atomic(self.db):
            self.db.table("carer_pin").upsert(
                {"id": PIN_ID, "hash": self.hasher.hash(pin), "set_utc": utc_now()}, pk="id"
            )
        self._log("set")

    def check(self, pin: str, now: dt.datetime | None = None) -> str:
        """'ok', 'wrong' or 'locked' (too many wrong PINs lately: the PIN is not even tried)."""
        if self.locked_for(now) > 0:
            self._log("locked")
            return "locked"
        stored = self.db.table("carer_pin").get(PIN_ID)["hash"]
        try:
            self.hasher.verify(stored, pin)
            outcome = "ok"
        except (VerificationError, InvalidHashError):
            outcome = "wrong"
        self._log(outcome)
        return outcome

    def locked_for(self, now: dt.datetime | None = None) -> float:
        """Seconds until the PIN may be tried again (0 when not locked)."""
        now = now or dt.datetime.now(dt.UTC)
        recent = self.db.table("carer_attempts").rows_where(
            "outcome in ('ok', 'set', 'wrong')", order_by="datetime_utc desc", limit=MAX_FAILURES
        )
        outcomes = [(r["outcome"], r["datetime_utc"]) for r in recent]
        if len(outcomes) < MAX_FAILURES or any(o != "wrong" for o, _ in outcomes):
            return 0.0
        last_wrong = dt.datetime.fromisoformat(outcomes[0][1])
        return max(0.0, LOCKOUT_S - (now - last_wrong).total_seconds())

    def attempts(self, limit: int = 50) -> list[dict[str, str]]:
        """The latest attempts, newest first."""
        return list(self.db.table("carer_attempts").rows_where(order_by="datetime_utc desc", limit=limit))

    def _log(self, outcome: str) -> None:
        with atomic(self.db):
            self.db.table("carer_attempts").insert(
                {"id": new_id(), "datetime_utc": utc_now(), "outcome": outcome}
            )
