"""Answers from the world: 'what does Zog eat?' -> 'Zog eats cake!', templated, before any model text.

    text, name = answer("what does zog eat?", state, focus="Zog")   # ('', '') when nothing fits

The child's question is matched to the attribute it asks about (colour, food, likes, fears, home,
belongings, name, kind...), for the entity it names, or by its kind noun ('the dragon'), or, for
'he'/'she'/'it', the character the conversation is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..world import Entity, WorldState
from ..world.lexicon import TYPOS, VERB_PAST
from ..world.text import bare, close, closest, words
from .lines import frame
from .worldview import mentioned

Asker = Callable[[Entity, WorldState], str]


def _say(key: str, name: str, value: str = "", predicate: str = "") -> str:
    """An answer sentence from its frame in prompts/lines.yaml ('answers' group)."""
    return frame("answers", key).format(name=name, value=value, predicate=predicate)


def _one(attr: str, key: str) -> Asker:
    """An answer from a single-valued attribute: 'Zog is green!'."""
    return lambda e, _s: _say(key, e.name, str(e.attributes[attr])) if e.attributes.get(attr) else ""


def _many(attr: str, key: str) -> Asker:
    """An answer from a list attribute, newest two values: 'Zog likes cake and jam!'."""

    def ask(e: Entity, _s: WorldState) -> str:
        values = e.attributes.get(attr) or []
        return _say(key, e.name, " and ".join(values[-2:])) if values else ""

    return ask


def _related(predicates: tuple[str, ...], attr: str = "") -> Asker:
    """A relation ('Zog lives in the cave!'), else a list attribute of things ('Zog has a hat!')."""

    def ask(e: Entity, s: WorldState) -> str:
        for r in reversed(s.relations):
            if r.subject.lower() == e.name.lower() and r.predicate in predicates:
                return _say("related", r.subject, r.object, r.predicate)
        return _many(attr, "has")(e, s) if attr else ""

    return ask


def _is_a(e: Entity, noun: str) -> bool:
    """Is the entity's kind this noun ('a raccoon' for 'raccoon')?"""
    return str(e.attributes.get("kind") or "").lower().endswith(noun)


def _kind(e: Entity, _s: WorldState) -> str:
    kind = e.attributes.get("kind")
    return _say("kind", e.name, str(kind)) if kind else ""


def _name(e: Entity, s: WorldState) -> str:
    """'Bandit the racoon' for 'what's the racoon called?'; '' for a thing nobody has named yet. A
    renamed thing answers with its newest name ('what's the bunny called now?' -> Fluffy Bum)."""
    e = s.newest(e)
    if e.name.lower().startswith("the "):
        head = e.name.split()[-1].lower()
        named = [c for c in s.entities.values() if not c.name.lower().startswith("the ") and _is_a(c, head)]
        return _name(named[-1], s) if named else ""
    kind = e.attributes.get("kind")
    return _say("name", e.name, str(kind)) if kind else _say("name_only", e.name)


def _former(e: Entity, _s: WorldState) -> str:
    """'what was his name before?': the name the child changed."""
    old = e.attributes.get("formerly")
    return _say("name_only", str(old)) if old else ""


def _fear(e: Entity, s: WorldState) -> str:
    return _many("fears", "fears")(e, s) or _one("mood", "mood")(e, s)


def _food(e: Entity, s: WorldState) -> str:
    return _many("eats", "eats")(e, s) or _many("likes", "likes")(e, s)


_PRONOUN = re.compile(r"\b(he|she|it|him|her|his|its|they|them|their)\b")
# Question cue -> how to answer it, most specific first.
ASKERS: list[tuple[re.Pattern[str], Asker]] = [
    (re.compile(r"\bmade\b|\bmade (of|from|out)\b"), _one("made of", "made_of")),
    (re.compile(r"\b(colou?rs?)\b"), _one("colour", "colour")),
    (re.compile(r"\b(eats?|eating|ate|food|dinner|lunch|breakfast|snack)\b"), _food),
    (re.compile(r"\b(scared|afraid|frightened|fear|fears|scary)\b"), _fear),
    (re.compile(r"\b(hates?|hated|dislikes?)\b"), _many("hates", "hates")),
    (re.compile(r"\b(likes?|loves?|favou?rite)\b"), _many("likes", "likes")),
    (re.compile(r"\b(wants?|wish|wishes|need|needs)\b"), _one("wants", "wants")),
    (re.compile(r"\b(where|live|lives|home|house)\b"), _related(("lives in", "is in", "went to"))),
    (re.compile(r"\b(has|have|got|carry|carries|holding)\b"), _related(("has",), "has")),
    (re.compile(r"\b(name|called)\b.*\b(before|first|originally|used to|start)\b|\bold name\b"), _former),
    (re.compile(r"\bname\b|\bcalled\b"), _name),
    (re.compile(r"\b(big|small|size|tall|tiny)\b"), _one("size", "size")),
    (re.compile(r"\b(feel|feeling|feels|happy|sad|mood)\b"), _one("mood", "mood")),
    (re.compile(r"\bwho\b|\bwhat (is|was|kind|sort)\b|\bwhat'?s\b|\bwhat\b.*\b(is|was)\b"), _kind),
]


# Words the cues are written in: a child's 'colur', 'culer', 'favrite', 'remeber' fold onto them.
CUE_WORDS = (
    "colour color colours eats eating food dinner lunch breakfast scared afraid frightened likes loves "
    "favourite favorite hates wants needs where lives house home carry carries holding called name made "
    "feeling feels happy sad size what who remember"
).split()


def fold_question(question: str) -> str:
    """Lower case, misspelt cue words folded onto the words the cues know ('wot culer' -> 'what colour')."""
    out = []
    for word in words(question):
        word = TYPOS.get(word, word)
        if len(word) >= 4 and word not in CUE_WORDS:
            word = closest(word, CUE_WORDS, 78) or word
        out.append(word)
    return " ".join(out)


_WHO_DID = re.compile(
    r"\b(?:who|whos|hoo|wich one|which one)\s+(?P<verb>has|had|got|gets|have|owns|took|takes|stole|steals|"
    r"nicked|found|finds|caught|cought|made|makes|built|brought|gave|ate|scored|won|grabbed|dropped)\s+"
    r"(?:the |a |an |his |her |their |my )?"
    r"(?P<thing>[a-z' -]+?)\s*(?:now|again|then|first|in the end|at the end)?$"
)
_HAVING = frozenset("has had got gets have owns".split())


def _who_did(m: re.Match[str], state: WorldState) -> tuple[str, str]:
    """'who has the key now?', 'who took the chip?' (a _WHO_DID match): whoever the world says has it
    (newest first), else whoever an event says did it; ('', '') when the world does not know."""
    if not m.group("thing").split():
        return "", ""
    head = m.group("thing").split()[-1]
    verb = m.group("verb")
    did = VERB_PAST.get(verb, verb)  # 'cought' -> 'caught', as events say it
    said = re.compile(rf"\b{re.escape(head)}", re.IGNORECASE)
    if verb in _HAVING:
        for f in reversed(state.facts):
            if f.attribute == "has" and said.search(f.value) and not said.search(f.entity):
                return _say("has", f.entity, f.value), f.entity
        for r in reversed(state.relations):
            if r.predicate == "has" and said.search(r.object) and not said.search(r.subject):
                return _say("related", r.subject, r.object, r.predicate), r.subject
    for ev in reversed(state.events):
        if ev.who and said.search(ev.text) and (verb in _HAVING or did in ev.text.lower()):
            return ev.text.rstrip(".!") + "!", ev.who[0]
    return "", ""


def answer(question: str, state: WorldState, focus: str = "") -> tuple[str, str]:
    """(answer sentence, entity name) for a question about the world, or ('', '') when nothing fits."""
    q = fold_question(question)
    who_did = _WHO_DID.search(q)
    if who_did and (did := _who_did(who_did, state))[0]:
        return did  # 'who has the key?' asks for the one who has it, not about the key
    ask = next((ask for cue, ask in ASKERS if cue.search(q)), None)  # the most specific cue decides
    about = _asked_about(q, state, focus)
    for entity in about if ask else []:
        if said := ask(entity, state):  # type: ignore[misc]
            return said, entity.name
    if ask is not None and not about and not who_did:
        # 'what colour was it again?': the one thing in the world the question can be about.
        fits = [e for e in state.entities.values() if e.source == "child" and ask(e, state)]
        if len(fits) == 1:
            return ask(fits[0], state), fits[0].name
    return "", ""


_FOLLOW = re.compile(r"^(?:and|an|n|so|what about|how about|wat about|wot about)\s+(.+?)[?!.\s]*$")
_NOT_A_THING = re.compile(
    r"^(?:then|they|he|she|it|we|i|you|so|now|yes|no|ok)\b|\b(?:is|are|was|were|goes|went|runs?|ran|did|does)\b|\w(?:ed|ing)\b"
)
_TAIL = re.compile(r"\s+(?:again|now|then|tho|though|too)$")


def follow_up(text: str, previous: str) -> str:
    """'and the stick' just after 'what was the puck made of?' asks the same of the stick: the question
    to answer ('what made the stick'), or '' when the line is no follow-up to a question."""
    m = _FOLLOW.match(text.lower().strip())
    if not m or not previous or len(m.group(1).split()) > 4 or _NOT_A_THING.search(m.group(1)):
        return ""  # 'and then they run away' tells the story on
    said = fold_question(_TAIL.sub("", m.group(1)))
    if next((cue for cue, _ in ASKERS[:-1] if cue.search(said)), None):
        return f"what {said}"  # 'and the bus colur': its own cue, asked the short way
    cue = next((m2 for cue, _ in ASKERS[:-1] if (m2 := cue.search(fold_question(previous)))), None)
    return f"what {cue.group(0)} {said}" if cue else ""


def is_specific(question: str) -> bool:
    """Does the question ask for one attribute (colour, food, home, name...) rather than 'who/what is'?
    A generic question is better answered by the child's own line about it, when there is one."""
    q = fold_question(question)
    ask = next((ask for cue, ask in ASKERS if cue.search(q)), None)
    return ask is not None and ask is not _kind


def asked_about(question: str, state: WorldState, focus: str = "") -> list[str]:
    """Names of the entities a question is about (for recall when the facts have no answer)."""
    return [e.name for e in _asked_about(fold_question(question), state, focus)]


def _asked_about(q: str, state: WorldState, focus: str) -> list[Entity]:
    """The entities a question names (misspelt names too); else ('what does he eat?') the focus."""
    named = mentioned(q, state) or _fuzzy_named(q, state)
    named.sort(key=lambda e: e.source != "child")  # the child's Tank before the world's triceratops
    if named or not _PRONOUN.search(q):
        return named  # 'what is this place?' is not about the hero
    found = state.find(focus) if focus else None
    return [found] if found is not None else []


def _fuzzy_named(q: str, state: WorldState) -> list[Entity]:
    """Entities whose name a question misspells: 'sprinkls' finds Sprinkles, 'captin fizz' Captain Fizz."""
    said = [w for w in words(q) if len(w) >= 4]
    found = []
    for e in state.entities.values():
        parts = [w for w in bare(e.name).split() if len(w) >= 4]
        if parts and any(close(w, p, 80) for w in said for p in parts):
            found.append(e)
    return found
