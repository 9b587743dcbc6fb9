"""One way to read a data file: YAML, JSON or TOML, validated against a schema, or one clear line.

    world = load_data(path, StoryWorld)        # any pydantic model, or a type such as list[Rule]

Worlds, the model registry, the safety policy and its rules, the exemplar bank, the storyteller's lines
and config.toml all load through here, so a carer who mistypes a field gets the same kind of message
everywhere: the file, the field and what is wrong ("story_worlds/x.yaml: field 'cast.0.name': Field
required."), never a traceback.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError

from .errors import DataFileError

T = TypeVar("T")


def read_raw(path: Path) -> Any:
    """The parsed contents of a YAML (default), JSON or TOML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc}).") from exc
    try:
        if path.suffix == ".json":
            return json.loads(text)
        if path.suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        kind = {".json": "JSON", ".toml": "TOML"}.get(path.suffix, "YAML")
        raise DataFileError(f"{path}: not valid {kind} ({str(exc).splitlines()[0]}).") from exc


def validate(path: Path, data: Any, schema: type[T]) -> T:
    """Data already read from `path`, checked against a schema; the error names the file and field."""
    try:
        return TypeAdapter(schema).validate_python(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise DataFileError(f"{path}: {describe(exc)}.") from exc


def describe(exc: ValidationError) -> str:
    """The first problem of a validation error as 'field 'a.b': message'."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    return f"field {where!r}: {err['msg']}"


def load_data(path: Path, schema: type[T]) -> T:
    """Read and validate one data file."""
    return validate(path, read_raw(path), schema)
