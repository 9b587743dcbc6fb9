"""Model engines behind one protocol; see base.py."""

from .base import Backend, Message, Options, Response, Usage
from .registry import ModelEntry, get_backend, get_entry, load_registry

__all__ = [
    "Backend",
    "Message",
    "ModelEntry",
    "Options",
    "Response",
    "Usage",
    "get_backend",
    "get_entry",
    "load_registry",
]
