"""The child's story screen: speech bubbles, choice buttons, the world panel, and a box to add to it."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input

from ... import voice
from ...dialogue import Choices, DialogueManager, TurnDone, WorldUpdated
from ...errors import AistoriesError
from ...safety import preload as preload_safety
from ...safety.alerts import reraise_due
from ...store.alerts import open_alerts
from ...store.feedback import rate_reply, record_choice
from ..speech import espeak_path, speak
from ..widgets.alert_banner import AlertBanner
from ..widgets.choice_bar import ChoiceBar
from ..widgets.feedback_bar import FeedbackBar
from ..widgets.story_log import StoryLog
from ..widgets.thinking import Thinking
from ..widgets.world_panel import WorldPanel
from .carer_entry import open_carer_mode

GENTLE_ERROR = "Oops, the story book got stuck for a moment. Let's try that again!"
THE_END = "the end"
ASK = "What happens next?"
TALK, LISTENING, WRITING = "Talk", "Stop: I'm listening", "Writing it down…"
ALERT_POLL_S = 2.0
RERAISE_POLL_S = 30.0


class StoryScreen(Screen[None]):
    """Type a line (or press a choice), and the storyteller answers once the reply has passed safety."""

    BINDINGS = [
        ("f2", "toggle_world", "Our world"),
        ("f3", "the_end", "The end"),
        ("escape", "home", "Home"),
        ("ctrl+q", "app.quit", "Finish"),
    ]
    thinking: var[bool] = var(False)
    is_ended: var[bool] = var(False)

    def __init__(self, manager: DialogueManager) -> None:
        super().__init__()
        self.manager = manager
        self.offer_turn_id: str | None = None  # the turn whose reply offered the choice buttons
        self.recorder: voice.Recorder | None = None  # set while the Talk button listens

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield AlertBanner()  # categories hidden: the child may be looking
        with Horizontal(id="story-body"):
            yield StoryLog(id="story-log")
            yield WorldPanel(id="world-panel")
        yield Thinking()
        yield ChoiceBar(id="choice-bar")
        with Horizontal(id="entry-row"):
            yield Input(placeholder=ASK, id="child-input", max_length=500)
            yield Button(TALK, id="talk")
            yield Button("Go!", id="send", variant="primary")
        with Horizontal(id="tools"):
            yield Button("Read it to me", id="read-aloud")
            yield Button("Our world", id="toggle-world")
            yield Button("The end", id="the-end")
            yield Button("Home", id="home")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.manager.world.title
        self.story_log.add_line("storyteller", self.manager.opening())
        self.world_panel.world = self.manager.state.to_contract()
        # Served to a tablet's browser, espeak-ng would speak on the ward server, not the tablet: no button.
        self.query_one("#read-aloud").display = espeak_path() is not None and not self.app.is_web
        # Voice needs the model, faster-whisper and a microphone on this machine (never the ward server's).
        self.query_one("#talk").display = voice.available() and voice.has_microphone() and not self.app.is_web
        self.child_input.focus()
        self.refresh_alerts()
        self.preload_safety()
        # Another tablet or a turn on this one may raise an alert: staff must see it within seconds.
        self.set_interval(ALERT_POLL_S, self.refresh_alerts)
        self.set_interval(RERAISE_POLL_S, self.reraise_alerts)

    def on_unmount(self) -> None:
        self.app.end_story()  # type: ignore[attr-defined]

    # accessors ------------------------------------------------------------------------------------
    @property
    def story_log(self) -> StoryLog:
        return self.query_one("#story-log", StoryLog)

    @property
    def child_input(self) -> Input:
        return self.query_one("#child-input", Input)

    @property
    def choice_bar(self) -> ChoiceBar:
        return self.query_one("#choice-bar", ChoiceBar)

    @property
    def world_panel(self) -> WorldPanel:
        return self.query_one("#world-panel", WorldPanel)

    # state ----------------------------------------------------------------------------------------
    def watch_thinking(self, thinking: bool) -> None:
        self.set_class(thinking, "-thinking")
        self.query_one(Thinking).active = thinking
        for bar in self.query(FeedbackBar):  # no feedback write while the turn's own write is pending
            bar.disabled = thinking
        self._set_entry_enabled(not thinking and not self.is_ended)
        self.child_input.placeholder = "The storyteller is thinking…" if thinking else ASK
        if not thinking and not self.is_ended:
            self.child_input.focus()

    def watch_is_ended(self, ended: bool) -> None:
        self.set_class(ended, "-ended")
        self._set_entry_enabled(not ended and not self.thinking)
        if ended:
            self.choice_bar.offer([])
            self.query_one("#home", Button).label = "Start another story"
            self.query_one("#home", Button).focus()

    def _set_entry_enabled(self, enabled: bool) -> None:
        for widget in (self.child_input, self.query_one("#send"), self.query_one("#the-end")):
            widget.disabled = not enabled

    # alerts ---------------------------------------------------------------------------------------
    def refresh_alerts(self) -> None:
        """Show open safeguarding alerts in the banner until staff acknowledge them."""
        self.query_one(AlertBanner).alerts = tuple(open_alerts(self.manager.store.db))

    @work(thread=True, group="preload")
    def preload_safety(self) -> None:
        """Load the safety layers while the child reads the opening line."""
        preload_safety()

    @work(thread=True, group="alerts")
    def reraise_alerts(self) -> None:
        """Raise again (log, ward hook) alerts left unacknowledged past the policy's interval."""
        reraise_due(self.manager.store.db)

    # the child's moves ----------------------------------------------------------------------------
    @on(Input.Submitted, "#child-input")
    @on(Button.Pressed, "#send")
    def child_typed(self) -> None:
        self.say(self.child_input.value)

    @on(ChoiceBar.ChoiceMade)
    def child_chose(self, event: ChoiceBar.ChoiceMade) -> None:
        self.say(event.text)

    @on(Button.Pressed, "#the-end")
    def action_the_end(self) -> None:
        if not self.is_ended:
            self.say(THE_END, is_last=True)

    @on(Button.Pressed, "#read-aloud")
    def read_aloud(self) -> None:
        said = [
            t
            for s, t in zip(self.story_log.speakers, self.story_log.lines, strict=True)
            if s == "storyteller"
        ]
        if said:
            self.speak(said[-1])

    @work(thread=True, group="speech", exclusive=True)
    def speak(self, text: str) -> None:
        """espeak-ng off the event loop."""
        speak(text)

    # voice (issue 11.5) ----------------------------------------------------------------------------
    @on(Button.Pressed, "#talk")
    def talk_pressed(self) -> None:
        """Press to listen, press again to stop; the words go into the box for the child to send or change."""
        button = self.query_one("#talk", Button)
        if self.recorder is None:
            self.recorder = voice.Recorder()
            try:
                self.recorder.start()
            except Exception as exc:  # noqa: BLE001 - a microphone that vanished: say so, keep typing
                self.recorder = None
                self.notify(f"The microphone did not start: {exc}", severity="warning")
                return
            button.label = LISTENING
            return
        samples = self.recorder.stop()
        self.recorder = None
        button.label, button.disabled = WRITING, True
        self.write_down(samples)

    @work(thread=True, group="voice", exclusive=True)
    def write_down(self, samples: Any) -> None:
        """Whisper off the event loop; the model loads on the first use and stays."""
        try:
            app: Any = self.app  # StoryApp (screens do not import the app module)
            if app.transcriber is None:
                app.transcriber = voice.Transcriber()
            words = app.transcriber.transcribe(samples)
            self.app.call_from_thread(self.heard, words)
        except Exception as exc:  # noqa: BLE001 - the child can still type
            self.app.call_from_thread(self.heard, "")
            self.app.call_from_thread(self.notify, f"Voice input failed: {exc}", severity="warning")

    def heard(self, words: str) -> None:
        """The transcript into the input box (never sent by itself: the child presses Go!)."""
        button = self.query_one("#talk", Button)
        button.label, button.disabled = TALK, False
        if words:
            self.child_input.value = (self.child_input.value + " " + words).strip()
        self.child_input.focus()

    @on(Button.Pressed, "#toggle-world")
    def action_toggle_world(self) -> None:
        self.world_panel.toggle_class("-hidden")

    @on(Button.Pressed, "#home")
    def action_home(self) -> None:
        if not self.thinking:
            self.app.pop_screen()

    @on(AlertBanner.Clicked)
    def staff_clicked_banner(self) -> None:
        open_carer_mode(self.app)

    def say(self, text: str, *, is_last: bool = False) -> None:
        """Put the child's words on screen and start the storyteller's turn."""
        text = text.strip()
        if not text or self.thinking or self.is_ended:
            return
        self.child_input.value = ""
        self.note_choice(text)
        self.choice_bar.offer([])
        self.story_log.add_line("child", text)
        self.thinking = True
        self.run_turn(text, is_last)

    @work(thread=True, exclusive=True)
    def run_turn(self, text: str, is_last: bool) -> None:
        """One turn off the event loop; the reply is shown whole, after the safety check."""
        try:
            options: list[str] = []
            world: dict[str, Any] | None = None
            for event in self.manager.turn(text):
                if isinstance(event, Choices):
                    options = list(event.options)
                elif isinstance(event, WorldUpdated):
                    world = event.world
                elif isinstance(event, TurnDone):
                    self.app.call_from_thread(self.show_turn, event, options, world, is_last)
        except Exception as exc:  # the child sees a gentle line; staff see the details
            self.app.call_from_thread(self.story_log.add_line, "storyteller", GENTLE_ERROR)
            self.app.call_from_thread(self.notify, f"{type(exc).__name__}: {exc}", severity="error")
        finally:
            self.app.call_from_thread(setattr, self, "thinking", False)

    def show_turn(
        self, done: TurnDone, options: list[str], world: dict[str, Any] | None, is_last: bool
    ) -> None:
        """The reply bubble, the world panel and, if offered, the two choice buttons."""
        self.story_log.add_line("storyteller", done.reply)
        turn_id = done.record.get("id")
        if turn_id and done.safety != "escalate":  # never "love it" under a safeguarding reply
            self.add_feedback_bar(turn_id)
        self.offer_turn_id = turn_id if options else None
        self.world_panel.world = world if world is not None else done.world
        if done.safety == "escalate":
            self.refresh_alerts()
        if is_last:
            self.story_log.add_line("storyteller", "The End.")
            self.app.end_story()  # type: ignore[attr-defined]
            self.is_ended = True
        else:
            self.choice_bar.offer(options)

    # feedback (issue 12.2) --------------------------------------------------------------------------
    def add_feedback_bar(self, turn_id: str) -> None:
        """The love it / not that pair under the newest reply; only it stays in the Tab order."""
        for old in self.query(FeedbackBar):
            old.set_focusable(False)
        bar = FeedbackBar(turn_id)
        bar.disabled = self.thinking
        self.story_log.mount(bar)
        self.story_log.scroll_end(animate=False)

    @on(FeedbackBar.Rated)
    def child_rated(self, event: FeedbackBar.Rated) -> None:
        """One standing rating per reply: a change of mind replaces the earlier row."""
        try:
            rate_reply(self.manager.store, event.turn_id, event.rating)
        except AistoriesError as exc:  # the story goes on; staff see why
            event.bar.rating = 0
            self.notify(f"Feedback not saved: {exc}", severity="error")

    def note_choice(self, text: str) -> None:
        """A pick of one offered option (pressed, or typed word for word) becomes a choice feedback row."""
        options = self.choice_bar.options
        lowered = [o.lower() for o in options]
        if self.offer_turn_id is None or text.lower() not in lowered:
            return
        picked = lowered.index(text.lower())
        try:
            record_choice(self.manager.store, self.offer_turn_id, options[picked], options[1 - picked])
        except AistoriesError as exc:
            self.notify(f"Choice not saved: {exc}", severity="error")
