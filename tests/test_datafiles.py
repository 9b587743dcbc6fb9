"""Every data file loads through datafiles.load_data: one schema each, one line naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from aistories.config import data_dir
from aistories.datafiles import load_data
from aistories.dialogue.lines import LinesFile, _load, fill, frame
from aistories.dialogue.turnctx import clash_question
from aistories.errors import DataFileError
from aistories.world.state import Contradiction


class Pet(BaseModel):
    name: str
    legs: int = 4


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".yaml", "name: Mo\nlegs: 3\n"),
        (".json", '{"name": "Mo", "legs": 3}'),
        (".toml", 'name = "Mo"\nlegs = 3\n'),
    ],
)
def test_reads_yaml_json_and_toml(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"pet{suffix}"
    path.write_text(text, encoding="utf-8")
    assert load_data(path, Pet) == Pet(name="Mo", legs=3)


def test_a_bad_field_is_one_line_naming_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "pet.yaml"
    path.write_text("name: Mo\nlegs: lots\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_data(path, Pet)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "'legs'" in message


@pytest.mark.parametrize("text", ["name: [unclosed\n", "\x00\xff"])
def test_broken_or_unreadable_files_are_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pet.yaml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(DataFileError) as err:
        load_data(path, Pet)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        load_data(tmp_path / "nope.yaml", Pet)


def test_lines_file_declares_every_placeholder_it_uses() -> None:
    groups = _load()
    assert {"openers", "closers", "answers", "clash"} <= set(groups)


def test_an_unknown_placeholder_is_an_error_that_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.yaml"
    path.write_text(
        "placeholders: {focus: the thing}\nopeners:\n  uptake:\n    all: ['{focus} ran', '{foccus} hid']\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_data(path, LinesFile)
    assert "openers.uptake.all[1]" in str(err.value) and "{foccus}" in str(err.value)


def test_the_shipped_lines_file_is_valid() -> None:
    assert load_data(data_dir("prompts") / "lines.yaml", LinesFile).placeholders["focus"]


def test_answer_frames_and_clash_questions_come_from_the_data_file() -> None:
    assert (
        frame("answers", "made_of").format(name="Zog", value="jelly", predicate="") == "Zog is made of jelly!"
    )
    for attribute in ("kind", "colour", "size"):
        question = clash_question(Contradiction("Mo", attribute, "red", "blue", "child", "child", 2))
        assert question.endswith("?") and "Mo" in question and "red" in question and "blue" in question


def test_fill_tidies_spacing() -> None:
    assert fill("Wow , {focus} !", {"focus": "Mo"}) == "Wow, Mo!"
