"""WorldState: the contract shape, versions with provenance, contradictions as questions."""

from __future__ import annotations

import pytest

from aistories.world import Contradiction, Entity, Event, Fact, Relation, WorldDiff, WorldState


def test_starter_world_contract_keeps_its_shape(castle: WorldState) -> None:
    contract = castle.to_contract()
    assert set(contract) == {"characters", "places", "objects", "events"}
    assert [c["name"] for c in contract["characters"]] == ["Pip", "Hoot"]
    assert contract["characters"][0] == {
        "name": "Pip",
        "kind": "a brave little bed",
        "traits": ["bouncy", "curious"],
        "wants": "to fly higher than the moon",
        "source": "world",
        "turn": 0,
    }
    assert [p["name"] for p in contract["places"]] == ["the Tower of Pillows", "the Star Harbour"]
    assert contract["events"] == []


def test_add_is_idempotent_by_kind_and_name(castle: WorldState) -> None:
    assert castle.add(Entity("pip", "characters")) is False
    assert castle.add(Entity("Mo", "characters", {}, "child", 2)) is True
    assert [e.name for e in castle.of_kind("characters")] == ["Pip", "Hoot", "Mo"]


def test_events_in_contract_have_a_name(castle: WorldState) -> None:
    castle.apply(
        WorldDiff(events=[Event("Pip flew to the moon", "Pip flew to the moon", "child", 3, ["Pip"])])
    )
    (event,) = castle.to_contract()["events"]
    assert event["name"] == "Pip flew to the moon"
    assert (event["source"], event["turn"], event["who"]) == ("child", 3, ["Pip"])


def _colour(value: str, source: str, turn: int) -> WorldDiff:
    return WorldDiff(facts=[Fact("Pip", "characters", "colour", value, source, turn)])


def test_a_changed_colour_is_a_new_version_and_a_playful_question(castle: WorldState) -> None:
    assert castle.apply(_colour("blue", "child", 2)) == []
    clashes = castle.apply(_colour("red", "child", 5))
    assert clashes == [Contradiction("Pip", "colour", "blue", "red", "child", "child", 5)]
    assert [(f.value, f.version, f.source, f.turn) for f in castle.history("Pip", "colour")] == [
        ("blue", 1, "child", 2),
        ("red", 2, "child", 5),
    ]
    assert castle.find("pip").attributes["colour"] == "red"  # type: ignore[union-attr]


@pytest.mark.parametrize("attribute", ["kind", "colour", "size", "mood", "wants"])
def test_the_storyteller_never_replaces_what_the_child_said(castle: WorldState, attribute: str) -> None:
    castle.apply(WorldDiff(entities=[Entity("Zog", "characters", {}, "child", 1)]))
    castle.apply(WorldDiff(facts=[Fact("Zog", "characters", attribute, "a dragon", "child", 1)]))
    diff = WorldDiff(facts=[Fact("Zog", "characters", attribute, "a door", "storyteller", 1)])
    assert castle.apply(diff) == [] and diff.facts == []
    assert castle.find("Zog").attributes[attribute] == "a dragon"  # type: ignore[union-attr]
    assert [(f.value, f.source) for f in castle.history("Zog", attribute)] == [("a dragon", "child")]


def test_the_storyteller_keeps_world_file_facts_and_fills_empty_ones(castle: WorldState) -> None:
    diff = WorldDiff(
        facts=[
            Fact("Pip", "characters", "kind", "a door", "storyteller", 2),
            Fact("Pip", "characters", "colour", "gold", "storyteller", 2),
        ]
    )
    castle.apply(diff)
    pip = castle.find("Pip")
    assert pip is not None
    assert (pip.attributes["kind"], pip.attributes["colour"]) == ("a brave little bed", "gold")
    castle.apply(_colour("silver", "storyteller", 3))  # the storyteller may change its own detail
    castle.apply(_colour("blue", "child", 4))  # and the child may change anything
    assert [(f.value, f.source) for f in castle.history("Pip", "colour")] == [
        ("gold", "storyteller"),
        ("silver", "storyteller"),
        ("blue", "child"),
    ]


def test_saying_the_same_thing_again_adds_no_version(castle: WorldState) -> None:
    castle.apply(_colour("blue", "child", 2))
    diff = _colour("Blue", "storyteller", 3)
    assert castle.apply(diff) == []
    assert diff.facts == [] and len(castle.history("Pip", "colour")) == 1


def test_moods_and_wants_change_without_contradiction(castle: WorldState) -> None:
    diff = WorldDiff(
        facts=[
            Fact("Hoot", "characters", "mood", "sleepy", "child", 1),
            Fact("Hoot", "characters", "mood", "happy", "child", 2),
            Fact("Hoot", "characters", "wants", "a nap", "child", 2),
        ]
    )
    assert castle.apply(diff) == []
    assert castle.find("Hoot").attributes["mood"] == "happy"  # type: ignore[union-attr]


def test_kind_with_same_head_noun_is_not_a_clash_but_another_is(castle: WorldState) -> None:
    same = WorldDiff(facts=[Fact("Pip", "characters", "kind", "a bed", "child", 1)])
    assert castle.apply(same) == [] and same.facts == []
    clash = castle.apply(WorldDiff(facts=[Fact("Pip", "characters", "kind", "a dragon", "child", 2)]))
    assert [(c.attribute, c.old, c.new, c.old_source) for c in clash] == [
        ("kind", "a brave little bed", "a dragon", "world")
    ]


def test_traits_accumulate_and_relations_dedupe(castle: WorldState) -> None:
    castle.apply(
        WorldDiff(
            facts=[
                Fact("Pip", "characters", "traits", "sleepy", "child", 1),
                Fact("Pip", "characters", "traits", "bouncy", "child", 1),
            ],
            relations=[Relation("Pip", "friend of", "Hoot"), Relation("pip", "friend of", "hoot")],
        )
    )
    assert castle.find("Pip").attributes["traits"] == ["bouncy", "curious", "sleepy"]  # type: ignore[union-attr]
    assert len(castle.relations) == 1


def test_apply_fills_touched_and_ignores_facts_for_unknown_entities() -> None:
    state = WorldState()
    diff = WorldDiff(
        entities=[Entity("Mo", "characters", {}, "child", 1)],
        facts=[
            Fact("Mo", "characters", "mood", "hungry", "child", 1),
            Fact("Ghost", "characters", "mood", "sad", "child", 1),
        ],
    )
    state.apply(diff)
    assert [e.name for e in diff.touched] == ["Mo"]
    assert [f.entity for f in diff.facts] == ["Mo"]
    assert state.find("Mo").id  # type: ignore[union-attr]


def test_the_child_changing_a_storyteller_detail_is_no_clash(castle: WorldState) -> None:
    castle.apply(WorldDiff(entities=[Entity("Pebble", "characters", {}, "child", 1)]))
    castle.apply(WorldDiff(facts=[Fact("Pebble", "characters", "size", "little", "storyteller", 1)]))
    clashes = castle.apply(WorldDiff(facts=[Fact("Pebble", "characters", "size", "tiny", "child", 2)]))
    assert clashes == [] and castle.find("Pebble").attributes["size"] == "tiny"  # type: ignore[union-attr]
