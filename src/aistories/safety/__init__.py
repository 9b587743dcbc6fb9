"""Keeping the child safe: every child message and every storyteller reply gets a Verdict."""

from .check import Verdict, check
from .pii import redact

__all__ = ["Verdict", "check", "redact"]
