"""Starter worlds: every shipped world loads; bad files name the field; `aistories worlds list|check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aistories.cli import cli
from aistories.errors import DataFileError
from aistories.world import WorldState, list_worlds, load_world
from aistories.world.worlds import read_world

GOOD = """\
name: {name}
title: A Test World
setting: A quiet meadow.
opening: Hello! Who shall we meet?
problem: The kite is stuck in a tree.
characters:
  - {{name: Dot, kind: a ladybird, traits: [kind], wants: to fly}}
vocabulary:
  "4-6": [kite]
"""


def test_at_least_seven_shipped_worlds_all_load_and_seed_a_state() -> None:
    names = list_worlds()
    assert len(names) >= 7 and "flying-beds-castle" in names
    for name in names:
        world = load_world(name)
        assert world.name == name and world.characters and world.opening.strip()
        assert set(world.vocabulary) == {"4-6", "7-9", "10-12"}
        assert WorldState.from_world(world).to_contract()["characters"]


@pytest.mark.parametrize(
    ("replace", "field"),
    [
        (("title: A Test World\n", ""), "title"),
        (("kind: a ladybird", "knd: a ladybird"), "characters.0.knd"),
        (("traits: [kind]", "traits: kind"), "characters.0.traits"),
        (('"4-6"', '"3-5"'), "vocabulary"),
        (("name: {name}", "name: Not A Slug"), "name"),
        (("name: {name}", "name: other-name"), "name"),
    ],
)
def test_bad_world_names_file_and_field(tmp_path: Path, replace: tuple[str, str], field: str) -> None:
    path = tmp_path / "meadow.yaml"
    path.write_text(GOOD.replace(*replace).format(name="meadow"), encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"meadow\.yaml: field '{field}'"):
        read_world(path)


def test_carer_world_in_user_dir_is_listed_and_checked(isolated_home: Path) -> None:
    (isolated_home / "worlds").mkdir(parents=True)
    (isolated_home / "worlds" / "meadow.yaml").write_text(GOOD.format(name="meadow"), encoding="utf-8")
    runner = CliRunner()
    listed = runner.invoke(cli, ["worlds", "list"])
    assert listed.exit_code == 0 and "meadow\tA Test World" in listed.output
    assert "flying-beds-castle\tThe Castle of Flying Beds" in listed.output
    checked = runner.invoke(cli, ["worlds", "check"])
    assert checked.exit_code == 0 and "ok\tmeadow" in checked.output


def test_check_a_bad_file_exits_1_with_one_line_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "meadow.yaml"
    path.write_text(GOOD.format(name="meadow").replace("problem: The kite is stuck in a tree.\n", ""))
    result = CliRunner().invoke(cli, ["worlds", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {path}: field 'problem': Field required."]


def test_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        read_world(path)
