"""Carer and staff mode: open safety alerts first, then children, their stories, consent and deletion."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Static, TabbedContent, TabPane

from ...errors import AistoriesError
from ...store.alerts import acknowledge, all_alerts, open_alerts
from ...store.children import children, delete_child, delete_story, pseudonyms_by_session, stories
from ..catalog import starter_worlds
from .confirm import ConfirmScreen


def minute(iso: str) -> str:
    """'2026-11-29 08:30' from an ISO time."""
    return str(iso)[:16].replace("T", " ")


def alert_text(row: dict[str, Any], child: str) -> str:
    """One alert as staff read it: state, when, whose story, what kind, and what was said."""
    state = "Acknowledged" if row["acknowledged_utc"] else "OPEN"
    head = f"{state} · {minute(row['datetime_utc'])} UTC · {child} · {row['category']}"
    said = f"\n“{row['message']}”" if row.get("message") else ""
    acked = ""
    if row["acknowledged_utc"]:
        acked = f"\nAcknowledged by {row['acknowledged_by']} at {minute(row['acknowledged_utc'])} UTC"
    return head + said + acked


class CarerScreen(Screen[None]):
    """What a nurse or parent needs in thirty seconds; 'Leave carer mode' returns to the child's start."""

    BINDINGS = [("escape", "leave", "Leave carer mode")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="carer-top"):
            yield Input(
                placeholder="Your name (kept with each acknowledgement)", id="staff-name", max_length=60
            )
            yield Button("Leave carer mode", id="leave", variant="warning")
        with TabbedContent(initial="alerts-tab", id="carer-tabs"):
            with TabPane("Safety alerts", id="alerts-tab"):
                yield VerticalScroll(id="alert-list")
            with TabPane("Children and stories", id="children-tab"):
                yield VerticalScroll(id="child-list")
        yield Footer()

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.app.manager.store.db  # type: ignore[attr-defined]

    async def on_mount(self) -> None:
        self.title = "Carer and staff"
        await self.show_alerts()
        await self.show_children()

    # alerts ---------------------------------------------------------------------------------------
    async def show_alerts(self) -> None:
        """Open alerts first (oldest first), then recently acknowledged ones."""
        whose = pseudonyms_by_session(self.db)
        opened = open_alerts(self.db)
        acked = [r for r in all_alerts(self.db, limit=20) if r["acknowledged_utc"]]
        box = self.query_one("#alert-list", VerticalScroll)
        await box.remove_children()
        if not opened:
            await box.mount(Static("No open safety alerts.", classes="all-clear"))
        for row in [*opened, *acked]:
            item = Vertical(
                classes="alert-item -open" if not row["acknowledged_utc"] else "alert-item -acked"
            )
            await box.mount(item)
            await item.mount(Static(alert_text(row, whose.get(row["session_id"], "unknown")), markup=False))
            if not row["acknowledged_utc"]:
                await item.mount(Button("Acknowledge", classes="ack", name=row["id"], variant="error"))
        tab = self.query_one(TabbedContent).get_tab("alerts-tab")
        tab.label = f"Safety alerts ({len(opened)} open)" if opened else "Safety alerts"

    @on(Button.Pressed, ".ack")
    async def acknowledge_alert(self, event: Button.Pressed) -> None:
        by = self.query_one("#staff-name", Input).value.strip()
        if not by:
            self.notify("Type your name first: it is kept with the acknowledgement.", severity="warning")
            self.query_one("#staff-name").focus()
            return
        acknowledge(self.db, str(event.button.name), by)
        await self.show_alerts()

    # children -------------------------------------------------------------------------------------
    async def show_children(self) -> None:
        """Each child: consent switches, their stories (read or delete), and delete-all."""
        titles = {w.name: w.title for w in starter_worlds()}
        box = self.query_one("#child-list", VerticalScroll)
        await box.remove_children()
        rows = children(self.db)
        if not rows:
            await box.mount(Static("No children yet.", classes="all-clear"))
        for child in rows:
            cid = child["id"]
            item = Vertical(classes="child-item")
            await box.mount(item)
            await item.mount(
                Static(f"{child['pseudonym']} · age {child['age_band']}", classes="child-name", markup=False)
            )
            await item.mount(
                Horizontal(
                    Checkbox(
                        "Research use",
                        bool(child["consent_research"]),
                        name=f"research|{cid}",
                        classes="consent",
                    ),
                    Checkbox(
                        "Storybook",
                        bool(child["consent_storybook"]),
                        name=f"storybook|{cid}",
                        classes="consent",
                    ),
                    classes="consent-row",
                )
            )
            for story in stories(self.db, cid):
                key = f"{cid}|{story['world']}"
                title = titles.get(story["world"], story["world"])
                await item.mount(
                    Horizontal(
                        Static(
                            f"{title}: {story['turns']} turns, last {str(story['last_utc'])[:10]}",
                            markup=False,
                            classes="story-line",
                        ),
                        Button("Read", classes="read", name=key),
                        Button("Delete story", classes="delete-story", name=key, variant="error"),
                        classes="story-row",
                    )
                )
            await item.mount(
                Button(
                    f"Delete all of {child['pseudonym']}'s data",
                    classes="delete-child",
                    name=cid,
                    variant="error",
                )
            )

    @on(Checkbox.Changed, ".consent")
    def consent_changed(self, event: Checkbox.Changed) -> None:
        which, cid = str(event.checkbox.name).split("|", 1)
        self.app.manager.store.set_consent(cid, **{which: event.value})  # type: ignore[attr-defined]
        self.notify(f"{'Research use' if which == 'research' else 'Storybook'} consent saved.")

    @on(Button.Pressed, ".read")
    def read_story(self, event: Button.Pressed) -> None:
        from .story_view import StoryViewScreen

        cid, world = str(event.button.name).split("|", 1)
        self.app.push_screen(StoryViewScreen(cid, world))

    @on(Button.Pressed, ".delete-story")
    def ask_delete_story(self, event: Button.Pressed) -> None:
        cid, world = str(event.button.name).split("|", 1)
        self._confirm(
            "Delete this story for good? It cannot be brought back.",
            lambda: delete_story(self.db, cid, world),
        )

    @on(Button.Pressed, ".delete-child")
    def ask_delete_child(self, event: Button.Pressed) -> None:
        cid = str(event.button.name)
        self._confirm(
            "Delete everything about this child (stories, world, consent) for good? "
            "It cannot be brought back.",
            lambda: delete_child(self.db, cid),
        )

    def _confirm(self, question: str, delete: Any) -> None:
        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                delete()
            except AistoriesError as exc:
                self.notify(str(exc), severity="error")
                return
            self.app.data_deleted()  # type: ignore[attr-defined]
            self.notify("Deleted.")
            await self.show_children()
            await self.show_alerts()

        self.app.push_screen(ConfirmScreen(question), answered)

    @on(Button.Pressed, "#leave")
    def action_leave(self) -> None:
        self.app.leave_carer()  # type: ignore[attr-defined]
