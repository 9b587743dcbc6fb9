"""`aistories eval ...`: measurement commands (safety here; story quality joins later)."""

from __future__ import annotations

import click


@click.group(name="eval")
def eval_group() -> None:
    """Measure parts of the system on labelled data."""


def _register() -> None:
    from .eval_safety import safety_eval
    from .eval_story import story_eval

    eval_group.add_command(safety_eval)
    eval_group.add_command(story_eval)


_register()
