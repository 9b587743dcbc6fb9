"""The learned detector: training smoke test, hash check (fails closed), thresholds, held-out quality."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aistories.safety import classifier
from aistories.safety.check import decide
from aistories.safety.classifier import ClassifierUnavailable, Scores, hits_from
from aistories.safety.corpus import read_jsonl, read_labels
from aistories.safety.policy import load_policy, policy_dir
from aistories.safety.rules import Hit

check_module = importlib.import_module("aistories.safety.check")  # the package re-exports check()
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = policy_dir() / classifier.FOLDER
BLIND = ROOT / "tests" / "data" / "safety" / "blind"


def _scores(actions: dict[str, float], **categories: float) -> Scores:
    return Scores({"allow": 0.0, "redirect": 0.0, "escalate": 0.0, **actions}, categories)


def test_a_likely_category_fires_on_its_own() -> None:
    policy = load_policy()
    hits = hits_from(_scores({"allow": 0.9}, grooming=0.97, weapons=0.2), "child", policy)
    assert [h.category for h in hits] == ["grooming"]


def test_the_action_head_escalates_with_the_likeliest_escalate_category() -> None:
    policy = load_policy()
    scores = _scores({"escalate": 0.95, "allow": 0.05}, abuse=0.4, neglect=0.6, weapons=0.7)
    assert [h.category for h in hits_from(scores, "child", policy)] == ["neglect"]


def test_an_allowed_message_has_no_hits() -> None:
    policy = load_policy()
    assert hits_from(_scores({"allow": 0.99}, abuse=0.01), "child", policy) == []


def test_the_storyteller_gate_blocks_at_a_low_probability() -> None:
    """Storyteller thresholds are set for recall: a blocked sentence costs only a templated turn."""
    policy = load_policy()
    threshold = policy.classifier.storyteller.redirect
    assert threshold is not None and threshold < (policy.classifier.child.redirect or 1.0)
    scores = _scores({"redirect": threshold, "allow": 1 - threshold}, death_prediction=0.3)
    assert [h.category for h in hits_from(scores, "storyteller", policy)] == ["death_prediction"]


def test_escalation_beats_a_redirect_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A secret online friend who wants to meet: a redirect rule and an escalate hit -> escalate."""
    policy = load_policy()
    monkeypatch.setattr(check_module, "match_rules", lambda *a: [Hit("meet-up", "privacy", "rules")])
    monkeypatch.setattr(check_module, "_classifier", lambda *a: [Hit("c", "grooming", classifier.LAYER)])
    verdict = decide("my online friend wants to meet me and says keep it secret", "child", policy)
    assert verdict.action == "escalate"
    assert verdict.categories[0] == "grooming"
    assert verdict.reply == policy.escalate_replies["disclosure"]


def test_a_broken_classifier_blocks_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise ClassifierUnavailable("safety classifier file missing")

    monkeypatch.setattr(classifier, "get_classifier", broken)
    verdict = decide("a dragon called zog", "child", load_policy())
    assert (verdict.action, verdict.categories) == ("redirect", ["unavailable"])


def test_an_altered_shipped_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "classifier"
    shutil.copytree(SHIPPED, folder)
    with (folder / "heads.npz").open("ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ClassifierUnavailable, match="sha256"):
        classifier.Classifier(folder, load_policy().classifier.sha256, 64, 1)


def test_the_policy_lists_every_shipped_file() -> None:
    names = {p.name for p in SHIPPED.iterdir() if p.is_file()}
    assert set(load_policy().classifier.sha256) == names


@pytest.mark.slow
def test_training_script_runs_on_a_tiny_split(tmp_path: Path) -> None:
    out, policy_out = tmp_path / "classifier", tmp_path / "classifier.yaml"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_safety_classifier.py"),
            "--tiny",
            "--threads",
            "1",
            "--out",
            str(out),
            "--policy-out",
            str(policy_out),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    written = yaml.safe_load(policy_out.read_text())
    assert set(written["sha256"]) == {p.name for p in out.iterdir()}
    loaded = classifier.Classifier(out, written["sha256"], 64, 1)
    assert set(loaded.score(["a dragon called zog"], "child")[0].actions) == {"allow", "redirect", "escalate"}


@pytest.mark.slow
def test_held_out_writers_are_caught() -> None:
    """Per-category regression on writers the classifier never trained on (the calibration set)."""
    policy = load_policy()
    dev = set(yaml.safe_load((SHIPPED / "meta.json").read_text())["dev_writers"])
    labels = read_labels(ROOT / "data" / "safety" / "labels.yaml")
    files = [*(ROOT / "data" / "safety" / "corpus").glob("*.jsonl"), *BLIND.glob("*.jsonl")]
    rows = [r for path in sorted(files) if path.stem in dev for r in read_jsonl(path, labels, path.stem)]
    model = classifier.get_classifier(policy)
    caught = {"child": [0, 0], "storyteller": [0, 0]}
    escalated = [0, 0]
    for row in rows:
        if row.action == "allow":
            continue
        hits = hits_from(model.score([row.text], row.speaker)[0], row.speaker, policy)  # type: ignore[arg-type]
        caught[row.speaker][0] += bool(hits)
        caught[row.speaker][1] += 1
        if row.action == "escalate":
            escalated[0] += any(policy.action_for(h.category, "child") == "escalate" for h in hits)
            escalated[1] += 1
    # Floors a little under the calibration figures (README): a retrain that falls below them regressed.
    assert caught["child"][0] / caught["child"][1] >= 0.72  # 0.76 at calibration
    assert caught["storyteller"][0] / caught["storyteller"][1] >= 0.97  # 1.0
    assert escalated[0] / escalated[1] >= 0.70  # 0.76


def test_the_riskier_of_two_readings_counts() -> None:
    typed = _scores({"allow": 0.96, "escalate": 0.03, "redirect": 0.01}, abuse=0.01, neglect=0.002)
    spelled = _scores({"allow": 0.08, "escalate": 0.92}, abuse=0.25, neglect=0.08)
    both = classifier.riskiest([typed, spelled])
    assert both.actions["escalate"] == 0.92 and both.categories == {"abuse": 0.25, "neglect": 0.08}
    assert abs(sum(both.actions.values()) - 1.0) < 1e-9
    assert classifier.riskiest([typed]) is typed


@pytest.mark.parametrize(
    "text",
    [
        # Spent blind set 5 (dev data now): direct disclosures in Scots, missed before the spelled reading.
        "ma maws boyfrien burnt ma arm wi his cigarette cos a wis greetin",
        "the princess is hungry aw the time an naebody comes tae get her fae school, like me sometimes",
    ],
)
def test_a_disclosure_in_dialect_escalates(text: str) -> None:
    assert check_module.check(text, "child").action == "escalate"
