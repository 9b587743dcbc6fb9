"""PII detection and the fail-closed redactor."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aistories.safety import pii, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my email is sam.smith@gmail.com", "my email is [email]"),
        ("call 07700 900123 ok", "call [phone] ok"),
        ("phone +44 20 7946 0958", "phone [phone]"),
        ("I live at 12 Acacia Avenue, LS1 4AB", "I live at [address], [postcode]"),
        ("I go to St Mary's Primary School", "I go to [school]"),
        ("my teacher is Sarah Jones", "my teacher is [name]"),
        ("my surname is Okafor", "my surname is [name]"),
        ("a dragon called Pip Wobble", "a dragon called Pip Wobble"),
        ("the Magic Dragon School", "the Magic Dragon School"),
        ("I am 7 and 3/4", "I am 7 and 3/4"),
        ("Once upon a time a dragon found a hat.", "Once upon a time a dragon found a hat."),
        ("ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email]"),
        # issue 8: names, schools, towns and streets as children type them (lower case, no capitals)
        ("my name is amy leigh and i go to st marys primary", "my name is [name] and i go to [school]"),
        ("ma name is kayden mcallister", "ma name is [name]"),
        ("my teacher is mrs okafor she is nice", "my teacher is [name] she is nice"),
        ("my best friend Aisha Khan lives on Narborough Road", "my best friend [name] lives on [address]"),
        ("i live in leeds on ashgrove road", "i live in [place] on [address]"),
        ("we live near the hospital", "we live near the hospital"),
        ("send it to 1418 Bluebonnet Lane, Lubbock TX 79416", "send it to [address], [address]"),
        ("my username is dragonboy99", "my username is [login]"),
        # ordinary talk stays as it is
        ("im running away from the dragon", "im running away from the dragon"),
        ("the whole school clapped", "the whole school clapped"),
        ("how do u get high off sweets", "how do u get high off sweets"),
        ("the lads on our road play football", "the lads on our road play football"),
        ("call me captain fizz", "call me captain fizz"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_kinds_in_order() -> None:
    assert pii.pii_kinds("my name is Tom Baker, email tom@x.org, 07700 900123") == ["name", "email", "phone"]


def test_redactor_fails_closed_on_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> list[tuple[str, int, int]]:
        raise RuntimeError("regex engine on fire")

    monkeypatch.setattr(pii, "find_pii", broken)
    assert redact("my email is sam@x.org") == pii.MASK * 8


def test_redactor_fails_closed_on_wrong_type() -> None:
    assert redact(None) == pii.MASK * 8  # type: ignore[arg-type]


def _ungated(text: str) -> list[tuple[str, int, int]]:
    prepared = pii._prepare(text)
    spans = []
    for kind, pattern, _gate in pii._KINDS:
        for m in pattern.finditer(prepared):
            start, end = (m.start(1), m.end(1)) if pattern.groups else (m.start(), m.end())
            if kind == "school" and pii._is_story_school(m.group(0)):
                continue
            spans.append((kind, start, end))
    return sorted(spans, key=lambda s: s[1])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "my name is amy leigh | I live in Leeds | St Mary's Primary | 07700 900123 | mo@x.com | on ash"
            " road | Mr Patel | my teacher is Sarah Jones | CV1 2AB | username is kat99 | the | a dragon |"
            " Lubbock TX 79416 | im from | called | Ｍr | ＠ | 12 Elm Close".split("|")
        ),
        max_size=6,
    ).map(" ".join)
)
def test_the_cheap_gates_never_hide_a_detail(text: str) -> None:
    """Each pattern's gate is a condition every match of it needs: gated and ungated finds agree."""
    assert pii.find_pii(text) == _ungated(text)
