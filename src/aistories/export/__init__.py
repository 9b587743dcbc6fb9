"""Research exports (consented, pseudonymous, redacted), preference data, and family storybooks."""

from .report import ExportReport
from .research import FORMATS, run_export
from .source import ExportError

__all__ = ["FORMATS", "ExportError", "ExportReport", "run_export"]
