"""aistories: co-creative storytelling with a small local model, for children on hospital wards."""

from importlib.metadata import PackageNotFoundError, version

from .backends import get_backend
from .dialogue import DialogueManager

try:
    __version__ = version("aistories")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

__all__ = ["DialogueManager", "__version__", "get_backend"]
