"""The child's start screen: big cards for the starter worlds and for stories to carry on."""

from __future__ import annotations

import logging

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ...store.alerts import open_alerts
from ..catalog import saved_stories, starter_worlds
from ..widgets.alert_banner import AlertBanner
from ..widgets.card import StoryCard
from .carer_entry import open_carer_mode

log = logging.getLogger(__name__)

EMBLEMS = {
    "dinosaur-valley": "🦕",
    "flying-beds-castle": "🏰",
    "get-well-garden": "🌻",
    "starlight-station": "🚀",
    "submarine-hospital": "🐠",
    "talking-cakes-bakery": "🧁",
    "whispering-jungle": "🌴",
}
ALERT_POLL_S = 2.0
STUCK = "Oh! That story book is stuck. Let's pick another one."


class StartScreen(Screen[None]):
    """Pick a world or carry on a story; a small 'Grown-ups' button opens carer mode behind the PIN."""

    BINDINGS = [("ctrl+g", "grown_ups", "Grown-ups"), ("ctrl+q", "app.quit", "Finish")]

    def compose(self) -> ComposeResult:
        yield AlertBanner()
        with VerticalScroll(id="start-body"):
            yield Static("Let's make a story!", id="start-title")
            yield Static("Carry on my story", id="carry-title", classes="start-section")
            yield Grid(id="carry-cards", classes="cards")
            yield Static("Start a new story", classes="start-section")
            yield Grid(id="world-cards", classes="cards")
        yield Button("Grown-ups", id="grown-ups")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_cards()
        self.refresh_alerts()
        self.set_interval(ALERT_POLL_S, self.refresh_alerts)

    async def on_screen_resume(self) -> None:
        await self.show_cards()  # a story may have grown, or a carer may have deleted one

    async def show_cards(self) -> None:
        """(Re)build the cards from the worlds on disk and the child's saved stories."""
        manager = self.app.manager  # type: ignore[attr-defined]
        saved = saved_stories(manager.store, manager.child["id"])
        carry, worlds = self.query_one("#carry-cards", Grid), self.query_one("#world-cards", Grid)
        await carry.remove_children()
        await worlds.remove_children()
        await carry.mount_all(
            StoryCard(
                s.world,
                s.title,
                s.last_time or "Your story is waiting.",
                emblem=EMBLEMS.get(s.world, "✨"),
                carry_on=True,
            )
            for s in saved
        )
        await worlds.mount_all(
            StoryCard(w.name, w.title, w.blurb, emblem=EMBLEMS.get(w.name, "✨")) for w in starter_worlds()
        )
        self.query_one("#carry-title").display = bool(saved)
        carry.display = bool(saved)
        first = self.query(StoryCard).first() if self.query(StoryCard) else None
        if first is not None and not isinstance(self.focused, StoryCard):
            first.focus()

    def refresh_alerts(self) -> None:
        """Open safeguarding alerts show as a banner (no details: a child may be looking)."""
        self.query_one(AlertBanner).alerts = tuple(open_alerts(self.app.manager.store.db))  # type: ignore[attr-defined]

    @on(StoryCard.Picked)
    def start_story(self, event: StoryCard.Picked) -> None:
        from .story import StoryScreen

        try:
            manager = self.app.manager_for(event.world)  # type: ignore[attr-defined]
        except Exception:  # the child sees a gentle note; the details go to the log file
            log.exception("could not start a story in %s", event.world)
            self.notify(STUCK, title="Oops", severity="warning")
            return
        self.app.push_screen(StoryScreen(manager))

    @on(Button.Pressed, "#grown-ups")
    @on(AlertBanner.Clicked)
    def action_grown_ups(self) -> None:
        open_carer_mode(self.app)
