"""A banner for ward staff: how many safeguarding alerts are unacknowledged (hidden when none)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class AlertBanner(Static):
    """Shows open alerts until acknowledged. The screen sets `alerts`; the widget never reads the store.

    Categories are shown only with `show_categories=True` (carer mode): a child may be looking at the
    story screen, so there the banner only says that a grown-up is needed.
    """

    DEFAULT_CSS = """
    AlertBanner { display: none; height: auto; padding: 0 1; background: $error; color: $text;
                  text-style: bold; }
    AlertBanner.-open { display: block; }
    """

    alerts: reactive[tuple[dict[str, Any], ...]] = reactive((), always_update=True)

    @dataclass
    class Clicked(Message):
        """Staff clicked the banner (the screen opens the alerts view)."""

        banner: AlertBanner

    def __init__(self, *, show_categories: bool = False, id: str | None = "alert-banner") -> None:  # noqa: A002
        super().__init__("", id=id, markup=False)
        self.show_categories = show_categories

    @property
    def count(self) -> int:
        """How many alerts are open."""
        return len(self.alerts)

    def banner_text(self) -> str:
        """The line shown for the current alerts ("" when there are none)."""
        if not self.alerts:
            return ""
        noun = "alert" if self.count == 1 else "alerts"
        text = f"⚠ {self.count} safeguarding {noun} waiting for a member of staff"
        if self.show_categories:
            cats = sorted({c for row in self.alerts for c in str(row.get("category", "")).split(",") if c})
            text += f": {', '.join(cats)}" if cats else ""
        return text + ". Acknowledge with `aistories alerts ack ID --by NAME`."

    def watch_alerts(self, alerts: tuple[dict[str, Any], ...]) -> None:
        """Show, update or hide the banner."""
        self.set_class(bool(alerts), "-open")
        self.update(self.banner_text())

    def on_click(self) -> None:
        """Tell the screen staff want to see the alerts."""
        self.post_message(self.Clicked(self))
