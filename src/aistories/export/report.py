"""What an export wrote and what it left out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ExportReport:
    """Counts from one research export (the datasheet and the CLI summary read it)."""

    format: str
    out: Path
    turns_written: int = 0
    withheld: int = 0  # rows the redactor could not process, or with no masked copy of the child's words
    children: int = 0
    sessions: int = 0
    turns_in_scope: int = 0
    no_consent: int = 0  # turns of children without research consent, left out
    safeguarding: int = 0  # escalated turns and turns with an alert, left out
    masked_at_turn: int = 0  # child lines whose masked copy (made at turn time) hides personal details
    fields_masked: int = 0  # text fields the redactor changed at export time
    fields_failed: int = 0  # text fields the redactor could not process
    records: dict[str, int] = field(default_factory=dict)
    versions: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1

    @property
    def turns_per_s(self) -> float:
        """Eligible turns processed per second."""
        done = self.turns_written + self.withheld
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        d = asdict(self)
        d["out"] = str(self.out)
        d["turns_per_s"] = round(self.turns_per_s, 1)
        return d
