"""Train the storyteller LoRA adapter: `nice -n 5 .venv/bin/python scripts/train_storyteller_adapter.py`.

SmolLM2-135M-Instruct is loaded in transformers from the embedded GGUF (the weights llama.cpp runs,
de-quantised to fp32) and gets a peft LoRA on the attention and MLP projections of its top layers. Each
exemplar in data/story/exemplars/ is rendered into exactly the prompt the composer sends the adapter
model (scripts/storyteller_examples.py: the compact prompts/system_adapter.j2, window pairs, the child's
line, story notes and the move's instruction, as llama.cpp token ids); the loss is on the target
sentence and its <|im_end|> only, and only those positions' logits are computed (`logits_to_keep`).
One brief (--dev, default s13) is held out for the validation loss. Seeded; a GPU is used when present.

It writes the GGUF LoRA adapter (models/adapters/smollm2-135m-storyteller.gguf) and a JSON report
beside it (data, split, steps, losses, minutes, sha256, and llama.cpp's own loss on dev exemplars with
and without the adapter, which checks the export). `--tiny` trains a few exemplars for two steps (the
test suite's smoke test). Put the printed sha256 into models/registry.yaml.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lora_gguf import lora_tensors, write_adapter  # noqa: E402
from storyteller_examples import ROOT, Example, read_exemplars, render  # noqa: E402

from aistories.backends import get_entry  # noqa: E402
from aistories.backends.llama_cpp import LlamaCppBackend  # noqa: E402

log = logging.getLogger("train_storyteller_adapter")
BASE = "smollm2-135m-instruct-q4_1"
OUT = ROOT / "models" / "adapters" / "smollm2-135m-storyteller.gguf"
WARMUP = 10
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def load_examples(args: argparse.Namespace) -> tuple[list[Example], list[Example], LlamaCppBackend]:
    """(train, dev) exemplars rendered with the run-time prompt code and llama.cpp's tokenizer."""
    backend = LlamaCppBackend(get_entry(BASE), n_threads=args.threads)
    rows = read_exemplars()
    rng = random.Random(args.seed)
    train = [r for r in rows if not r["id"].startswith(args.dev)]
    dev = [r for r in rows if r["id"].startswith(args.dev)]
    if args.tiny:
        train, dev = train[:16], dev[:8]
    return [render(r, backend, rng) for r in train], [render(r, backend, rng) for r in dev], backend


def batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of similar length (little padding; the same batches for a seed)."""
    order = examples[:]
    rng.shuffle(order)
    out: list[list[Example]] = []
    chunk = size * 16
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda e: len(e.prompt) + len(e.target))
        out += [part[i : i + size] for i in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def collate(batch: list[Example], pad: int, device: Any) -> dict[str, Any]:
    """Left-padded ids (every target ends at the last position), mask, positions, target mask."""
    import torch

    seqs = [e.prompt + e.target for e in batch]
    width = max(len(s) for s in seqs)
    keep = max(len(e.target) for e in batch) + 1
    ids = torch.full((len(seqs), width), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    target = torch.zeros((len(seqs), width), dtype=torch.bool)
    for i, (seq, e) in enumerate(zip(seqs, batch, strict=True)):
        ids[i, width - len(seq) :] = torch.tensor(seq)
        mask[i, width - len(seq) :] = 1
        target[i, width - len(e.target) :] = True
    positions = (mask.cumsum(1) - 1).clamp(min=0)
    return {
        "ids": ids.to(device),
        "mask": mask.to(device),
        "positions": positions.to(device),
        "target": target.to(device),
        "keep": keep,
        "tokens": int(mask.sum()),
    }


def batch_loss(model: Any, b: dict[str, Any]) -> tuple[Any, int]:
    """Mean cross-entropy over the target tokens (only the last `keep` positions get logits)."""
    import torch.nn.functional as F

    out = model(
        input_ids=b["ids"], attention_mask=b["mask"], position_ids=b["positions"], logits_to_keep=b["keep"]
    )
    logits = out.logits[:, :-1]  # predicts the last keep-1 tokens
    labels = b["ids"][:, -(b["keep"] - 1) :]
    chosen = b["target"][:, -(b["keep"] - 1) :]
    loss = F.cross_entropy(logits[chosen].float(), labels[chosen])
    return loss, int(chosen.sum())


def dev_loss(model: Any, dev: list[Example], pad: int, device: Any) -> float:
    """Mean target-token loss on the held-out brief."""
    import torch

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for batch in batches(dev, 16, random.Random(0)):
            loss, n = batch_loss(model, collate(batch, pad, device))
            total += float(loss) * n
            count += n
    model.train()
    return total / max(count, 1)


def load_model(args: argparse.Namespace, device: Any) -> Any:
    """The base model from the embedded GGUF, with a fresh seeded LoRA on its top layers."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    path = get_entry(BASE).file_path()
    assert path is not None
    base = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    n_layers = base.config.num_hidden_layers
    torch.manual_seed(args.seed)
    config = LoraConfig(
        r=args.rank,
        lora_alpha=args.alpha,
        lora_dropout=args.dropout,
        target_modules=TARGETS,
        layers_to_transform=list(range(n_layers - args.layers, n_layers)),
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(base, config).to(device)


def learning_rate(step: int, total: int, peak: float, warmup: int) -> float:
    """Linear warm-up, then cosine down to a tenth of the peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(total - warmup, 1)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def budget_steps(planned: int, done: int, elapsed: float, minutes: float) -> int:
    """How many steps fit a time budget, judged from the warm-up steps' pace (0 minutes: all planned)."""
    if not minutes:
        return planned
    per_step = elapsed / max(done, 1)
    return max(done, min(planned, int(minutes * 60 / per_step)))


def train(model: Any, train_set: list[Example], args: argparse.Namespace, pad: int, device: Any) -> dict:
    """The training loop; returns its figures.

    With --minutes, the number of steps is fixed once, after the warm-up, from the pace so far; the
    schedule then depends on that number only, so `--max-steps N` replays the same run.
    """
    import torch

    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    rng = random.Random(args.seed)
    plan = [b for _ in range(args.epochs) for b in batches(train_set, args.batch, rng)]
    plan = plan[: args.max_steps] if args.max_steps else plan
    warmup, total = min(WARMUP, len(plan)), len(plan)
    model.train()
    started, tokens, recent = time.perf_counter(), 0, []
    for step, batch in enumerate(plan):
        if step == warmup and args.minutes:
            total = budget_steps(len(plan), step, time.perf_counter() - started, args.minutes)
            log.info("time budget %.0f min: %d of %d planned steps", args.minutes, total, len(plan))
        if step >= total:
            break
        b = collate(batch, pad, device)
        for group in optimiser.param_groups:
            group["lr"] = learning_rate(step, total, args.lr, warmup)
        loss, _ = batch_loss(model, b)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        optimiser.zero_grad(set_to_none=True)
        tokens += b["tokens"]
        recent = (recent + [loss.item()])[-50:]
        if (step + 1) % 20 == 0 or step + 1 == total:
            elapsed = time.perf_counter() - started
            log.info(
                "step %d/%d loss %.3f (last 50) %.0f tok/s %.1f min",
                step + 1,
                total,
                sum(recent) / len(recent),
                tokens / elapsed,
                elapsed / 60,
            )
    elapsed = time.perf_counter() - started
    return {
        "steps": total,
        "planned_steps": len(plan),
        "exemplars_seen": sum(len(b) for b in plan[:total]),
        "tokens": tokens,
        "tokens_per_s": round(tokens / elapsed, 1),
        "train_minutes": round(elapsed / 60, 2),
        "train_loss_last50": round(sum(recent) / len(recent), 4),
    }


def llama_cpp_check(path: Path, dev: list[Example], threads: int) -> dict[str, float]:
    """llama.cpp's mean target-token loss on dev exemplars, base vs with the adapter (checks the export)."""
    from llama_cpp import Llama

    model_path = str(get_entry(BASE).file_path())
    result = {}
    for label, lora in (("base", None), ("adapter", str(path))):
        llm = Llama(model_path, lora_path=lora, n_ctx=512, n_threads=threads, logits_all=True, verbose=False)
        losses = []
        for e in dev:
            llm.reset()
            llm.eval(e.prompt + e.target)
            scores = np.asarray(llm.scores[: len(e.prompt) + len(e.target)], dtype=np.float64)
            start = len(e.prompt) - 1
            rows = scores[start : start + len(e.target)]
            logz = np.log(np.exp(rows - rows.max(1, keepdims=True)).sum(1)) + rows.max(1)
            losses += list(logz - rows[np.arange(len(e.target)), e.target])
        result[label] = round(float(np.mean(losses)), 4)
        del llm
    return result


def git_version() -> str:
    """The commit the data and prompt code came from (and whether the tree had local changes)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
        return head.strip() + ("+local-changes" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def parse_args() -> argparse.Namespace:  # noqa: D103
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--out", type=Path, default=OUT, help="the GGUF adapter to write (report: same stem, .json)"
    )
    p.add_argument("--dev", default="s13", help="the brief held out for the validation loss")
    p.add_argument("--layers", type=int, default=10, help="adapt the top N layers")
    p.add_argument("--rank", type=int, default=16)
    p.add_argument("--alpha", type=float, default=32.0)
    p.add_argument("--dropout", type=float, default=0.05)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--max-steps", type=int, default=0, help="stop after N steps (0: all epochs)")
    p.add_argument("--minutes", type=float, default=0, help="fit the steps to this training time (0: off)")
    p.add_argument("--check", type=int, default=32, help="dev exemplars for the llama.cpp export check")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--tiny", action="store_true", help="a few exemplars, two steps (smoke test)")
    args = p.parse_args()
    if args.tiny:
        args.layers, args.rank, args.alpha, args.batch, args.max_steps, args.check = 2, 4, 8.0, 4, 2, 4
    return args


def main() -> None:
    """Render, train, evaluate, export, check, report."""
    import torch

    args = parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_set, dev_set, backend = load_examples(args)
    pad = int(backend.llm.token_eos())
    log.info(
        "%d train / %d dev exemplars (dev brief %s), device %s",
        len(train_set),
        len(dev_set),
        args.dev,
        device,
    )
    model = load_model(args, device)
    before = dev_loss(model, dev_set, pad, device)
    log.info("dev loss before %.4f", before)
    figures = train(model, train_set, args, pad, device)
    after = dev_loss(model, dev_set, pad, device)
    log.info("dev loss after %.4f", after)
    config = model.base_model.model.config
    tensors = lora_tensors(model.state_dict(), config.num_attention_heads, config.num_key_value_heads)
    sha = write_adapter(args.out, tensors, args.alpha, "aistories storyteller (SmolLM2-135M-Instruct LoRA)")
    check = llama_cpp_check(args.out, dev_set[: args.check], args.threads)
    report = {
        "adapter": args.out.name,
        "sha256": sha,
        "base_model": BASE,
        "base_sha256": get_entry(BASE).sha256,
        "system_prompt": "system_adapter.j2",
        "prefill": False,
        "data": "data/story/exemplars/s*.jsonl",
        "train_exemplars": len(train_set),
        "dev_brief": args.dev,
        "dev_exemplars": len(dev_set),
        **{
            k: getattr(args, k)
            for k in ("layers", "rank", "alpha", "dropout", "lr", "batch", "epochs", "seed", "minutes")
        },
        **figures,
        "dev_loss_before": round(before, 4),
        "dev_loss_after": round(after, 4),
        "llama_cpp_dev_loss": check,
        "device": str(device),
        "threads": args.threads,
        "code": git_version(),
    }
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    log.info(
        "wrote %s (%.1f MB), sha256 %s; llama.cpp dev loss %s",
        args.out,
        args.out.stat().st_size / 1e6,
        sha,
        check,
    )


if __name__ == "__main__":
    main()
