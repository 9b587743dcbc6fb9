"""The opener-prefill decision, measured: the storyteller sentence on held-out exemplars, three ways.

`.venv/bin/python scripts/storyteller_prefill_check.py [--dev s13] [--limit N]` writes one sentence per
dev exemplar (greedy-ish, the run-time sampling, llama.cpp) for:
  adapter            the adapter model as shipped: compact prompt, no prefill (the whole sentence);
  adapter+prefill    the same adapter with the focus name pre-filled, the composer's usual opener tail;
  base+prefill       the base model as it runs today: system.j2 with its examples, focus pre-filled.
and reports how often the sentence names the focus, takes up a content word of the child's line,
stays within the band's word limit, passes the composer's unfixable checks, plus distinct-2 and time.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storyteller_examples import messages_for, read_exemplars  # noqa: E402

from aistories.backends import Options, get_entry  # noqa: E402
from aistories.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from aistories.dialogue import prompts  # noqa: E402
from aistories.dialogue.evaluation import distinct2  # noqa: E402
from aistories.dialogue.manager import DEFAULT_OPTIONS  # noqa: E402
from aistories.dialogue.validate import META  # noqa: E402

WORD_LIMIT = {"4-6": 12, "7-9": 18, "10-12": 32}  # the writers' limits (data/story/README.md)
STOP = set(
    "a an the and or but of to in on at is are was were it he she they i you we my your with for".split()
)
_WORD = re.compile(r"[a-z']+")


def content_words(text: str) -> set[str]:
    """Lower-case words of three letters or more, minus function words."""
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOP}


def sentence(backend: LlamaCppBackend, messages: list[dict[str, str]], prefill: str, seed: int) -> str:
    """One model sentence (with its pre-filled start), stopped at the first sentence end or newline."""
    options = Options(**{**DEFAULT_OPTIONS, "seed": seed})
    ids = backend.render_ids(messages) + (backend.tokenize(prefill) if prefill else [])  # type: ignore[arg-type]
    text = backend.generate_ids(ids, options).complete()
    text = (prefill + text) if prefill else text
    return text.strip().split("\n")[0]


def score(rows: list[dict[str, Any]], outs: list[str], seconds: float) -> dict[str, float]:
    """The figures for one way of writing."""
    n = len(rows)
    return {
        "names_focus": sum(r["focus"].lower() in o.lower() for r, o in zip(rows, outs, strict=True)) / n,
        "child_word_taken_up": sum(
            bool(content_words(r["child"]) & content_words(o)) for r, o in zip(rows, outs, strict=True)
        )
        / max(1, sum(bool(content_words(r["child"])) for r in rows)),
        "within_word_limit": sum(
            len(o.split()) <= WORD_LIMIT[r["age_band"]] for r, o in zip(rows, outs, strict=True)
        )
        / n,
        "meta_or_empty": sum(not o.strip() or bool(META.search(o)) for o in outs) / n,
        "distinct2": distinct2(outs),
        "mean_words": sum(len(o.split()) for o in outs) / n,
        "ms_per_sentence": 1000 * seconds / n,
    }


def run(way: str, rows: list[dict[str, Any]], seed: int, threads: int) -> tuple[list[str], float]:
    """Every dev sentence written one way."""
    model = "smollm2-135m-storyteller" if way.startswith("adapter") else "smollm2-135m-instruct-q4_1"
    backend = LlamaCppBackend(get_entry(model), n_threads=threads, seed=seed)
    rng = random.Random(seed)
    outs, started = [], time.perf_counter()
    for i, r in enumerate(rows):
        messages = messages_for(r, backend.count_tokens, rng)
        if way == "base+prefill":
            messages[0]["content"] = prompts.render_prompt(
                "system.j2", age_band=r["age_band"], world=_World(r["setting"]), vocabulary=[]
            ).text
        outs.append(sentence(backend, messages, r["focus"] if way.endswith("prefill") else "", seed + i))
    return outs, time.perf_counter() - started


class _World:
    """The two fields system.j2 reads."""

    def __init__(self, setting: str) -> None:
        self.title, self.setting = "A story", setting


def main() -> None:
    """Write the three ways and print the figures (and a few samples) as JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dev", default="s13")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=2, help="1 on a busy machine (spinning threads starve)")
    p.add_argument("--out", type=Path, help="also write every sentence here (JSON)")
    args = p.parse_args()
    rows = read_exemplars([args.dev])
    rows = rows[: args.limit] if args.limit else rows
    report, samples = {}, {}
    for way in ("adapter", "adapter+prefill", "base+prefill"):
        outs, seconds = run(way, rows, args.seed, args.threads)
        report[way] = {k: round(v, 3) for k, v in score(rows, outs, seconds).items()}
        samples[way] = outs
    report["writers"] = {"distinct2": round(distinct2([r["sentence"] for r in rows]), 3)}
    print(json.dumps({"dev": args.dev, "n": len(rows), **report}, indent=1))
    if args.out:
        args.out.write_text(json.dumps({"rows": [r["id"] for r in rows], **samples}, indent=1))


if __name__ == "__main__":
    main()
