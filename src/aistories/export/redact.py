"""Text fields through the project's PII redactor, failing closed: a text it cannot process is withheld.

`safety.pii.redact` never raises; on an internal error it returns a fully masked string. Both that
sentinel and an exception count as a failure here, so the row is withheld and counted, never written raw.
Identical texts are redacted once (templated replies and "dunno" repeat a lot).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import cast

from ..safety import pii

log = logging.getLogger(__name__)
_FAILED = pii.MASK * 8
_CACHE_LIMIT = 200_000
_MISS: object = object()


def redact_one(text: str) -> str | None:
    """The masked text, or None when the redactor failed on it."""
    try:
        out = pii.redact(text)
    except Exception:  # noqa: BLE001 - any failure withholds the row
        log.warning("redactor raised; row withheld")
        return None
    if not isinstance(out, str) or (out == _FAILED and text != _FAILED):
        return None
    return out


def redact_many(texts: list[str]) -> list[str | None]:
    """redact_one over a list (the unit of work a worker process gets)."""
    return [redact_one(t) for t in texts]


class Redactor:
    """Redacts texts with a bounded cache; counts the fields it masked and the ones it could not process."""

    def __init__(self) -> None:
        self.cache: dict[str, str | None] = {"": ""}
        self.masked = 0
        self.failed = 0

    def missing(self, texts: Iterable[str | None]) -> list[str]:
        """The distinct texts not yet in the cache."""
        cache = self.cache
        return list({t: None for t in texts if t is not None and t not in cache})

    def learn(self, texts: list[str], results: list[str | None]) -> None:
        """Store results computed elsewhere (a worker process)."""
        if len(self.cache) > _CACHE_LIMIT:
            self.cache = {"": ""}
        self.cache.update(zip(texts, results, strict=True))

    def get(self, text: str | None) -> str | None:
        """The redacted text (None: failed); counts what it masked. None in means a missing text: ''."""
        if text is None:
            return ""
        found = self.cache.get(text, _MISS)
        out = redact_one(text) if found is _MISS else cast(str | None, found)
        if found is _MISS:
            self.learn([text], [out])
        if out is None:
            self.failed += 1
        elif out != text:
            self.masked += 1
        return out
