"""Storybooks: the session as a child's book in self-contained HTML and in PDF."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from aistories.cli import cli
from aistories.export import ExportError
from aistories.export.storybook import Character, load_storybook, write_storybook

from .conftest import ALERTED, SAFEGUARDING, TYPED_NAME, Ward


class _Page(HTMLParser):
    """Text by element id, every tag seen, and every attribute that could fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetching: list[str] = []
        self.text: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.in_body = self.in_body or tag == "body"
        self.fetching += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "action")]

    def handle_data(self, data: str) -> None:
        if self.in_body and data.strip():
            self.text.append(data.strip())


def test_html_storybook_is_the_story_with_its_cast(ward: Ward, tmp_path: Path) -> None:
    out = tmp_path / "book.html"
    write_storybook(ward.store, ward.session, out, "html", title="The Get-Well Garden")
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    text = "\n".join(page.text)
    assert page.text[:3] == ["The Get-Well Garden", "A story by", TYPED_NAME]
    assert TYPED_NAME in text  # the family's book carries the child's chosen name
    assert "“a dragon called Pip,” said Zelda Quartermain." in page.text
    assert "Pip munched a fluffy cloud. Shall we go to the castle or the river?" in page.text
    assert SAFEGUARDING not in text and ALERTED not in text
    assert "Thank you for telling me" not in text  # the escalated turn's fixed reply too
    assert "“the castle,”" not in text  # a redirected turn keeps its reply, not the child's line
    assert "Pip, invented by Zelda Quartermain" in " ".join(page.text).replace(" ,", ",")
    assert "Old Owl" in text and "the hill" not in text  # characters only
    assert "“my email is [email],” said" in text and "example.com" not in text and "07700" not in text
    assert page.fetching == [] and not {"script", "link", "img", "iframe"} & set(page.tags)


def test_cast_says_who_invented_each_character(ward: Ward) -> None:
    book = load_storybook(ward.store, ward.session)
    assert book.cast == [Character("Old Owl", "the story world"), Character("Pip", TYPED_NAME)]
    assert book.title == "Get Well Garden"  # no title given: the world's name, tidied
    assert len(book.pages) == 5


def test_html_escapes_what_the_child_typed(ward: Ward, tmp_path: Path) -> None:
    ward.store.db["turns"].update(f"{ward.session}-t1", {"child_text": "<script>alert(1)</script>"})
    out = tmp_path / "book.html"
    write_storybook(ward.store, ward.session, out, "html")
    assert "<script>" not in out.read_text() and "&lt;script&gt;" in out.read_text()


def test_pdf_storybook_text_and_pages(ward: Ward, tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    write_storybook(ward.store, ward.session, out, "pdf", title="The Get-Well Garden")
    reader = pypdf.PdfReader(str(out))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 2  # title page, then the story and its cast
    for expected in (
        "The Get-Well Garden",
        f"A story by {TYPED_NAME}",
        "Pip munched a fluffy cloud",
        "Who is in this story",
        "Old Owl, invented by the story world",
    ):
        assert expected in text.replace("\n", " ")
    assert "SAFEGUARDCANARY" not in text and "ALERTEDCANARY" not in text


def test_cli_storybook_uses_the_world_title(ward: Ward, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    result = CliRunner().invoke(cli, ["--db", str(ward.path), "storybook", ward.session, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote 'The Get-Well Garden' (5 turns, 2 characters)")
    missing = CliRunner().invoke(cli, ["storybook", "nope", "--db", str(ward.path), "--out", str(out)])
    assert missing.exit_code == 1 and "No session nope" in missing.stderr


def test_unknown_session_is_an_export_error(ward: Ward, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_storybook(ward.store, "nope", tmp_path / "x.html", "html")
