"""The child's story screen: the story so far, and a box to add to it."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from ...dialogue import DialogueManager, TurnDone
from ...safety import preload as preload_safety
from ...safety.alerts import reraise_due
from ...store.alerts import open_alerts
from ..widgets.alert_banner import AlertBanner
from ..widgets.story_log import StoryLog

GENTLE_ERROR = "Oops, the story book got stuck for a moment. Let's try that again!"
ALERT_POLL_S = 2.0
RERAISE_POLL_S = 30.0


class StoryScreen(Screen[None]):
    """Type a line, press Enter, and the storyteller answers."""

    BINDINGS = [("ctrl+q", "app.quit", "Finish")]
    thinking: var[bool] = var(False)

    def __init__(self, manager: DialogueManager) -> None:
        super().__init__()
        self.manager = manager

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield AlertBanner()  # categories hidden: the child may be looking
        yield StoryLog(id="story-log")
        yield Input(placeholder="What happens next?", id="child-input", max_length=500)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.manager.world.title
        self.story_log.add_line("storyteller", self.manager.opening())
        self.child_input.focus()
        self.refresh_alerts()
        self.preload_safety()
        # Another tablet or a turn on this one may raise an alert: staff must see it within seconds.
        self.set_interval(ALERT_POLL_S, self.refresh_alerts)
        self.set_interval(RERAISE_POLL_S, self.reraise_alerts)

    def refresh_alerts(self) -> None:
        """Show open safeguarding alerts in the banner until staff acknowledge them."""
        self.query_one(AlertBanner).alerts = tuple(open_alerts(self.manager.store.db))

    @property
    def story_log(self) -> StoryLog:
        return self.query_one("#story-log", StoryLog)

    @property
    def child_input(self) -> Input:
        return self.query_one("#child-input", Input)

    def watch_thinking(self, thinking: bool) -> None:
        self.set_class(thinking, "-thinking")
        self.child_input.disabled = thinking
        self.child_input.placeholder = "The storyteller is thinking…" if thinking else "What happens next?"
        if not thinking:
            self.child_input.focus()

    @work(thread=True, group="preload")
    def preload_safety(self) -> None:
        """Load the safety layers while the child reads the opening line."""
        preload_safety()

    @work(thread=True, group="alerts")
    def reraise_alerts(self) -> None:
        """Raise again (log, ward hook) alerts left unacknowledged past the policy's interval."""
        reraise_due(self.manager.store.db)

    @on(Input.Submitted, "#child-input")
    def child_said(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or self.thinking:
            return
        self.child_input.value = ""
        self.story_log.add_line("child", text)
        self.thinking = True
        self.run_turn(text)

    @work(thread=True, exclusive=True)
    def run_turn(self, text: str) -> None:
        try:
            for event in self.manager.turn(text):
                if isinstance(event, TurnDone):
                    self.app.call_from_thread(self.story_log.add_line, "storyteller", event.reply)
                    if event.safety == "escalate":
                        self.app.call_from_thread(self.refresh_alerts)
        except Exception as exc:  # the child sees a gentle line; staff see the details
            self.app.call_from_thread(self.story_log.add_line, "storyteller", GENTLE_ERROR)
            self.app.call_from_thread(self.notify, f"{type(exc).__name__}: {exc}", severity="error")
        finally:
            self.app.call_from_thread(setattr, self, "thinking", False)
