"""The learned detector: MiniLM fine-tuned with a LoRA adapter, an action head and a category head.

The main safety layer (issue 8). `scripts/train_safety_classifier.py` trains it from `data/safety/` and
writes `policy/classifier/`: the peft adapter, the two heads and `meta.json` (labels, training data
sha256, settings). Every file's sha256 is listed in policy.yaml and checked at load; a missing or altered
file raises, and `check` then blocks the message (fails closed). At load the adapter is merged into the
bundled MiniLM and the Linear layers are quantised to int8, so one message costs one forward pass.

The speaker is part of the input text (`child: ...`, `storyteller: ...`): one network learns both the
child's risks and the storyteller's failures.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import go_offline
from .encoder import file_sha256, model_folder
from .normalize import fold, spell
from .policy import Policy, Speaker, policy_dir
from .rules import Hit

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

LAYER = "classifier"
FOLDER = "classifier"
ACTIONS = ("allow", "redirect", "escalate")
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
HEADS_FILE = "heads.npz"
META_FILE = "meta.json"
_LOCK = threading.Lock()


class ClassifierUnavailable(RuntimeError):
    """The classifier's files are missing, altered or unloadable."""


def model_input(text: str, speaker: str) -> str:
    """The text the network sees: the speaker first, so one model serves both sides."""
    return f"{speaker}: {text}"


def mean_pool(hidden: Any, mask: Any) -> Any:
    """Mean of the token vectors under the attention mask (torch tensors in, tensor out)."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


@dataclass(frozen=True)
class Scores:
    """One message's probabilities: per action (softmax) and per category (independent sigmoids)."""

    actions: dict[str, float]
    categories: dict[str, float]


class Classifier:
    """The merged, int8 encoder and the numpy heads, ready to score messages."""

    def __init__(self, folder: Path, expected_sha256: dict[str, str], max_tokens: int, threads: int) -> None:
        started = time.perf_counter()
        _verify(folder, expected_sha256)
        go_offline()
        import numpy as np
        import torch
        from peft import PeftModel
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        if threads > 0:
            torch.set_num_threads(threads)
        self._torch = torch
        self.max_tokens = max_tokens
        self.meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        self.labels: list[str] = list(self.meta["categories"])
        base = model_folder()
        self.tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
        model = AutoModel.from_pretrained(str(base), local_files_only=True)
        with warnings.catch_warnings():
            # peft notes the base model's hub name has no local config; quantize_dynamic is deprecated
            # in favour of torchao but supported by the pinned torch.
            warnings.simplefilter("ignore")
            merged = PeftModel.from_pretrained(model, str(folder)).merge_and_unload().eval()
            self.model = torch.ao.quantization.quantize_dynamic(merged, {torch.nn.Linear}, dtype=torch.qint8)
        with np.load(folder / HEADS_FILE) as heads:
            self.heads = {k: heads[k].astype(np.float32) for k in heads.files}
        self.score(["warm up"], "child")
        self.load_s = time.perf_counter() - started
        log.info("safety classifier loaded in %.2f s", self.load_s)

    def embed(self, texts: list[str], speaker: str) -> np.ndarray:
        """Pooled vectors of the fine-tuned encoder, one text per forward pass (int8 scales per call)."""
        import numpy as np

        torch = self._torch
        rows = []
        with torch.inference_mode():
            for text in texts:
                enc = self.tokenizer(
                    [model_input(text, speaker)],
                    truncation=True,
                    max_length=self.max_tokens,
                    return_tensors="pt",
                )
                hidden = self.model(**enc).last_hidden_state
                rows.append(mean_pool(hidden, enc["attention_mask"])[0].numpy())
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)

    def score(self, texts: list[str], speaker: str) -> list[Scores]:
        """Action and category probabilities for each text."""
        import numpy as np

        x = self.embed(texts, speaker)
        za = x @ self.heads["action_w"].T + self.heads["action_b"]
        pa = np.exp(za - za.max(1, keepdims=True))
        pa /= pa.sum(1, keepdims=True)
        pc = 1.0 / (1.0 + np.exp(-(x @ self.heads["category_w"].T + self.heads["category_b"])))
        return [
            Scores(
                dict(zip(ACTIONS, map(float, a), strict=True)),
                dict(zip(self.labels, map(float, c), strict=True)),
            )
            for a, c in zip(pa, pc, strict=True)
        ]


def _verify(folder: Path, expected: dict[str, str]) -> None:
    """Every shipped file present with the sha256 the policy lists (fail closed otherwise)."""
    for name in (*ADAPTER_FILES, HEADS_FILE, META_FILE):
        path = folder / name
        if not path.is_file():
            raise ClassifierUnavailable(f"safety classifier file missing: {path}")
        want = expected.get(name)
        got = file_sha256(path)
        if want != got:
            raise ClassifierUnavailable(
                f"safety classifier file {path} has sha256 {got[:12]}, policy says {want}"
            )


def hits_from(scores: Scores, speaker: Speaker, policy: Policy) -> list[Hit]:
    """Turn probabilities into hits with the policy's thresholds (see policy.yaml `classifier:`)."""
    c = policy.classifier
    side = c.child if speaker == "child" else c.storyteller
    hits: list[Hit] = []
    for label, p in sorted(scores.categories.items(), key=lambda kv: -kv[1]):
        if label not in policy.categories:
            continue
        action = policy.action_for(label, speaker)
        if action == "allow":
            continue
        threshold = c.category_thresholds.get(label, side.category)
        if p >= threshold:
            hits.append(Hit(f"classifier-{label}@{p:.2f}", label, LAYER))
    fired = {policy.action_for(h.category, speaker) for h in hits}
    for action, threshold in (("escalate", side.escalate), ("redirect", side.redirect)):
        if action in fired or threshold is None:
            continue
        p = scores.actions["escalate"] + (scores.actions["redirect"] if action == "redirect" else 0.0)
        if p >= threshold:
            hits.append(Hit(f"classifier-{action}@{p:.2f}", _best(scores, action, speaker, policy), LAYER))
            break
    return hits


def _best(scores: Scores, action: str, speaker: Speaker, policy: Policy) -> str:
    """The likeliest category carrying this action, or the policy's catch-all for it."""
    ranked = [
        label
        for label, _ in sorted(scores.categories.items(), key=lambda kv: -kv[1])
        if label in policy.categories and policy.action_for(label, speaker) == action
    ]
    return ranked[0] if ranked else ("possible_risk" if action == "escalate" else "unsuitable")


_STATE: dict[str, Any] = {}


def get_classifier(policy: Policy) -> Classifier:
    """The process-wide classifier, loaded on first use; a load failure is remembered and raised again."""
    with _LOCK:
        if "error" in _STATE:
            raise ClassifierUnavailable(_STATE["error"])
        if "model" not in _STATE:
            try:
                _STATE["model"] = Classifier(
                    policy_dir() / FOLDER,
                    policy.classifier.sha256,
                    policy.classifier.max_tokens,
                    policy.classifier.threads,
                )
            except Exception as exc:
                log.exception("safety classifier failed to load; messages will be blocked")
                _STATE["error"] = str(exc) or type(exc).__name__
                raise
        return _STATE["model"]  # type: ignore[no-any-return]


def reset() -> None:
    """Forget the loaded classifier or its remembered failure (tests, policy reload)."""
    with _LOCK:
        _STATE.clear()


def preload(policy: Policy) -> float:
    """Load now (app start); the load time in seconds."""
    return get_classifier(policy).load_s


def classifier_hits(text: str, speaker: Speaker, policy: Policy) -> list[Hit]:
    """The learned detector's hits for one message.

    A child writing in dialect or by ear ("ma maws boyfrien burnt ma arm") is also read in standard
    spelling (normalize.spell), and the riskier reading counts: the detector learned from far more
    standard English than Scots or phonetic spelling.
    """
    readings = [text]
    spelled = spell(fold(text))
    if spelled != fold(text):
        readings.append(spelled)
    return hits_from(riskiest(get_classifier(policy).score(readings, speaker)), speaker, policy)


def riskiest(scores: list[Scores]) -> Scores:
    """Several readings of one message as one: the highest risk per action and category."""
    if len(scores) == 1:
        return scores[0]
    risk = {a: max(s.actions[a] for s in scores) for a in ("redirect", "escalate")}
    actions = {**risk, "allow": max(0.0, 1.0 - sum(risk.values()))}
    categories = {c: max(s.categories[c] for s in scores) for c in scores[0].categories}
    return Scores(actions, categories)
