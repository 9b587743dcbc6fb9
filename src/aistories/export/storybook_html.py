"""The storybook as one self-contained HTML file: inline CSS, no scripts, fonts or requests."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .storybook import Storybook

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html", "j2"])
)


def render_html(book: Storybook) -> str:
    """The book as HTML (every text escaped)."""
    return _ENV.get_template("storybook.html.j2").render(book=book)
