"""Normalisation: tricks undone, ordinary text kept, never crashes, never invents a disclosure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aistories.safety.check import decide
from aistories.safety.normalize import Views, fold, normalize, views
from aistories.safety.policy import load_policy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I want to K I L L myself", "i want to kill myself"),
        ("k1ll mys3lf", "kill myself"),
        ("killllll", "kill"),
        ("my dad h.i.t.s me", "my dad hits me"),
        ("mу dаd hіts mе", "my dad hits me"),  # Cyrillic look-alikes
        ("ＦＵＣＫ", "fuck"),  # fullwidth
        ("s\u200be\u200bx", "sex"),  # zero-width joiners
        ("kïll", "kill"),
        ("🔪 him", "knife him"),
        ("I am 7 and 9 3/4", "i am 7 and 9 3 4"),  # numbers are not leetspeak
        ("the nurse put a needle in", "the nurse put a needle in"),
    ],
)
def test_normalize_undoes_tricks(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_views_keep_each_form() -> None:
    assert views("I wanna diiiiie!!") == Views(
        plain="i wanna diie!!",
        folded="i wanna diie!!",
        single="i wanna die!!",
        compact="iwannadiie",
        spelled="i wanna diie!!",
    )


def test_the_spelled_view_reads_dialect_and_phonetic_spelling_as_standard_words() -> None:
    assert views("ma maws boyfrien burnt ma arm wi his cigarette").spelled == (
        "my mum's boyfriend burnt my arm with his cigarette"
    )
    assert views("i swalod a batry").spelled == "i swallowed a battery"
    assert views("a dragon called Brave").spelled == "a dragon called brave"  # only listed words change


def test_fold_is_lowercase_nfkc() -> None:
    assert fold("Ｃafé") == "cafe"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_views_never_crash(text: str) -> None:
    v = views(text)
    assert all(isinstance(x, str) for x in (v.plain, v.folded, v.single, v.compact))


BENIGN_WORDS = [
    "the",
    "dragon",
    "nurse",
    "needle",
    "blood",
    "test",
    "chemo",
    "drip",
    "castle",
    "flew",
    "over",
    "sad",
    "happy",
    "poo",
    "fart",
    "monster",
    "fight",
    "sword",
    "knight",
    "my",
    "mum",
    "dad",
    "brother",
    "is",
    "a",
    "big",
    "red",
    "hat",
    "boat",
    "sea",
    "went",
    "home",
    "scared",
    "operation",
    "tomorrow",
    "and",
    "then",
    "cat",
    "dog",
    "story",
    "we",
    "play",
    "game",
    "tired",
    "bored",
    "hospital",
    "bed",
    "food",
    "yucky",
]
_SHIPPED = load_policy()
NOISE = st.sampled_from(
    ["", " ", "  ", ".", "!", "?", "😀", "🐉", "💩", "3", "0", "-", "_", "*", "\u200b", "’"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(BENIGN_WORDS), NOISE), min_size=1, max_size=12))
def test_normalisation_never_turns_benign_text_into_a_disclosure(parts: list[tuple[str, str]]) -> None:
    # Normalisation, the rules and the shipped classifier: ordinary ward words in any order never escalate.
    text = " ".join(word + noise for word, noise in parts)
    assert decide(text, "child", _SHIPPED).action != "escalate"
