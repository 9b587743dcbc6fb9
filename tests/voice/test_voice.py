"""Voice input: the Whisper model joined from its packages and checked, and story lines spoken by espeak-ng
transcribed offline (the word error rate is measured by scripts/voice_wer.py for the README)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from aistories import voice
from aistories.voice import model as voice_model

# Ordinary words only: made-up names ("zog") are where Whisper base fails most (scripts/voice_wer.py).
LINES = [
    "the dragon lives in a jelly castle",
    "my cat is blue and she eats pancakes",
    "the robot found a golden key under the bed",
    "can we go to the moon in a rocket",
]


def spoken(text: str, folder: Path) -> Path:
    """A WAV of espeak-ng saying the text (the project's set-up installs espeak-ng for these tests)."""
    espeak = shutil.which("espeak-ng")
    assert espeak, (
        "espeak-ng is missing: run scripts/setup dev (it installs espeak-ng) or apt-get install espeak-ng"
    )
    path = folder / f"{abs(hash(text))}.wav"
    subprocess.run([espeak, "-s", "120", "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path


def word_error_rate(said: str, heard: str) -> float:
    ref = said.lower().split()
    hyp = "".join(c for c in heard.lower() if c.isalnum() or c.isspace()).split()
    return Levenshtein.distance(ref, hyp) / len(ref)


@pytest.fixture(scope="module")
def transcriber(tmp_path_factory: pytest.TempPathFactory) -> voice.Transcriber:
    return voice.Transcriber(home=tmp_path_factory.mktemp("voice-home"))


def test_voice_is_installed_with_the_project() -> None:
    assert voice.available()


def test_the_model_is_joined_once_and_rejoined_when_altered(tmp_path: Path) -> None:
    folder = voice.model_folder(tmp_path)
    target = folder / "model.bin"
    assert target.stat().st_size == 2 * 72_608_766 and (folder / "tokenizer.json").is_file()
    with target.open("r+b") as fh:  # a flipped byte: same size, new mtime
        fh.seek(1000)
        fh.write(b"\x00")
    assert voice.model_folder(tmp_path) == folder
    assert voice_model.file_sha256(target) == voice_model.spec().sha256  # joined again from the packages


def test_a_model_that_does_not_match_its_sha256_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned = voice_model.spec()
    monkeypatch.setattr(
        voice_model, "spec", lambda name="": type(pinned)(pinned.parts, pinned.files, "0" * 64, "en")
    )
    with pytest.raises(voice.VoiceUnavailable, match="sha256"):
        voice.model_folder(tmp_path)
    assert not (tmp_path / "voice" / "whisper-base" / "model.bin").exists()


def test_story_lines_spoken_by_espeak_are_written_down(
    transcriber: voice.Transcriber, tmp_path: Path
) -> None:
    rates = [word_error_rate(line, transcriber.transcribe(spoken(line, tmp_path))) for line in LINES]
    assert sum(rates) / len(rates) <= 0.3 and max(rates) <= 0.5, rates


def test_silence_is_no_words(transcriber: voice.Transcriber) -> None:
    assert transcriber.transcribe(np.zeros(16_000 * 2, np.float32)) == ""
