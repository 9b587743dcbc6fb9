"""The contract between one turn's extraction and its phrase readers (rules.py, predicates.py).

A reader gets the turn's words and this object: it may look things up, create or mention entities and
record facts, events and relations, and nothing else. extract.Extractor implements it; a new reader
needs only these members.
"""

from __future__ import annotations

from typing import Protocol

from .state import Entity


class Reading(Protocol):
    """What a phrase reader may use while one turn is read."""

    speaker: str  # 'child' or 'storyteller'
    aliases: dict[str, Entity]  # head noun -> entity: 'the dragon' finds Zog the dragon
    last: Entity | None  # the entity the sentence named last, for 'it' and 'he'
    private: set[str]  # names of real people the child mentioned: never kept
    turn: int  # the turn being read: an entity with this turn is new in it

    def known(self) -> list[Entity]:
        """Every entity the world has, this turn's new ones included."""
        ...

    def lookup(self, name: str) -> Entity | None:
        """A known entity by name."""
        ...

    def ensure(self, name: str, kind: str) -> Entity:
        """The entity with this name, created if new."""
        ...

    def previous(self, *, is_someone: bool, pronoun: str = "") -> Entity | None:
        """The one character or thing the child's latest turns were about (None when unsure)."""
        ...

    def mention(self, entity: Entity) -> None:
        """Note that the turn referred to an entity."""
        ...

    def fact(self, entity: Entity, attribute: str, value: str) -> None:
        """Record one attribute value."""
        ...

    def describe(self, entity: Entity, adjectives: list[str]) -> None:
        """Facts for adjectives said about an entity."""
        ...

    def event(self, subjects: list[Entity], past: str, rest: list[str], who: list[str]) -> None:
        """Record something that happened."""
        ...

    def rename(self, old: Entity, new: Entity) -> None:
        """The child gave a thing a (new) name: the new name carries what was said of the old one."""
        ...

    def relate(self, subject: Entity, predicate: str, obj: str) -> None:
        """Record a relation between two things."""
        ...
