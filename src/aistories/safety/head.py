"""The learned head: a multinomial logistic regression (allow / redirect / escalate) over MiniLM embeddings.

It generalises past the exemplar banks' wording better than nearest-exemplar matching (issue 5). Weights
ship as policy/head.npz, rebuilt reproducibly by scripts/train_safety_head.py, which records the sha256 of
its training data. It shares the semantic layer's encoder, so it adds no model load.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .policy import Policy, Speaker, policy_dir
from .rules import Hit

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

LAYER = "head"
CLASSES = ("allow", "redirect", "escalate")
FILE = "head.npz"
# The categories the head's verdicts map to (policy.yaml), so the reply and the alert stay policy data.
CATEGORY = {"escalate": "possible_risk", "redirect": "unsuitable"}


@dataclass(frozen=True)
class Head:
    """Standardisation, weights and bias for the 385 features (embedding + is-storyteller)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    meta: dict[str, Any]

    def probs(self, embedding: np.ndarray, speaker: Speaker) -> np.ndarray:
        """Class probabilities (allow, redirect, escalate) for one embedding."""
        import numpy as np

        x = np.append(embedding, 1.0 if speaker == "storyteller" else 0.0)
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        e = np.exp(z - z.max())
        return e / e.sum()

    def save(self, path: Path) -> None:
        """Write the head as a small npz (meta as JSON: training data sha256, settings, counts)."""
        import numpy as np

        np.savez_compressed(
            path,
            mean=self.mean,
            scale=self.scale,
            weights=self.weights,
            bias=self.bias,
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )


@functools.lru_cache(maxsize=2)
def load_head(path: Path | None = None) -> Head:
    """Read policy/head.npz (cached)."""
    import numpy as np

    with np.load(path or policy_dir() / FILE) as data:
        return Head(data["mean"], data["scale"], data["weights"], data["bias"], json.loads(str(data["meta"])))


def fit(
    features: np.ndarray,
    labels: np.ndarray,
    class_weight: tuple[float, float, float],
    l2: float = 0.03,
    iters: int = 1500,
    lr: float = 0.5,
) -> tuple[np.ndarray, ...]:
    """Full-batch gradient descent on weighted softmax cross-entropy + L2: (mean, scale, W, b)."""
    import numpy as np

    mean = features.mean(0)
    scale = features.std(0) + 1e-6
    x = (features - mean) / scale
    n, d = x.shape
    w = np.asarray(class_weight)[labels]
    w = w / w.mean()
    onehot = np.eye(len(CLASSES))[labels]
    weights, bias = np.zeros((d, len(CLASSES))), np.zeros(len(CLASSES))
    for _ in range(iters):
        z = x @ weights + bias
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = (p - onehot) * w[:, None] / n
        weights -= lr * (x.T @ grad + l2 * weights)
        bias -= lr * grad.sum(0)
    return mean, scale, weights, bias


def decide_probs(p: np.ndarray, policy: Policy) -> str:
    """allow / redirect / escalate from class probabilities and the policy's thresholds."""
    t = policy.head
    if p[2] >= t.escalate:
        return "escalate"
    if t.redirect is not None and p[1] + p[2] >= t.redirect:
        return "redirect"
    return "allow"


def head_hits(text: str, speaker: Speaker, policy: Policy) -> list[Hit]:
    """The head's hit for one message, if it is not allowed."""
    from .semantic import get_layer

    embedding = get_layer(policy).encoder.encode([text])[0]
    p = load_head().probs(embedding, speaker)
    action = decide_probs(p, policy)
    if action == "allow":
        return []
    category = CATEGORY[action]
    return [Hit(f"head-{action}@{p[CLASSES.index(action)]:.2f}", category, LAYER)]
