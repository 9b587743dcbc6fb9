"""The open noun list (lexicon/nouns.txt): its build, its checksum and what the rules do with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aistories.errors import DataFileError
from aistories.world import WorldState, load_world, nouns
from aistories.world.extract import extract

ROOT = Path(__file__).resolve().parents[2]


def _new_names(*lines: str) -> list[str]:
    state = WorldState.from_world(load_world("flying-beds-castle"))
    names: list[str] = []
    for i, line in enumerate(lines, start=1):
        diff = extract(line, "child", i, state)
        state.apply(diff)
        names += [e.name for e in diff.entities]
    return names


def test_forms_map_to_their_lemma_and_abstract_words_are_left_out() -> None:
    assert nouns.thing("coolers") == "cooler"
    assert nouns.thing("legs") is None  # the child's own body is never a story thing
    assert nouns.thing("zamboni") == "zamboni"  # from lexicon/more_things.txt
    assert [nouns.thing(w) for w in ("time", "way", "song", "lot", "back")] == [None] * 5


def test_the_build_script_rebuilds_the_committed_file(tmp_path: Path) -> None:
    committed = (ROOT / "lexicon" / "nouns.txt").read_bytes()
    script = str(ROOT / "scripts" / "build_nouns.py")
    code = f"import runpy; print(runpy.run_path({script!r})['build']())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=tmp_path)
    assert out.stdout.decode("utf-8") == committed.decode("utf-8") + "\n"


def test_an_altered_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    text = (ROOT / "lexicon" / "nouns.txt").read_text(encoding="utf-8")
    (folder / "nouns.txt").write_text(text.replace("\ncooler ", "\ncoooler "), encoding="utf-8")
    monkeypatch.setattr(nouns, "data_dir", lambda name: tmp_path / name)
    nouns._table.cache_clear()
    try:
        with pytest.raises(DataFileError, match="sha256"):
            nouns.thing("cooler")
    finally:
        nouns._table.cache_clear()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a thing introduced with what it is made of is named as the child goes on to call it
        (["they escape on a jetski made out of an old fridge"], ["the fridge jetski"]),
        (["he lives in a gaff made of mushrooms"], ["the mushroom gaff"]),
        (["taco tom has a sword made of cheese"], ["the cheese sword"]),
        (["a castle made of the stuff from the moon"], ["the castle", "the moon"]),
        # what someone has is a thing in the story (blind sets 7-8 mark them: the water pistol, the cooler)
        (["he has a water pistol"], ["the water pistol"]),
        (
            ["a pirate called Dave has got a cooler", "he hides in the sugar bowl"],
            ["Dave", "the cooler", "the sugar bowl"],
        ),
        (["she puts the pot upside down"], ["the pot"]),
        (["the crown win the race"], ["the crown", "the race"]),  # not 'the crown win'
        (["they drive to the mud pit"], ["the mud pit"]),
        (["The whale sang a song about the time it was lost"], ["the whale"]),
    ],
)
def test_things_beyond_the_lexicon_join_the_world(lines: list[str], expected: list[str]) -> None:
    assert _new_names(*lines) == expected


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("his frend is a stegasorus caled stinky sid", "Stinky Sid"),
        ("she plays for a team called the black country bulldozers", "The Black Country Bulldozers"),
        ("the octopus is called mrs ten minus two lol", "Mrs Ten Minus Two"),
        ("a robot called beep boop who likes toast", "Beep Boop"),
        ("a dog called bob runs to the park", "Bob"),  # the name does not run to the clause's end
        ("a dragon called zog flies home", "Zog"),  # 'flies' is a verb
        ("a cat called mo and he is blue", "Mo"),
    ],
)
def test_a_lower_case_name_is_read_to_the_end_of_its_clause(line: str, name: str) -> None:
    assert _new_names(line)[0] == name


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("farmer bob drivs it", ["Farmer Bob"]),  # a lower-case third word only at the clause's end
        ("pirate pete has a parrot", ["Pirate Pete", "the parrot"]),
        ("the pirate has a hat", ["the pirate", "the hat"]),  # a role, not a name
        ("nurse jo gave me my medicine", ["the medicine"]),  # a real nurse is never a story character
    ],
)
def test_role_titles_start_names(line: str, names: list[str]) -> None:
    assert _new_names(line) == names
