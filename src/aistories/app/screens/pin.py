"""The PIN gate in front of carer mode: choose a PIN on first use, then enter it; locks after failures."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ...store.carer import MAX_FAILURES, CarerPin, valid_pin

ENTER = "Grown-ups only: enter the carer PIN."
CHOOSE = "No PIN yet. Choose a carer PIN (4 to 8 digits)."
CONFIRM = "Type the same PIN again to be sure."


class PinScreen(ModalScreen[bool]):
    """Dismisses True once the PIN is right (or newly set), False when cancelled."""

    BINDINGS = [("escape", "cancel", "Back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-dialog"):
            yield Static("", id="pin-prompt", markup=False)
            yield Input(password=True, id="pin-input", max_length=8, restrict=r"[0-9]*")
            yield Static("", id="pin-message", markup=False)
            with Horizontal(id="pin-buttons"):
                yield Button("OK", id="pin-ok", variant="primary")
                yield Button("Cancel", id="pin-cancel")

    def on_mount(self) -> None:
        self.pin = CarerPin(self.app.manager.store.db, self.app.pin_hasher)  # type: ignore[attr-defined]
        self.choosing = not self.pin.is_set()
        self.first_choice: str | None = None
        self.prompt(CHOOSE if self.choosing else ENTER)
        self.query_one("#pin-input").focus()

    def prompt(self, text: str, message: str = "") -> None:
        """Show what to do, and what just went wrong."""
        self.query_one("#pin-prompt", Static).update(text)
        self.query_one("#pin-message", Static).update(message)
        self.query_one("#pin-input", Input).value = ""

    @on(Input.Submitted, "#pin-input")
    @on(Button.Pressed, "#pin-ok")
    def submitted(self) -> None:
        pin = self.query_one("#pin-input", Input).value
        if self.choosing:
            self.choose(pin)
        else:
            self.check(pin)

    def choose(self, pin: str) -> None:
        if self.first_choice is None:
            if not valid_pin(pin):
                self.prompt(CHOOSE, "A PIN is 4 to 8 digits.")
                return
            self.first_choice = pin
            self.prompt(CONFIRM)
        elif pin == self.first_choice:
            self.pin.set(pin)
            self.dismiss(True)
        else:
            self.first_choice = None
            self.prompt(CHOOSE, "Those two did not match. Choose again.")

    def check(self, pin: str) -> None:
        outcome = self.pin.check(pin)
        if outcome == "ok":
            self.dismiss(True)
        elif outcome == "locked":
            minutes = max(1, round(self.pin.locked_for() / 60))
            self.prompt(ENTER, f"Too many wrong PINs. Carer mode is locked for about {minutes} min.")
        else:
            left = MAX_FAILURES - self._wrong_in_a_row()
            more = f" {left} more tries before it locks." if left > 0 else " Carer mode is now locked."
            self.prompt(ENTER, "That PIN is not right." + more)

    def _wrong_in_a_row(self) -> int:
        count = 0
        for attempt in self.pin.attempts(limit=MAX_FAILURES):
            if attempt["outcome"] != "wrong":
                break
            count += 1
        return count

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
