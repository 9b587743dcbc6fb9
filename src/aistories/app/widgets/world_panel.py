"""The world panel: the cast, places and things made so far, and who made each one up."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

SECTIONS = (("characters", "Who is in it"), ("places", "Places"), ("objects", "Things"))
MADE_BY = {
    "child": "made up by you",
    "storyteller": "made up by the storyteller",
    "world": "from the story book",
}


def entry(item: dict[str, Any]) -> str:
    """'Zog, a purple dragon (made up by you)'."""
    name = str(item["name"])
    who = MADE_BY.get(str(item.get("source")), "in the story")
    kind = _bare(str(item.get("kind") or ""))
    if not kind or kind.lower() == _bare(name).lower():
        return f"• {name} ({who})"
    looks = [
        str(item[a]) for a in ("size", "colour") if item.get(a) and str(item[a]).lower() not in kind.lower()
    ]
    words = " ".join([*looks, kind])
    return f"• {name}, {'an' if words[:1].lower() in 'aeiou' else 'a'} {words} ({who})"


def _bare(phrase: str) -> str:
    """The phrase without a leading article: 'a shy T. rex' -> 'shy T. rex'."""
    first, _, rest = phrase.partition(" ")
    return rest if rest and first.lower() in ("a", "an", "the", "some") else phrase


class WorldPanel(VerticalScroll):
    """Set `world` (the `play --json` world shape) after every turn; the panel redraws."""

    world: reactive[dict[str, list[dict[str, Any]]]] = reactive(dict, always_update=True)

    def compose(self) -> ComposeResult:
        yield Static("Our story world", classes="panel-title")
        for kind, title in SECTIONS:
            yield Static(title, classes="section-title")
            yield Static("", id=f"world-{kind}", classes="section", markup=False)

    def watch_world(self, world: dict[str, list[dict[str, Any]]]) -> None:
        if not self.is_mounted:
            return
        for kind, _ in SECTIONS:
            items = world.get(kind, [])
            text = (
                "\n".join(entry(i) for i in items)
                if items
                else "Nobody yet"
                if kind == "characters"
                else "None yet"
            )
            self.query_one(f"#world-{kind}", Static).update(text)

    def on_mount(self) -> None:
        self.watch_world(self.world)

    def entries(self, kind: str) -> list[str]:
        """The lines shown for one kind, for tests and screen readers."""
        return [entry(i) for i in self.world.get(kind, [])]
