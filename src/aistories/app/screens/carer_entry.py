"""The one way into carer mode: the PIN first, then the carer screen."""

from __future__ import annotations

from textual.app import App


def open_carer_mode(app: App[None]) -> None:
    """Ask for the PIN (or to choose one); on success show the carer screen."""
    from .carer import CarerScreen
    from .pin import PinScreen

    def entered(ok: bool | None) -> None:
        if ok:
            app.push_screen(CarerScreen())

    app.push_screen(PinScreen(), entered)
