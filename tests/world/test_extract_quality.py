"""Extraction precision and recall on a small hand-labelled set (tests/world/extraction_gold.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from aistories.world import WorldState, load_world
from aistories.world.extract import extract

GOLD = Path(__file__).with_name("extraction_gold.yaml")
HELDOUT = Path(__file__).with_name("extraction_heldout.yaml")


def score(cases: list[dict[str, Any]]) -> dict[str, float]:
    """Micro precision/recall for new entities and for facts over all cases."""
    counts = {k: [0, 0, 0] for k in ("entities", "facts")}  # true positives, predicted, expected
    for case in cases:
        state = WorldState.from_world(load_world("flying-beds-castle"))
        for i, line in enumerate(case.get("context", []), start=1):
            state.apply(extract(line, "child", i, state))
        diff = extract(case["text"], case.get("speaker", "child"), 99, state)
        state.apply(diff)
        got = {
            "entities": {e.name.lower() for e in diff.entities},
            "facts": {(f.entity.lower(), f.attribute, f.value.lower()) for f in diff.facts},
        }
        want = {
            "entities": {n.lower() for n in case["entities"]},
            "facts": {(e.lower(), a, v.lower()) for e, a, v in case["facts"]},
        }
        for k in counts:
            counts[k][0] += len(got[k] & want[k])
            counts[k][1] += len(got[k])
            counts[k][2] += len(want[k])
    out = {}
    for k, (tp, pred, exp) in counts.items():
        out[f"{k}_precision"] = tp / pred if pred else 1.0
        out[f"{k}_recall"] = tp / exp if exp else 1.0
    return out


@pytest.mark.parametrize("path", [GOLD, HELDOUT], ids=["gold", "heldout"])
def test_extraction_quality_on_the_labelled_sets(path: Path) -> None:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(cases) >= 20
    result = score(cases)
    assert result["entities_precision"] >= 0.9
    assert result["entities_recall"] >= 0.85
    assert result["facts_precision"] >= 0.9
    assert result["facts_recall"] >= 0.85
