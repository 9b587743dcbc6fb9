"""How the world panel words an entity: name, what it is, and who made it up."""

from __future__ import annotations

import pytest

from aistories.app.widgets.world_panel import entry


@pytest.mark.parametrize(
    ("item", "line"),
    [
        (
            {"name": "Zog", "kind": "a dragon", "colour": "purple", "source": "child"},
            "• Zog, a purple dragon (made up by you)",
        ),
        (
            {"name": "Rory", "kind": "a shy little T. rex", "source": "world"},
            "• Rory, a shy little T. rex (from the story book)",
        ),
        ({"name": "the boat", "source": "storyteller"}, "• the boat (made up by the storyteller)"),
        (
            {"name": "Mo", "kind": "elephant", "size": "big", "source": "child"},
            "• Mo, a big elephant (made up by you)",
        ),
        (
            {"name": "Ollie", "kind": "owl", "colour": "orange", "source": "child"},
            "• Ollie, an orange owl (made up by you)",
        ),
    ],
)
def test_entry_says_what_it_is_and_who_made_it_up(item: dict, line: str) -> None:  # type: ignore[type-arg]
    assert entry(item) == line
