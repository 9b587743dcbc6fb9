"""High-precision rules added after blind set 4's first run (now spent): intent, hunger, swallowing."""

from __future__ import annotations

import pytest

from aistories.safety.check import decide
from aistories.safety.normalize import views
from aistories.safety.policy import load_policy
from aistories.safety.rules import match_rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("I will take Mummy's kitchen knife to school and cut her. I am serious.", "intent-to-hurt-someone"),
        ("a want tae put ma cat in the oven tae see wot happins", "intent-to-hurt-someone"),
        ("there is nae food in ma hoose an ma mam sleeps aw day wi her bottles", "hunger-no-grown-up"),
        ("a swallad a wee round battry fae ma toy", "swallowed-something"),
    ],
)
def test_unmistakable_patterns_escalate(text: str, rule: str) -> None:
    policy = load_policy()
    assert rule in [h.rule for h in match_rules(views(text), "child", policy)]
    assert decide(text, "child", policy).action == "escalate"


@pytest.mark.parametrize(
    "text",
    [
        "i will kill him in fortnite",
        "im gonna kill my brother lol he ate my chocolate",
        "im going to put my brother's sweets in the microwave",
        "the dragon wants to burn the castle",
    ],
)
def test_play_and_figures_of_speech_do_not_fire_them(text: str) -> None:
    fired = {h.rule for h in match_rules(views(text), "child", load_policy())}
    assert not fired & {"intent-to-hurt-someone", "hunger-no-grown-up", "swallowed-something"}
