"""Render prompts/*.j2 and record which template (and which bytes of it) made each prompt."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from ..config import data_dir


@dataclass(frozen=True)
class Rendered:
    """A rendered prompt and the template that made it."""

    text: str
    name: str
    sha256: str


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("prompts"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain text for a model, never HTML
    )


@cache
def template_sha256(name: str) -> str:
    """sha256 of the template file's bytes."""
    return hashlib.sha256((data_dir("prompts") / name).read_bytes()).hexdigest()


def render_prompt(name: str, **context: Any) -> Rendered:
    """Render one template with context."""
    text = _environment().get_template(name).render(**context).strip()
    return Rendered(text, name, template_sha256(name))
