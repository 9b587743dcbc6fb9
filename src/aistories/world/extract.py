"""Fast rule-based extraction of world facts from one child or storyteller turn (no model call).

    diff = extract("a purple dragon called zog. zog wants to fly", "child", turn=3, state=state)
    state.apply(diff)

Per sentence, first find references: known names, introductions ("a cat called mo", "named X",
"Zog the dragon", "Zog is a dragon"), capitalised names mid-sentence, noun phrases for creatures,
places and objects ("a purple dragon", "to the volcano"), and pronouns. Then read what follows each
reference: attributes ("is blue", "is so scared"), kinds ("is a cat"), wants ("wants to fly"),
relations ("has a key", "lives in the cave", "are friends") and events ("Pip flew to the moon").
Child text is messy: typos are folded (lexicon.TYPOS), lowercase names are capitalised, emoji become
words, and anything that looks like a stop word, pronoun or sentence-start word is never a name.
"""

from __future__ import annotations

import logging

from .lexicon import INTENSIFIERS, STOP
from .predicates import read_predicates
from .rules import find_references, kind_text
from .state import Entity, Event, Fact, Relation, WorldDiff, WorldState
from .text import CLAUSE
from .words import Tok, adjective, fact_attribute, normalise, tokens

log = logging.getLogger(__name__)


def extract(text: str, speaker: str, turn: int, state: WorldState) -> WorldDiff:
    """New entities, facts, events and relations said in one turn; never mutates the state."""
    return Extractor(speaker, turn, state).run(text)


class Extractor:
    """One turn's extraction (implements reading.Reading for the phrase readers); `run` returns the diff."""

    def __init__(self, speaker: str, turn: int, state: WorldState) -> None:
        self.speaker, self.turn, self.state = speaker, turn, state
        self.diff = WorldDiff(speaker=speaker)
        self.new: dict[str, Entity] = {}
        self.aliases = _aliases(state.entities.values())
        self.last: Entity | None = None
        self.private: set[str] = set()  # names of real people the child mentioned: never kept

    def run(self, text: str) -> WorldDiff:
        """Extract from every sentence of the text."""
        is_speech = False
        for m in CLAUSE.finditer(normalise(text)):
            toks = tokens(m.group(1))
            if toks and not is_speech:
                self.sentence(toks, is_question="?" in m.group(2))
            # 'Zog: The door is too small.' in a reply is a script line: a character's speech, not a
            # fact the storyteller states, so nothing after the label is kept.
            is_speech = self.speaker == "storyteller" and ":" in m.group(2) and len(toks) <= 3
        return self.diff

    # entities -------------------------------------------------------------------------------------
    def known(self) -> list[Entity]:
        """Every entity the world has, this turn's new ones included."""
        return [*self.state.entities.values(), *self.new.values()]

    def lookup(self, name: str) -> Entity | None:
        """A known entity (this turn's or the state's) by name."""
        return self.new.get(name.lower()) or self.state.find(name)

    def ensure(self, name: str, kind: str) -> Entity:
        """The entity with this name, created (in the diff) if new."""
        found = self.lookup(name)
        if found:
            return found
        entity = Entity(name, kind, {}, source=self.speaker, turn=self.turn)
        self.new[name.lower()] = entity
        self.diff.entities.append(entity)
        head = name.split()[-1].lower()
        if name.startswith("the ") and head not in self.aliases:
            self.aliases[head] = entity
        return entity

    def previous(self, *, is_someone: bool, pronoun: str = "") -> Entity | None:
        """The one character ('he'/'she': of that pronoun, if known) or, for 'it', the one thing that
        the child's latest turns were about; None when a turn mentions several (never guessed)."""
        if self.speaker != "child":
            return None  # a reply's pronouns point inside the reply
        for names in reversed(self.state.referred_turns):
            found = [e for n in dict.fromkeys(names) if (e := self.state.find(n)) is not None]
            found = [e for e in found if (e.kind == "characters") == is_someone]
            fits = [e for e in found if e.attributes.get("pronoun") in (None, pronoun or None)]
            if fits:
                return fits[0] if len(fits) == 1 else None
        return None

    def mention(self, entity: Entity) -> None:
        """Note that the turn referred to an entity the world already had (and, for pronouns, any)."""
        if entity.name not in self.diff.referred:
            self.diff.referred.append(entity.name)
        if entity.key in self.state.entities and entity.name not in self.diff.mentions:
            self.diff.mentions.append(entity.name)

    def fact(self, entity: Entity, attribute: str, value: str) -> None:
        """Record one attribute value said this turn."""
        value = value.strip()
        if value:
            self.diff.facts.append(Fact(entity.name, entity.kind, attribute, value, self.speaker, self.turn))

    def describe(self, entity: Entity, adjectives: list[str]) -> None:
        """Facts for adjectives said about an entity."""
        colours = [a for a in adjectives if fact_attribute(a) == "colour"]
        if colours:
            self.fact(entity, "colour", " and ".join(colours))  # 'pink and purple' is one colour fact
        for adj in adjectives:
            if fact_attribute(adj) != "colour":
                self.fact(entity, fact_attribute(adj), adj)

    # one sentence ---------------------------------------------------------------------------------
    def sentence(self, toks: list[Tok], *, is_question: bool) -> None:
        """References first, then what is said about them."""
        refs = find_references(self, toks)
        read_predicates(self, toks, refs, is_question=is_question)
        if not refs and not is_question and self.speaker == "child":
            self.bare_description(toks)

    def bare_description(self, toks: list[Tok]) -> None:
        """'green', 'so big': a one-word answer describes the one thing the last turn was about."""
        adjs = [adjective(t.low, fuzzy=False) for t in toks if t.low not in INTENSIFIERS]
        if not adjs or len(adjs) > 3 or None in adjs or any(t.low in STOP - INTENSIFIERS for t in toks):
            return  # 'cool!', 'nice' are reactions, not descriptions
        target = self.previous(is_someone=True) or self.previous(is_someone=False)
        if target is not None:
            self.mention(target)
            self.describe(target, [a for a in adjs if a])

    def event(self, subjects: list[Entity], past: str, rest: list[str], who: list[str]) -> None:
        """Record something that happened."""
        names = " and ".join(e.name for e in subjects)
        label = " ".join([names, past, *rest[:5]]).strip()
        text = " ".join([names, past, *rest[:16]]).strip()
        self.diff.events.append(Event(label, text, self.speaker, self.turn, who))

    def rename(self, old: Entity, new: Entity) -> None:
        """'now nibbls is called fluffy bum', 'the seagull is called Gregory': the new name carries the
        old one's facts; the old one points to it ('now called'), and a renamed name is kept ('formerly')
        for 'what was his name before?'."""
        for attr, value in old.attributes.items():
            if attr not in ("formerly", "now called"):
                for v in value if isinstance(value, list) else [value]:
                    self.fact(new, attr, str(v))
        if not old.name.lower().startswith("the "):
            self.fact(new, "formerly", old.name)
        elif not old.attributes.get("kind") and old.kind == "characters":
            self.fact(
                new, "kind", kind_text([], old.name.split()[-1].lower())
            )  # 'the racoon is called Bandit'
        self.fact(old, "now called", new.name)

    def relate(self, subject: Entity, predicate: str, obj: str) -> None:
        """Record a relation between two things."""
        self.diff.relations.append(Relation(subject.name, predicate, obj, self.speaker, self.turn))


def _aliases(entities: object) -> dict[str, Entity]:
    """Head noun -> entity, so 'the dragon' finds Zog the dragon and 'the owl' finds Hoot."""
    out: dict[str, Entity] = {}
    for e in entities:  # type: ignore[attr-defined]
        kind = e.attributes.get("kind")
        if isinstance(kind, str) and kind.split():
            out.setdefault(kind.split()[-1].lower(), e)
        if e.name.startswith("the ") and e.name.islower():
            out.setdefault(e.name.split()[-1], e)
    return out
