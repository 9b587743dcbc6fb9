"""The tablet's microphone through sounddevice (PortAudio); no device or no PortAudio means no button."""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

RATE = 16_000  # what Whisper hears
MAX_SECONDS = 30  # a forgotten button stops listening by itself


def has_microphone() -> bool:
    """Is there an input device this process can record from?"""
    try:
        import sounddevice as sd

        return any(d["max_input_channels"] > 0 for d in sd.query_devices())
    except Exception as exc:  # noqa: BLE001 - PortAudio missing, no devices, a broken driver: no voice
        log.info("no microphone: %s", exc)
        return False


class Recorder:
    """Press to start, press again to stop: the samples recorded in between (at most MAX_SECONDS)."""

    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._stream: Any = None

    @property
    def recording(self) -> bool:
        return self._stream is not None

    def start(self) -> None:
        import sounddevice as sd

        self._chunks = []
        self._stream = sd.InputStream(samplerate=RATE, channels=1, dtype="float32", callback=self._take)
        self._stream.start()

    def _take(self, data: np.ndarray, frames: int, when: Any, status: Any) -> None:
        with self._lock:
            if sum(len(c) for c in self._chunks) < RATE * MAX_SECONDS:
                self._chunks.append(data[:, 0].copy())

    def stop(self) -> np.ndarray:
        """Stop and return the recording (16 kHz mono float32)."""
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        with self._lock:
            return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
