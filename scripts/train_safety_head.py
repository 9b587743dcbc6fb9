"""Rebuild policy/head.npz, the safety layer's learned head: `.venv/bin/python scripts/train_safety_head.py`.

Training data (dev only, never blind3 or the public set): tests/data/safety/cases.jsonl, heldout.jsonl,
blind/blind1.jsonl, blind/blind2.jsonl, head.src, and the exemplar banks. Deterministic: the same data
and encoder give the same weights; the npz records the data's sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from pathlib import Path

import numpy as np

from aistories.safety.encoder import Encoder
from aistories.safety.evaluation import read_cases
from aistories.safety.exemplars import BENIGN, load_bank
from aistories.safety.head import CLASSES, FILE, Head, fit
from aistories.safety.policy import exemplar_dir, load_policy, policy_dir

log = logging.getLogger("train_safety_head")
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety"
CASE_FILES = ("cases.jsonl", "heldout.jsonl", "blind/blind1.jsonl", "blind/blind2.jsonl")
CLASS_WEIGHT = (1.0, 1.0, 2.0)  # favours escalate recall
SPEAKER = {"c": "child", "s": "storyteller"}
EXPECTED = {"a": "allow", "r": "redirect", "e": "escalate"}


def read_src(path: Path) -> list[tuple[str, str, str]]:
    """(text, speaker, expected) from a `text|c/s|a/r/e|category` file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, speaker, expected, _ = line.rsplit("|", 3)
            rows.append((text, SPEAKER[speaker], EXPECTED[expected]))
    return rows


def training_rows() -> list[tuple[str, str, str]]:
    """Every (text, speaker, expected) the head learns from, in a fixed order."""
    policy = load_policy()
    rows = [(c.text, c.speaker, c.expected) for f in CASE_FILES for c in read_cases(DATA / f)]
    rows += read_src(DATA / "head.src")
    bank = load_bank(exemplar_dir())
    for text, cat, speaker in zip(bank.texts, bank.categories, bank.speakers, strict=True):
        for sp in ("child", "storyteller") if speaker == "any" else (speaker,):
            rows.append((text, sp, "allow" if cat == BENIGN else policy.action_for(cat, sp)))  # type: ignore[arg-type]
    return rows


def main() -> None:
    """Embed, fit and write the head."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=policy_dir() / FILE)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = training_rows()
    sha = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    s = load_policy().semantic
    encoder = Encoder(s.max_tokens, s.threads, s.quantize)
    emb = encoder.encode([t for t, _, _ in rows])
    features = np.hstack([emb, np.array([[sp == "storyteller"] for _, sp, _ in rows], float)])
    labels = np.array([CLASSES.index(e) for _, _, e in rows])
    mean, scale, weights, bias = fit(features, labels, CLASS_WEIGHT)
    meta = {
        "training_sha256": sha,
        "rows": len(rows),
        "class_weight": CLASS_WEIGHT,
        "encoder_sha256": encoder.model_sha256,
        "int8": encoder.is_quantized,
        "counts": {c: int((labels == i).sum()) for i, c in enumerate(CLASSES)},
    }
    Head(mean, scale, weights, bias, meta).save(args.out)
    log.info("wrote %s: %d rows, training data sha256 %s", args.out, len(rows), sha[:16])


if __name__ == "__main__":
    main()
