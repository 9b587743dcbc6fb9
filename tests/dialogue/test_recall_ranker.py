"""The learned recall ranker: its file is checked at load, and its training script runs on a tiny split."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aistories.dialogue.recall import FEATURES, Question, Ranker, Recall, Said, features, shipped_ranker
from aistories.errors import DataFileError

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_ranker_loads_with_this_codes_features() -> None:
    ranker = shipped_ranker()
    assert ranker.weights.shape == (len(FEATURES),) and 0 < ranker.threshold < 1


def test_an_altered_ranker_file_is_refused(tmp_path: Path) -> None:
    data = json.loads((ROOT / "models" / "recall_ranker.json").read_text())
    data["ranker"]["bias"] += 1.0
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DataFileError, match="sha256"):
        Ranker.read(path)
    path.write_text("{not json")
    with pytest.raises(DataFileError, match="train_recall_ranker"):
        Ranker.read(path)


def test_features_see_the_slot_a_question_asks_for() -> None:
    parts = [Said("zog is a dragon", ("Zog",), 1), Said("zog is green and spotty", ("Zog",), 2)]
    rows = features(Question.of("what colour is zog", ["Zog"]), parts)
    colour = FEATURES.index("slot_colour")
    assert rows.shape == (2, len(FEATURES)) and rows[0, colour] == -1.0 and rows[1, colour] == 1.0


def test_a_confident_ranker_overrules_a_fact_only_past_its_margin() -> None:
    recall = Recall(Ranker(np.zeros(len(FEATURES)), 0.0, 0.4, 0.2))  # every line scores 0.5
    recall.remember("the castle is made of jelly", ["the castle"], 1)
    assert recall.find("what is the castle made of", ["the castle"]) is not None
    assert recall.find("what is the castle made of", ["the castle"], fact="jam", specific=True) is None


@pytest.mark.slow
def test_training_script_runs_on_a_tiny_split(tmp_path: Path) -> None:
    out = tmp_path / "ranker.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_recall_ranker.py"),
            "--sessions",
            "1",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    ranker = Ranker.read(out)
    data = json.loads(out.read_text())["ranker"]
    assert ranker.weights.shape == (len(FEATURES),) and sum(data["trained_on"].values()) > 0
