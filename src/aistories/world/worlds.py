"""Starter worlds: YAML files in story_worlds/ (shipped) and $AISTORIES_HOME/worlds/ (a carer's own)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..config import AGE_BANDS, data_dir, user_dir
from ..datafiles import load_data
from ..errors import DataFileError

Text = Field(min_length=1, max_length=400)


class Seed(BaseModel):
    """A character, place or object a world starts with."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    kind: str = ""
    traits: list[str] = []
    wants: str = ""


class StoryWorld(BaseModel):
    """One starter world, validated at load."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1, max_length=80)
    setting: str = Text
    opening: str = Text
    problem: str = Text  # a gentle problem: something lost, stuck or sad, never danger or harm
    characters: list[Seed] = Field(min_length=1, max_length=8)
    places: list[Seed] = []
    objects: list[Seed] = []
    vocabulary: dict[str, list[str]] = {}  # hint words by age band: "4-6", "7-9", "10-12"
    tags: list[str] = []

    @field_validator("vocabulary")
    @classmethod
    def _age_bands(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        bad = [k for k in value if k not in AGE_BANDS]
        if bad:
            raise ValueError(f"unknown age band {bad[0]!r}; use {', '.join(AGE_BANDS)}")
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> StoryWorld:
        names = [s.name.lower() for s in (*self.characters, *self.places, *self.objects)]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"name {dupes[0]!r} is used twice")
        return self


def world_dirs() -> list[Path]:
    """Where worlds are looked for, shipped first so a carer's file of the same name wins."""
    return [data_dir("story_worlds"), user_dir() / "worlds"]


def read_world(path: Path) -> StoryWorld:
    """Load and validate one world file; the error names the file and the bad field."""
    world = load_data(path, StoryWorld)
    if world.name != path.stem:
        raise DataFileError(f"{path}: field 'name': {world.name!r} must match the file name {path.stem!r}.")
    return world


def list_worlds() -> dict[str, Path]:
    """World name -> file."""
    found: dict[str, Path] = {}
    for folder in world_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                found[path.stem] = path
    return found


def load_world(name: str) -> StoryWorld:
    """A world by name, or a clear error listing the names there are."""
    worlds = list_worlds()
    if name not in worlds:
        raise DataFileError(f"Unknown world {name!r}. Known worlds: {', '.join(sorted(worlds))}.")
    return read_world(worlds[name])


def invented_world(base: StoryWorld, theme: str, *, title: str, setting: str, problem: str) -> StoryWorld:
    """The child's own story, asked for instead of the starter: no starter cast, places or problem.

    It keeps the starter's name, so the story is still stored under the world the child picked.
    """
    return base.model_copy(
        update={
            "title": title,
            "setting": setting,
            "problem": problem,
            "characters": [],
            "places": [],
            "objects": [],
            "vocabulary": {},
            "tags": [theme],
        }
    )
