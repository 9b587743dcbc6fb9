"""The one place that wires settings, backend, store and manager together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..backends import Backend, get_backend
from ..config import Settings
from ..dialogue import DialogueManager
from ..safety import preload as preload_safety
from ..store import Store

if TYPE_CHECKING:
    from ..app.app import StoryApp


def make_manager(
    settings: Settings, backend: Backend | None = None, store: Store | None = None, *, preload: bool = True
) -> DialogueManager:
    """A ready DialogueManager for these settings (the backend is loaded unless one is given).

    `preload` loads the safety layers now; the app passes False and does it in a worker instead.
    """
    if preload:
        preload_safety()
    store = store or Store.open(settings.db_path)
    backend = backend or get_backend(settings.model, settings)
    return DialogueManager(
        backend,
        store,
        world=settings.world or "flying-beds-castle",
        age_band=settings.age_band,
        child=settings.child or "guest",
        seed=settings.seed,
        consent_research=settings.consent_research,
    )


def make_app(settings: Settings, backend: Backend | None = None) -> StoryApp:
    """The Textual app around a ready manager."""
    from ..app.app import StoryApp

    return StoryApp(make_manager(settings, backend, preload=False))
