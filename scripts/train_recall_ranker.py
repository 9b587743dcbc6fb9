"""Build models/recall_ranker.json, the learned ranker that answers story questions from the child's words.

    .venv/bin/python scripts/train_recall_ranker.py                 # the spent story sets, ~5 minutes
    .venv/bin/python scripts/train_recall_ranker.py --sessions 2 --out /tmp/r.json   # a tiny split (tests)

Plays the spent scripted sessions (data/story/<SPENT>, story_sessions/) through the real dialogue
manager with the fake backend (the answer path is templated: the model's text never decides it). At every
memory probe ('# probe: blue') it keeps what recall saw: the question, every remembered sentence with its
feature row (dialogue/recall.py FEATURES), and the structured fact, if any. A sentence is a positive when
it holds a probe word. Then: a logistic regression (numpy, Newton steps, L2, classes balanced), and the
answer threshold and the fact margin that answer most probes right. Leave-one-set-out accuracy is printed
and kept in the file, next to the in-sample figure. Deterministic: same sessions, same file.
A new blind story set joins SPENT only after its first run (README), so it never teaches the ranker first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from aistories.backends.fake import FakeBackend  # noqa: E402
from aistories.cli.wiring import make_manager  # noqa: E402
from aistories.config import Settings  # noqa: E402
from aistories.dialogue.evaluation import read_sessions  # noqa: E402
from aistories.dialogue.recall import FEATURES, Question, Ranker, Recall, Said  # noqa: E402
from aistories.store import Store  # noqa: E402

SPENT = ("blind6", "blind7", "blind8", "blind9")
OUT = ROOT / "models" / "recall_ranker.json"
L2 = 1.0


@dataclass
class Probe:
    """One memory probe: the candidates' features and labels, and whether the structured fact was right."""

    folder: str
    rows: np.ndarray
    labels: np.ndarray
    fact_right: bool
    has_fact: bool
    specific: bool


class Capturing(Recall):
    """Recall that keeps what the last question saw (the training script's window into the manager)."""

    last: tuple[Question, list[Said], np.ndarray, str] | None = None

    def find(self, question: str, about: list[str], *, fact: str = "", specific: bool = False) -> Said | None:
        q = Question.of(question, about, bool(fact), specific)
        parts, rows = self.candidates(q)
        self.last = (q, parts, rows, fact)
        return None  # answer from facts only while collecting: the shipped ranker never shapes its own data


def collect(folders: list[Path], per_folder: int | None) -> list[Probe]:
    """Play the sessions and keep every probe's candidates."""
    probes: list[Probe] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "train.db")
        backend = FakeBackend()
        for folder in folders:
            for session in read_sessions(folder)[:per_folder]:
                settings = Settings(
                    world=session.world, age_band=session.age_band, child=f"train-{session.name}"
                )
                manager = make_manager(settings, backend=backend, store=store)
                manager.recall = recall = Capturing()
                for line in session.lines:
                    recall.last = None
                    list(manager.turn(line.text))
                    if line.probes and recall.last is not None:
                        q, parts, rows, fact = recall.last
                        labels = np.array(
                            [any(w in p.text.lower() for w in line.probes) for p in parts], float
                        )
                        right = any(w in fact.lower() for w in line.probes)
                        probes.append(Probe(folder.name, rows, labels, right, q.has_fact, q.specific))
                manager.end()
    return probes


def fit(probes: list[Probe]) -> tuple[np.ndarray, float]:
    """L2 logistic regression by Newton's method, positives and negatives weighted equally."""
    x = np.vstack([p.rows for p in probes if len(p.rows)])
    y = np.concatenate([p.labels for p in probes if len(p.rows)])
    x1 = np.hstack([x, np.ones((len(x), 1))])
    pos = max(y.sum(), 1.0)
    weight = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * max(len(y) - pos, 1.0)))
    w = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], L2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x1 @ w)))
        grad = x1.T @ (weight * (p - y)) + penalty * w
        hess = (x1 * (weight * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def accuracy(probes: list[Probe], ranker: Ranker) -> float:
    """Share of probes answered right: the ranker's best line when confident enough, else the fact."""
    right = 0
    for probe in probes:
        chosen = None
        if len(probe.rows):
            p = ranker.probability(probe.rows)
            best = int(len(p) - 1 - np.argmax(p[::-1]))
            needed = ranker.threshold + (ranker.fact_margin if probe.has_fact and probe.specific else 0.0)
            chosen = bool(probe.labels[best]) if p[best] >= needed else None
        right += probe.fact_right if chosen is None else chosen
    return right / max(len(probes), 1)


def train(probes: list[Probe]) -> Ranker:
    """Weights, then the threshold and fact margin that answer most of these probes right."""
    weights, bias = fit(probes)
    grid = [(t, m) for t in np.arange(0.2, 0.91, 0.05) for m in np.arange(0.0, 0.51, 0.05)]
    scored = [(accuracy(probes, Ranker(weights, bias, t, m)), -t, -m) for t, m in grid]
    _, t, m = max(scored)
    return Ranker(weights, bias, round(float(-t), 2), round(float(-m), 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--sessions", type=int, default=None, help="sessions per folder (a tiny split)")
    args = parser.parse_args()
    folders = [ROOT / "data" / "story" / name for name in SPENT] + [ROOT / "story_sessions"]
    probes = collect(folders, args.sessions)
    if not probes:
        sys.exit("no memory probes in the training sessions")
    names = sorted({p.folder for p in probes})
    held_out = {}
    for name in names if len(names) > 1 else []:
        ranker = train([p for p in probes if p.folder != name])
        held_out[name] = round(accuracy([p for p in probes if p.folder == name], ranker), 3)
    ranker = train(probes)
    payload = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in ranker.weights],
        "bias": round(ranker.bias, 6),
        "threshold": ranker.threshold,
        "fact_margin": ranker.fact_margin,
        "trained_on": {name: sum(p.folder == name for p in probes) for name in names},
        "in_sample_accuracy": round(accuracy(probes, ranker), 3),
        "held_out_accuracy": held_out,
    }
    data = {"sha256": Ranker.payload_sha256(payload), "ranker": payload}
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(
        f"{len(probes)} probes; in sample {payload['in_sample_accuracy']}; held out {held_out} -> {args.out}"
    )


if __name__ == "__main__":
    main()
