"""The one place that wires settings, backend, store and manager together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..backends import Backend, get_backend
from ..config import Settings
from ..dialogue import DialogueManager
from ..errors import StoreError
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
    # The quick checks first (database, model file and checksum), so a fault is reported in a second,
    # not after the safety encoder's load.
    store = store or Store.open(settings.db_path)
    backend = backend or get_backend(settings.model, settings)
    if preload:
        preload_safety()
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


@contextmanager
def ending(manager: DialogueManager) -> Iterator[DialogueManager]:
    """Close the session however the turns end; a turn's own save failure is the error reported.

    When a turn could not be saved (disk full, database locked), closing the session usually fails
    the same way: that second error would hide the first, which says what was lost, so it is dropped.
    """
    try:
        yield manager
    except BaseException:
        try:
            manager.end()
        except StoreError:
            pass
        raise
    manager.end()
