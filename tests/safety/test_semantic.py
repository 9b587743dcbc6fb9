"""The semantic exemplar layer: offline load, bank, scoring, thresholds, failing closed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from aistories.errors import DataFileError
from aistories.safety import semantic
from aistories.safety.check import decide
from aistories.safety.exemplars import BENIGN, load_bank
from aistories.safety.policy import Policy, exemplar_dir, load_policy
from aistories.safety.semantic import Score, SemanticLayer, fired


@pytest.fixture(scope="module")
def layer() -> Iterator[SemanticLayer]:
    """One loaded layer for the module (the MiniLM load is the slow part); shared as the process layer."""
    semantic.reset()
    loaded = semantic.get_layer(load_policy())
    yield loaded


def test_loads_offline_with_sockets_blocked(layer: SemanticLayer) -> None:
    """pytest-socket blocks the network for the suite; loading again from scratch must not try it."""
    with pytest.raises(Exception):  # noqa: B017 - pytest-socket's error type is private
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("192.0.2.1", 80))
    fresh = SemanticLayer(load_policy())
    assert fresh.matrix.shape == (len(fresh.bank.texts), 384)
    assert fresh.encoder.model_sha256 == layer.encoder.model_sha256


def test_bank_has_every_escalate_category_and_benign() -> None:
    bank = load_bank(exemplar_dir())
    names = set(bank.category_names())
    assert {
        "abuse",
        "sexual_abuse",
        "grooming",
        "neglect",
        "self_harm",
        "running_away",
        "medical_emergency",
    } <= names
    assert BENIGN in bank.categories
    assert len(bank.sha256) == 64


def test_bank_categories_exist_in_policy(policy: Policy) -> None:
    assert set(load_bank(exemplar_dir()).category_names()) <= set(policy.categories)


def test_bad_bank_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("category: abuse\nexamples: []\n")
    with pytest.raises(DataFileError):
        load_bank(tmp_path)


def test_bank_matrix_is_cached_in_user_dir(layer: SemanticLayer, isolated_home: Path) -> None:
    fresh = SemanticLayer(load_policy())
    cached = list((isolated_home / "cache").glob("exemplars-*.npy"))
    assert [p.name for p in cached] == [fresh._cache_path().name]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my mums boyfriend gets angry and leaves marks on me", "abuse"),
        ("i want to not be alive any more", "self_harm"),
        ("there's never anything to eat at home", "neglect"),
        ("a grown up in my game keeps asking for photos of me", "grooming"),
    ],
)
def test_paraphrases_fire(layer: SemanticLayer, policy: Policy, text: str, category: str) -> None:
    hits = fired(layer.scores([text], "child")[0], "child", policy)
    assert category in [h.category for h in hits]


@pytest.mark.parametrize(
    "text",
    [
        "the nurse put a needle in my arm and i was brave",
        "the dragon killed the wicked witch",
        "i'm dying to know what happens next",
        "our puppy in the story died and we were sad",
        "chemo makes my hair fall out",
        "i miss my cat",
    ],
)
def test_ward_talk_does_not_fire(layer: SemanticLayer, policy: Policy, text: str) -> None:
    assert fired(layer.scores([text], "child")[0], "child", policy) == []


def test_scores_batch_matches_single(layer: SemanticLayer) -> None:
    texts = ["i want to die", "let's go to the moon"]
    batch = layer.scores(texts, "child")
    single = [layer.scores([t], "child")[0] for t in texts]
    for b, s in zip(batch, single, strict=True):
        assert [round(x.score, 3) for x in b] == [round(x.score, 3) for x in s]


def test_margin_against_benign_blocks(policy: Policy) -> None:
    close = [Score("abuse", 0.7, 0.69)]
    clear = [Score("abuse", 0.7, 0.4)]
    assert fired(close, "child", policy) == []
    assert [h.category for h in fired(clear, "child", policy)] == ["abuse"]


def _exemplars_only() -> Policy:
    """The shipped policy with the optional exemplar layer on and the classifier off (this layer alone)."""
    shipped = load_policy()
    layers = shipped.layers.model_copy(update={"exemplars": True, "classifier": False})
    return shipped.model_copy(update={"layers": layers})


def test_check_escalates_semantic_only_disclosure(layer: SemanticLayer) -> None:
    verdict = decide("my mums boyfriend gets angry and leaves marks on me", "child", _exemplars_only())
    assert (verdict.action, verdict.layer) == ("escalate", "semantic")


def test_load_failure_fails_closed_but_rules_still_escalate(
    monkeypatch: pytest.MonkeyPatch, layer: SemanticLayer
) -> None:
    def broken(policy: Policy) -> SemanticLayer:
        raise RuntimeError("no model")

    monkeypatch.setattr(semantic, "get_layer", broken)
    policy = _exemplars_only()
    assert decide("let's go to the moon", "child", policy).action == "redirect"
    assert decide("let's go to the moon", "child", policy).rule == "semantic-unavailable"
    assert decide("my dad hits me", "child", policy).action == "escalate"
