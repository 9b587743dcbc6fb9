"""World state: the characters, places, objects, events and relations of one child's story.

Every fact carries provenance (who said it, on which turn). Attributes never get overwritten silently:
each change is a new `Fact` version, and a change that clashes with what was said before (the dragon
was blue, now it is red) comes back from `WorldState.apply` as a `Contradiction`, which the dialogue
layer turns into a playful question ("Did Zog change colour by magic?") — never an error.

    state = WorldState.from_world(load_world("flying-beds-castle"))
    diff = extract("a cat called mo, she is hungry", "child", turn=3, state=state)
    clashes = state.apply(diff)      # mutates state; fills diff.touched and fact versions
    state.to_contract()              # {"characters", "places", "objects", "events"}
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..store import new_id
from .worlds import StoryWorld

log = logging.getLogger(__name__)

KINDS = ("characters", "places", "objects")
SOURCES = ("world", "child", "storyteller")
# Attributes holding one value at a time: a different new value is a version, and for some a contradiction.
SINGLE_VALUED = ("kind", "colour", "size", "mood", "wants")
# A change of these is a clash worth asking about; moods and wants change as a story goes on.
CLASHING = ("kind", "colour", "size")
# Things a character likes, eats, hates, fears or has: many at once ('likes cake and jam').
LIST_VALUED = ("traits", "likes", "eats", "hates", "fears", "has")
# The child is the author: what the child (or the carer's world file) said is never replaced as the
# current value by something the storyteller said; the storyteller only fills what nobody has set.
AUTHORS = ("child", "world")
REFERRED_TURNS = 4  # how far back a pronoun may look for the one character it can mean


@dataclass
class Entity:
    """A named thing in the story, with where it came from."""

    name: str
    kind: str  # one of KINDS
    attributes: dict[str, Any] = field(default_factory=dict)
    source: str = "world"  # world | child | storyteller
    turn: int = 0
    id: str = ""
    # Storage bookkeeping (kept so an upsert does not lose when and where the entity first appeared).
    turn_id: str | None = field(default=None, compare=False, repr=False)
    created_utc: str = field(default="", compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        """(kind, lower-case name): how the state indexes entities."""
        return (self.kind, self.name.lower())

    def to_contract(self) -> dict[str, Any]:
        """The shape `play --json` prints."""
        return {"name": self.name, **self.attributes, "source": self.source, "turn": self.turn}


@dataclass
class Fact:
    """One attribute value of one entity, as said on one turn: the unit of history and provenance."""

    entity: str  # entity name
    kind: str  # entity kind (characters, places, objects)
    attribute: str  # kind, colour, size, mood, wants, traits, ...
    value: str
    source: str = "child"
    turn: int = 0
    version: int = 1  # 1 + the number of earlier values of this attribute (set by apply)
    id: str = ""

    def describe(self) -> str:
        """A short human line, e.g. 'Zog colour: red (child, turn 4)'."""
        return f"{self.entity} {self.attribute}: {self.value} ({self.source}, turn {self.turn})"


@dataclass
class Event:
    """Something that happened in the story; `name` is a short label, `text` the fuller sentence."""

    name: str
    text: str
    source: str = "child"
    turn: int = 0
    who: list[str] = field(default_factory=list)
    id: str = ""

    def to_contract(self) -> dict[str, Any]:
        """The shape `play --json` prints."""
        return {
            "name": self.name,
            "text": self.text,
            "who": list(self.who),
            "source": self.source,
            "turn": self.turn,
        }


@dataclass
class Relation:
    """A link between two things: ('Mo', 'friend of', 'Pip'), ('Mo', 'lives in', 'the volcano')."""

    subject: str
    predicate: str
    object: str
    source: str = "child"
    turn: int = 0
    id: str = ""


@dataclass
class Contradiction:
    """A new value that clashes with an earlier one; both are kept, and the child gets to choose."""

    entity: str
    attribute: str
    old: str
    new: str
    old_source: str
    new_source: str
    turn: int


@dataclass
class WorldDiff:
    """What one turn adds: new entities, facts, events, relations. `apply` fills in `touched`."""

    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)  # names of known entities this turn mentioned
    touched: list[Entity] = field(default_factory=list)  # state entities created or changed by apply
    contradictions: list[Contradiction] = field(default_factory=list)
    speaker: str = ""  # who said the turn
    referred: list[str] = field(default_factory=list)  # every entity the turn referred to, in order


@dataclass
class WorldState:
    """Everything the story has established so far."""

    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # every value said during play, in order
    relations: list[Relation] = field(default_factory=list)
    # What the child's recent turns (this session) referred to, newest last, so 'she is blue' finds Mo.
    referred_turns: list[list[str]] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def from_world(cls, world: StoryWorld) -> WorldState:
        """The state a starter world begins with (facts from the file are implicit: source 'world')."""
        state = cls()
        for kind in KINDS:
            for seed in getattr(world, kind):
                attrs: dict[str, Any] = {}
                if seed.kind and seed.kind not in ("place", "object"):
                    attrs["kind"] = seed.kind
                if seed.traits:
                    attrs["traits"] = list(seed.traits)
                if seed.wants:
                    attrs["wants"] = seed.wants
                state.add(Entity(seed.name, kind, attrs, source="world"))
        return state

    def drop_world_seeds(self) -> int:
        """Forget what the starter world brought (the child asked for another story); how many went."""
        seeds = [k for k, e in self.entities.items() if e.source == "world"]
        for key in seeds:
            del self.entities[key]
        return len(seeds)

    def add(self, entity: Entity) -> bool:
        """Add an entity unless one of that kind and name exists; True if it was new."""
        if entity.key in self.entities:
            return False
        if not entity.id:
            entity.id = new_id()
        self.entities[entity.key] = entity
        return True

    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind, in insertion order."""
        return [e for e in self.entities.values() if e.kind == kind]

    def find(self, name: str) -> Entity | None:
        """The entity with this name (any kind, case-insensitive), if any."""
        low = name.lower()
        for kind in KINDS:
            if (kind, low) in self.entities:
                return self.entities[(kind, low)]
        return None

    def newest(self, entity: Entity) -> Entity:
        """The entity under its newest name: the child may rename things ('now nibbls is called fluffy
        bum' leaves Nibbls pointing to Fluffy Bum through 'now called')."""
        for _ in range(5):  # a few renames at most; never a loop
            newer = self.find(str(entity.attributes.get("now called") or ""))
            if newer is None or newer is entity:
                break
            entity = newer
        return entity

    def history(self, name: str, attribute: str) -> list[Fact]:
        """Every value an entity's attribute has had during play, oldest first."""
        low = name.lower()
        return [f for f in self.facts if f.entity.lower() == low and f.attribute == attribute]

    def set_by(self, entity: Entity, attribute: str) -> str:
        """Who set an attribute's current value: the last fact's source, else the entity's (world file)."""
        earlier = self.history(entity.name, attribute)
        return earlier[-1].source if earlier else entity.source

    def apply(self, diff: WorldDiff) -> list[Contradiction]:
        """Merge a turn's diff into the state; returns the contradictions it raised (also on the diff)."""
        touched: dict[str, Entity] = {}
        for new in diff.entities:
            existing = self.entities.get(new.key)
            if existing is None:
                self.add(new)
                touched[new.id] = new
        recorded: list[Fact] = []
        for fact in diff.facts:
            entity = self.entities.get((fact.kind, fact.entity.lower()))
            if entity is None:
                log.debug("fact for unknown entity %s dropped", fact.entity)
                continue
            is_new, clash = self._set(entity, fact)
            if is_new:
                recorded.append(fact)
                touched[entity.id] = entity
            if clash:
                diff.contradictions.append(clash)
        diff.facts = recorded  # only what changed the state is stored
        for event in diff.events:
            event.id = event.id or new_id()
            self.events.append(event)
        for rel in diff.relations:
            if not any(_same_relation(rel, r) for r in self.relations):
                rel.id = rel.id or new_id()
                self.relations.append(rel)
        diff.touched = list(touched.values())
        if diff.speaker == "child" and diff.referred:
            self.referred_turns = [*self.referred_turns[-(REFERRED_TURNS - 1) :], list(diff.referred)]
        return diff.contradictions

    def _set(self, entity: Entity, fact: Fact) -> tuple[bool, Contradiction | None]:
        """Record one fact on an entity: (was it new, the contradiction it raised if any)."""
        fact.entity = entity.name  # canonical spelling
        fact.id = fact.id or new_id()
        earlier = self.history(entity.name, fact.attribute)
        fact.version = len(earlier) + 1
        if fact.attribute in LIST_VALUED:
            values = entity.attributes.setdefault(fact.attribute, [])
            if fact.value.lower() in (v.lower() for v in values):
                return False, None
            values.append(fact.value)
            self.facts.append(fact)
            return True, None
        old = entity.attributes.get(fact.attribute)
        if isinstance(old, str) and _same_value(fact.attribute, old, fact.value):
            return False, None  # said again: no new version
        if old and fact.source == "storyteller" and self.set_by(entity, fact.attribute) in AUTHORS:
            log.debug("storyteller %s for %s dropped: the child's value stays", fact.attribute, entity.name)
            return False, None
        same_breath = bool(earlier) and (earlier[-1].turn, earlier[-1].source) == (fact.turn, fact.source)
        if old and same_breath and fact.attribute == "colour":
            fact.value = f"{old} and {fact.value}"  # 'pink and purple' in one turn is two colours
        entity.attributes[fact.attribute] = fact.value
        self.facts.append(fact)
        old_source = earlier[-1].source if earlier else entity.source
        # Only a clash with what the child (or the world file) said is worth asking about: when the
        # child changes a detail the storyteller made up, the child's word simply wins.
        if old and fact.attribute in CLASHING and not same_breath and old_source in AUTHORS:
            return True, Contradiction(
                entity.name, fact.attribute, str(old), fact.value, old_source, fact.source, fact.turn
            )
        return True, None

    def to_contract(self) -> dict[str, list[dict[str, Any]]]:
        """`{"characters", "places", "objects", "events"}`, each a list of objects with a `name`."""
        out: dict[str, list[dict[str, Any]]] = {k: [e.to_contract() for e in self.of_kind(k)] for k in KINDS}
        out["events"] = [e.to_contract() for e in self.events]
        return out


def _same_value(attribute: str, old: str, new: str) -> bool:
    """Equal, or for kinds the same head noun ('a bed' says nothing new about 'a brave little bed')."""
    if attribute == "kind" and old.split() and new.split():
        return old.split()[-1].lower() == new.split()[-1].lower()
    return old.lower() == new.lower()


def _same_relation(a: Relation, b: Relation) -> bool:
    def norm(r: Relation) -> tuple[str, str, str]:
        return (r.subject.lower(), r.predicate, r.object.lower())

    return norm(a) == norm(b)
