"""Keeping the child safe: every child message and every storyteller reply gets a Verdict."""

import logging

from .check import Verdict, check
from .pii import redact
from .policy import load_policy

__all__ = ["Verdict", "check", "preload", "redact"]

log = logging.getLogger(__name__)


def preload() -> float:
    """Load the slow layers now (app start) so the first child message does not wait; seconds taken.

    A failure is logged, not raised: the layer then fails closed message by message.
    """
    policy = load_policy()
    seconds = 0.0
    try:
        if policy.layers.classifier:
            from . import classifier

            seconds += classifier.preload(policy)
        if policy.layers.exemplars:
            from . import semantic

            seconds += semantic.preload(policy)
    except Exception:  # noqa: BLE001 - check() blocks messages while the layer is broken
        log.exception("safety preload failed")
    return seconds
