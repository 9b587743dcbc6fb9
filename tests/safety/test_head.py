"""The learned head: shipped weights, thresholds, fitting, word soup, failing closed."""

from __future__ import annotations

import numpy as np
import pytest

from aistories.safety import check, head
from aistories.safety.check import decide
from aistories.safety.head import CLASSES, decide_probs, fit, load_head
from aistories.safety.policy import Policy


def test_shipped_head_has_weights_and_provenance() -> None:
    h = load_head()
    assert (h.weights.shape, h.bias.shape, h.mean.shape, len(h.meta["training_sha256"])) == (
        (385, 3),
        (3,),
        (385,),
        64,
    )


@pytest.mark.parametrize(
    ("probs", "action"),
    [
        ((0.9, 0.05, 0.05), "allow"),
        ((0.01, 0.01, 0.98), "escalate"),
        ((0.01, 0.98, 0.01), "allow"),  # the shipped head only escalates
        ((0.01, 0.05, 0.94), "allow"),
    ],
)
def test_thresholds(probs: tuple[float, float, float], action: str, policy: Policy) -> None:
    assert decide_probs(np.array(probs), policy) == action


def test_fit_learns_a_separable_toy_problem() -> None:
    rng = np.random.default_rng(0)
    centres = np.eye(3) * 4
    labels = np.repeat(np.arange(3), 20)
    features = centres[labels] + rng.normal(size=(60, 3))
    mean, scale, weights, bias = fit(features, labels, (1.0, 1.0, 2.0), iters=300)
    predicted = (((features - mean) / scale) @ weights + bias).argmax(1)
    assert (predicted == labels).mean() > 0.95


@pytest.mark.parametrize("text", ["dad bed", "mum chips", "uncle car", "the nurse put a needle in my hand"])
def test_word_soup_and_ward_talk_are_allowed(text: str, policy: Policy) -> None:
    assert decide(text, "child", policy).action == "allow"


def test_head_escalation_uses_the_neutral_reply(policy: Policy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head, "load_head", lambda: _Always("escalate"))
    v = decide("the owl has a worry", "child", policy)
    assert (v.action, v.layer, v.categories, v.reply) == (
        "escalate",
        "head",
        ["possible_risk"],
        policy.escalate_replies["worry"],
    )


def test_head_failure_fails_closed_but_rules_still_escalate(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[object]:
        raise RuntimeError("no weights")

    monkeypatch.setattr(head, "head_hits", broken)
    assert (check("let's go to the moon").action, check("let's go to the moon").rule) == (
        "redirect",
        "head-unavailable",
    )
    assert check("my dad hits me").action == "escalate"


class _Always:
    """A stand-in head that always gives one class all the probability."""

    def __init__(self, action: str) -> None:
        self.p = np.eye(3)[CLASSES.index(action)]

    def probs(self, embedding: np.ndarray, speaker: str) -> np.ndarray:
        """The fixed probabilities."""
        return self.p


def test_redirect_threshold_when_configured(policy: Policy) -> None:
    on = policy.model_copy(update={"head": policy.head.model_copy(update={"redirect": 0.98})})
    assert decide_probs(np.array((0.01, 0.05, 0.94)), on) == "redirect"
