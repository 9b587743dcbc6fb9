"""Exemplar banks as data: policy/exemplars/*.yaml, one category per file, plus benign negatives."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..datafiles import load_data
from ..errors import DataFileError

BENIGN = "benign"


class BankFile(BaseModel):
    """One exemplar file: short paraphrases of one category, for one speaker (or any)."""

    model_config = ConfigDict(extra="forbid")
    category: str
    speaker: Literal["child", "storyteller", "any"] = "child"
    examples: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Bank:
    """Every exemplar in a fixed order, with its category and speaker; `sha256` keys the embedding cache."""

    texts: tuple[str, ...]
    categories: tuple[str, ...]
    speakers: tuple[str, ...]
    sha256: str

    def category_names(self) -> list[str]:
        """Distinct risk categories (benign excluded), in file order."""
        return [c for c in dict.fromkeys(self.categories) if c != BENIGN]


def _read(path: Path) -> BankFile:
    return load_data(path, BankFile)


@functools.lru_cache(maxsize=4)
def load_bank(folder: Path) -> Bank:
    """Load every *.yaml under `folder` (sorted, so the order and the hash are stable)."""
    texts: list[str] = []
    categories: list[str] = []
    speakers: list[str] = []
    digest = hashlib.sha256()
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise DataFileError(f"No exemplar banks in {folder}: reinstall or turn the layer off.")
    for path in paths:
        digest.update(path.read_bytes())
        bank = _read(path)
        for text in bank.examples:
            texts.append(text.strip())
            categories.append(bank.category)
            speakers.append(bank.speaker)
    return Bank(tuple(texts), tuple(categories), tuple(speakers), digest.hexdigest())
