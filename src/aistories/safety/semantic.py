"""The semantic layer: a message's MiniLM embedding against the exemplar banks (max-cosine per category).

A category fires when its nearest exemplar is at least its threshold and closer than the nearest benign
exemplar by the policy's margin. The model loads lazily (first use, or `preload` at app start); the bank's
embeddings are cached in the user dir, keyed by the bank's sha256 and the model's.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import user_dir
from .encoder import Encoder
from .exemplars import BENIGN, load_bank
from .policy import Policy, Speaker, exemplar_dir
from .rules import Hit

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

LAYER = "semantic"
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Score:
    """Nearest-exemplar cosine for one category, and for the benign bank."""

    category: str
    score: float
    benign: float


class SemanticLayer:
    """A loaded encoder plus the embedded bank, with row indices per (speaker, category)."""

    def __init__(self, policy: Policy, folder: Path | None = None) -> None:
        s = policy.semantic
        self.encoder = Encoder(s.max_tokens, s.threads, s.quantize)
        self.bank = load_bank(folder or exemplar_dir())
        self.matrix = self._bank_matrix()
        self.rows = {sp: self._rows_for(sp) for sp in ("child", "storyteller")}
        self.encoder.encode(["a first call warms up torch's kernels"])  # ~60 ms, paid at load

    def _cache_path(self) -> Path:
        kind = f"{'q8s' if self.encoder.is_quantized else 'f32'}-{self.encoder.max_tokens}"
        name = f"exemplars-{self.bank.sha256[:16]}-{self.encoder.model_sha256[:16]}-{kind}.npy"
        return user_dir() / "cache" / name

    def _bank_matrix(self) -> np.ndarray:
        import numpy as np

        path = self._cache_path()
        if path.is_file():
            try:
                matrix = np.load(path)
                if matrix.shape[0] == len(self.bank.texts):
                    return matrix
            except (OSError, ValueError):
                log.warning("exemplar cache %s unreadable; re-embedding", path)
        matrix = self.encoder.encode(list(self.bank.texts))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, matrix)
        return matrix

    def _rows_for(self, speaker: str) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for i, (cat, sp) in enumerate(zip(self.bank.categories, self.bank.speakers, strict=True)):
            if sp in (speaker, "any"):
                rows.setdefault(cat, []).append(i)
        return rows

    def scores(self, texts: list[str], speaker: Speaker, max_sentences: int = 0) -> list[list[Score]]:
        """Per message, every category's nearest-exemplar score (long messages: best sentence wins)."""
        pieces, owner = _pieces(texts, max_sentences)
        sims = self.encoder.encode(pieces) @ self.matrix.T
        out: list[list[Score]] = []
        rows = self.rows[speaker]
        for n in range(len(texts)):
            mine = sims[[i for i, o in enumerate(owner) if o == n]]
            best = mine.max(axis=0)
            benign = float(best[rows[BENIGN]].max()) if BENIGN in rows else -1.0
            out.append([Score(c, float(best[idx].max()), benign) for c, idx in rows.items() if c != BENIGN])
        return out


def _pieces(texts: list[str], max_sentences: int, tail_chars: int = 240) -> tuple[list[str], list[int]]:
    """Each whole message; a long one also as its last `tail_chars` (the encoder truncates the start's
    tail away), and as up to `max_sentences` sentences when configured (slower: off by default)."""
    pieces: list[str] = []
    owner: list[int] = []
    for n, text in enumerate(texts):
        extra = [text[-tail_chars:]] if len(text) > tail_chars else []
        parts = [p for p in _SENTENCE.split(text.strip()) if len(p) > 3]
        if len(parts) > 1:
            extra += parts[:max_sentences]
        for piece in [text, *extra]:
            pieces.append(piece)
            owner.append(n)
    return pieces, owner


def fired(scores: list[Score], speaker: Speaker, policy: Policy) -> list[Hit]:
    """Hits for categories past their threshold and the benign margin, best first."""
    s = policy.semantic
    hits = []
    for sc in sorted(scores, key=lambda x: -x.score):
        action = policy.action_for(sc.category, speaker)
        threshold = s.category_thresholds.get(sc.category, s.thresholds.get(action, 2.0))
        if sc.score >= threshold and sc.score - sc.benign >= s.margin:
            hits.append(Hit(f"exemplar-{sc.category}@{sc.score:.2f}", sc.category, LAYER))
    return hits


_STATE: dict[str, object] = {}


def get_layer(policy: Policy) -> SemanticLayer:
    """The process-wide layer, loaded on first use; a load failure is remembered and raised again."""
    with _LOCK:
        if "error" in _STATE:
            raise RuntimeError(f"semantic layer unavailable: {_STATE['error']}")
        if "layer" not in _STATE:
            try:
                _STATE["layer"] = SemanticLayer(policy)
            except Exception as exc:
                log.exception("semantic layer failed to load; its messages will be redirected")
                _STATE["error"] = str(exc) or type(exc).__name__
                raise
        return _STATE["layer"]  # type: ignore[return-value]


def preload(policy: Policy) -> float:
    """Load the layer now (app start), returning the encoder's load time in seconds."""
    return get_layer(policy).encoder.load_s


def reset() -> None:
    """Forget the loaded layer or the remembered failure (tests, policy reload)."""
    with _LOCK:
        _STATE.clear()


def semantic_hits(text: str, speaker: Speaker, policy: Policy) -> list[Hit]:
    """The semantic layer's hits for one message."""
    if len(text.split()) < policy.semantic.min_words:
        return []  # word soup of two words sits near everything; the rules cover short messages
    layer = get_layer(policy)
    return fired(layer.scores([text], speaker, policy.semantic.max_sentences)[0], speaker, policy)
