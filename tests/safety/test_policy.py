"""The policy loads, validates, compiles; a broken policy is a clear DataFileError."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aistories.errors import DataFileError
from aistories.safety.policy import Policy, load_policy, policy_dir
from aistories.safety.rules import compile_rules


def test_shipped_policy_is_valid_and_every_rule_compiles(policy: Policy) -> None:
    compiled = compile_rules(policy)
    assert (policy.version, len(compiled["child"]) > 20, len(compiled["storyteller"]) >= 7) == (
        "2026-11-safety-5",
        True,
        True,
    )
    assert policy.alerts.hook.enabled is False


def test_escalate_replies_follow_the_guidance(policy: Policy) -> None:
    for key in ("disclosure", "worry", "self_harm", "running_away"):
        reply = policy.escalate_replies[key].lower()
        assert ("thank you for telling me" in reply, "not your fault" in reply, "grown-up here" in reply) == (
            True,
            True,
            True,
        )
        assert "secret" not in reply and "?" not in reply  # no secrecy promise, no probing questions


def _copy_policy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(policy_dir(), folder)
    return folder


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "abuse:               {child: escalate",
            "abuse:               {child: explode",
            "categories.abuse.child",
        ),
        ("reraise_minutes: 10", "reraise_minutes: -1", "alerts.reraise_minutes"),
    ],
)
def test_invalid_policy_is_rejected(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = _copy_policy(tmp_path)
    path = folder / "policy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DataFileError, match=message.replace(".", r"\.")):
        load_policy(folder)


def test_rule_with_unknown_category_is_rejected(tmp_path: Path) -> None:
    folder = _copy_policy(tmp_path)
    (folder / "rules" / "zz.yaml").write_text("- {id: x, category: nope, match: ['a']}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown category 'nope'"):
        load_policy(folder)
