"""Speech to text with faster-whisper: Whisper base, int8 on the CPU, English, greedy; loaded once."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from ..config import go_offline
from .model import model_folder, spec

log = logging.getLogger(__name__)


class Transcriber:
    """Turns a recording (16 kHz mono float32 samples, or a WAV file) into the words a child said."""

    def __init__(self, threads: int = 2, home: Path | None = None) -> None:
        go_offline()
        from faster_whisper import WhisperModel

        started = time.perf_counter()
        self.model = WhisperModel(
            str(model_folder(home)), device="cpu", compute_type="int8", cpu_threads=threads
        )
        self.load_s = time.perf_counter() - started
        log.info("Whisper loaded in %.2f s", self.load_s)

    def transcribe(self, audio: np.ndarray | Path) -> str:
        """The words, or '' for silence. Voice activity detection (Silero, shipped inside faster-whisper)
        drops silent stretches, where Whisper would otherwise invent a sentence."""
        source = audio if isinstance(audio, np.ndarray) else str(audio)
        segments, _ = self.model.transcribe(
            source,
            language=spec().language,
            beam_size=1,
            temperature=0.0,  # greedy and repeatable: the fallback to sampling gave two texts for one file
            vad_filter=True,
            condition_on_previous_text=False,
        )
        return " ".join(s.text.strip() for s in segments).strip()
