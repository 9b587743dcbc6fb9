"""Read a reply aloud with espeak-ng, offline; absent espeak-ng means no button, never an error."""

from __future__ import annotations

import logging
import shutil
import subprocess

log = logging.getLogger(__name__)

SPEED_WPM = 140  # a little slower than espeak-ng's default, for young listeners


def espeak_path() -> str | None:
    """Where espeak-ng is installed, or None."""
    return shutil.which("espeak-ng")


def speak(text: str) -> None:
    """Say the text (blocking: call it from a worker thread). Failures are logged, never raised."""
    path = espeak_path()
    if path is None or not text.strip():
        return
    try:
        subprocess.run([path, "-s", str(SPEED_WPM), "--", text], check=False, timeout=60, capture_output=True)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("read aloud failed: %s", exc)
