"""Keeping the child safe: every child message and every storyteller reply gets a Verdict."""

from .check import Verdict, check

__all__ = ["Verdict", "check"]
