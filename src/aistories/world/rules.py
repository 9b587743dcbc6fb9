"""The extraction rules for one sentence: find references to things, then read what is said about them.

A reference is a span of tokens standing for one entity: `refs[start] = (entity, end)`. The rules only
call the extractor's small interface (ensure, fact, describe, event, relate, aliases, last, speaker).
"""

from __future__ import annotations

from . import lexicon as lx
from .nouns import thing
from .reading import Reading
from .state import Entity
from .words import Tok, adjective, is_name_word, name_of, noun

Refs = dict[int, tuple[Entity, int]]
WANT = lx.wordset("wants want wanted wishes wished needs needed")
SKIP_BEFORE_VERB = lx.wordset("then just also all quickly suddenly slowly really")
CLAUSE_END = lx.wordset("and but then because so when while or")
PREDICATE_START = (
    lx.LINKING
    | WANT
    | frozenset(lx.VERB_PAST)
    | frozenset(lx.TASTES)
    | frozenset(lx.PLURAL_TASTES)
    | lx.wordset("has had have lives would said")
)
PREPOSITIONS = lx.wordset("under in on at to into with from near behind over inside beside")
NAME_CUE_BEFORE = lx.wordset("and meet met with said hello hi dear")
MOTION_VERBS = lx.wordset(
    "go goes went going fly flies flew flys flying run runs ran swim swims swam sail "
    "sails sailed walk walks walked zoom zooms zoomed travel travels travelled get gets got"
)
PARTICLES = lx.wordset("up down out off away back over round around")
NAME_CUE_AFTER = lx.wordset("called named name calld namd who that which")
NAME_ENDS = PREDICATE_START | CLAUSE_END | NAME_CUE_AFTER | lx.STOP
# After a name the clause may end; never before an object pronoun ('farmer bob drivs it').
CLAUSE_ENDS = NAME_ENDS - lx.PRONOUNS - lx.wordset("it its me you us")
NUMBER_WORDS = lx.wordset("two three four five six seven eight nine ten")
# A place's own name: 'felixstow beach', 'loch ness' (see _proper_places)
PLACE_NAME_HEADS = lx.wordset(
    "beach bay park hill farm cathedral tower bridge castle lake loch sound island isle street road lane "
    "stadium palace market cove fc abbey pier harbour mountains gardens"
)
# Titles a name introduced by 'called' may carry: a story's 'octopus called Nurse Tentacula' is no real
# nurse ('my nurse is called Jo' is kept private before the name is read)
INTRO_TITLES = lx.TITLES | lx.NAME_TITLES | lx.wordset("nurse conductor nana nanna tanty baron professor")
NAME_LINKS = lx.wordset("of von van de del la le du")  # 'the Black Knight of Margate', 'Baron Von Diesel'
PLACE_NAME_PREFIXES = lx.wordset("lake loch ben mount mt st saint fort glen isle")
PLACE_NAME_BEFORE = PREPOSITIONS | lx.PLACE_PREPOSITIONS | lx.wordset("of top visit")


def find_references(x: Reading, toks: list[Tok]) -> Refs:
    """Every span in the sentence that names an entity, creating new entities as they are introduced."""
    refs: Refs = {}
    _known_names(x, toks, refs)
    _titled_names(x, toks, refs)
    _creature_then_name(x, toks, refs)
    _introductions(x, toks, refs)
    _name_the_noun(x, toks, refs)
    _is_a(x, toks, refs)
    _proper_places(x, toks, refs)
    _capitalised(x, toks, refs)
    _noun_phrases(x, toks, refs)
    _pronouns(x, toks, refs)
    for _, (entity, _end) in sorted(refs.items()):
        x.mention(entity)
        x.last = entity
    return refs


def covered(refs: Refs, i: int) -> bool:
    """Is token i inside a reference already?"""
    return any(s <= i < e for s, (_, e) in refs.items())


def _claim(refs: Refs, start: int, end: int, entity: Entity) -> None:
    """Make tokens start..end a reference, replacing any overlapping ones."""
    for s in [s for s, (_, e) in refs.items() if s < end and start < e]:
        del refs[s]
    refs[start] = (entity, end)


def _known_names(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """Names already in the world (any case): 'pip', 'the star harbour', 'Mo'."""
    known = x.known()
    patterns = []
    for e in known:
        words = [w.lower() for w in e.name.split()]
        if words and words[0] == "the" and len(words) > 1:
            words = words[1:]
        patterns.append((words, e))
        link = next((k for k, w in enumerate(words) if k and w in ("the", "of", "a", "de", "del")), 0)
        if link and e.kind == "characters":
            patterns.append((words[:link], e))  # 'Dougie' is Dougie the Sneck; 'Jarl Thorfinn', the Mighty
    patterns.sort(key=lambda p: -len(p[0]))
    lows = [t.low for t in toks]
    for i in range(len(toks)):
        for words, e in patterns:
            if lows[i : i + len(words)] == words and not covered(refs, i):
                start = i - 1 if i and lows[i - 1] == "the" else i
                refs[start] = (x.ensure(e.name, e.kind), i + len(words))
                break


def _titled_names(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'mr sausage', 'captain crumble', 'Inspector Crumpet': a title and a name, in any case (issue 9)."""
    for i in range(len(toks) - 1):
        t, nxt = toks[i], toks[i + 1]
        if covered(refs, i) or covered(refs, i + 1) or t.low not in lx.NAME_TITLES:
            continue
        if i and toks[i - 1].low in lx.DETERMINERS:
            continue  # 'the king', 'a captain': a role, not a name
        if nxt.low in lx.STOP or nxt.low in PREDICATE_START or not is_name_word(nxt, allow_common=True):
            continue
        words = [t, nxt]
        third = toks[i + 2] if i + 2 < len(toks) else None
        if (
            third is not None
            and third.low not in lx.STOP
            and third.low not in PREDICATE_START
            and is_name_word(third)
            and not covered(refs, i + 2)
            and (third.text[:1].isupper() or i + 3 == len(toks) or toks[i + 3].low in CLAUSE_ENDS)
        ):  # 'farmer bob drivs it': a lower-case third word only when the clause ends after it
            words.append(third)  # 'Mr Potato Lasagne', 'princess kiki starfight'
        words += name_tail(toks, i + len(words))
        name = name_of(words)
        if name.lower() in x.private:
            continue
        _claim(refs, i, i + len(words), x.ensure(name, "characters"))


def _creature_then_name(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'my dog biscit', 'a robot bolt': a creature noun straight before a name (any case)."""
    for i in range(1, len(toks) - 1):
        if covered(refs, i) or covered(refs, i + 1) or toks[i - 1].low not in lx.DETERMINERS:
            continue
        head, nxt = noun(toks[i].low), toks[i + 1]
        if head not in lx.CREATURES or nxt.low in PREDICATE_START | NAME_CUE_AFTER or not is_name_word(nxt):
            continue
        if (i + 2 < len(toks) and noun(toks[i + 2].low)) or (nxt.text.islower() and thing(nxt.low)):
            continue  # 'a dog bed', 'a giant hairdryer' are things, not a dog called Bed
        entity = x.ensure(name_of([nxt]), "characters")
        x.fact(entity, "kind", kind_text([], head))
        x.aliases[head] = entity
        _claim(refs, i - 1, i + 2, entity)


def read_name(toks: list[Tok], j: int) -> list[Tok]:
    """The name starting at token j ('mo', 'Captain Pickles', 'the Wobbly Woods'), or []."""
    prefix = []
    if j < len(toks) and toks[j].low == "the":
        prefix, j = [Tok("the", "the")], j + 1
    if j >= len(toks):
        return []
    first = toks[j]
    if first.low in INTRO_TITLES and j + 1 < len(toks) and is_name_word(toks[j + 1], allow_common=True):
        words = [first, toks[j + 1], *_lowercase_tail(toks, j + 2, room=2)]
        return prefix + words + name_tail(toks, j + len(words))
    if not is_name_word(first, allow_common=True):
        return []
    words = [first]
    while first.text[0].isupper() and j + len(words) < len(toks) and len(words) < 3:
        nxt = toks[j + len(words)]
        if not (nxt.text[0].isupper() and is_name_word(nxt, allow_common=True)):
            break
        words.append(nxt)
    if len(words) == 1:
        words += _lowercase_tail(toks, j + 1, room=3 if prefix or first.low in lx.TITLES else 2)
    return prefix + words + name_tail(toks, j + len(words))


def name_tail(toks: list[Tok], k: int) -> list[Tok]:
    """What may follow a name and still be part of it: an epithet ('Dougie the Sneck', 'sir oscar the
    brave', 'the Third'), a link to a capitalised word ('the Black Knight of Margate', 'La Robe de
    Minuit') or 'a lot' ('sir toots a lot'). An epithet in lower case only where the clause ends."""
    if k + 1 >= len(toks) or (k and toks[k - 1].pause):
        return []
    first, nxt = toks[k], toks[k + 1]
    ends = k + 2 == len(toks) or toks[k + 2].low in CLAUSE_ENDS
    if first.low == "the" and nxt.low not in lx.STOP and (nxt.text[:1].isupper() or ends):
        return [first, nxt] if is_name_word(nxt, allow_common=True) else []
    if first.low in NAME_LINKS and nxt.text[:1].isupper() and is_name_word(nxt, allow_common=True):
        return [first, nxt]
    if first.low == "a" and nxt.low == "lot" and ends:
        return [first, nxt]
    return []


def _lowercase_tail(toks: list[Tok], j: int, *, room: int) -> list[Tok]:
    """More words of a name said in lower case after 'called' ('stinky sid', 'the black country
    bulldozers', 'mrs ten minus two lol'): kept only when the name runs to where the clause ends (the
    sentence's end, 'and', 'who', 'is', 'lol'), so 'a dog called bob runs to the park' stays 'Bob'."""
    tail: list[Tok] = []
    k = j
    while k < len(toks) and len(tail) < room and _name_like(toks[k]):
        tail.append(toks[k])
        k += 1
    if not tail or k == len(toks) or toks[k].low in CLAUSE_ENDS:
        return tail
    return []


def _name_like(tok: Tok) -> bool:
    """A word that may continue a lower-case name: not a verb, linking word, preposition or filler."""
    low = tok.low
    if low in NAME_ENDS or low in lx.VERB_PAST or low in PREPOSITIONS or low in lx.DETERMINERS:
        return low in NUMBER_WORDS
    return is_name_word(tok, allow_common=True)


def phrase_back(
    toks: list[Tok], k: int, *, open_nouns: bool = False
) -> tuple[int, list[str], list[str], str | None]:
    """Read 'a purple fire dragon' backwards from its head at k: (start, adjectives, modifiers, head).
    With open_nouns, modifiers may be any noun ('a water pistol', 'the candy cane barn')."""
    if k < 0 or toks[k].low in lx.STOP or toks[k].low in lx.DETERMINERS or adjective(toks[k].low):
        return k + 1, [], [], None
    adjs: list[str] = []
    mods: list[str] = []
    head, i = noun(toks[k].low) or thing(toks[k].low) or toks[k].low, k - 1
    while i >= 0:
        w = toks[i].low
        mod = noun(w) or (thing(w) if open_nouns and w not in lx.STOP else None)
        if (adj := adjective(w)) is not None:
            adjs.insert(0, adj)
        elif w == "and" and adjs and i and adjective(toks[i - 1].low):
            pass  # 'pink and purple bunny'
        elif mod and not adjs and len(mods) < 2:
            if mod != head:  # '🐉 🐉' is one dragon, not a 'dragon dragon'
                mods.insert(0, w if open_nouns else mod)
        elif w not in lx.INTENSIFIERS or w == "a":
            break
        i -= 1
    start = i if i >= 0 and toks[i].low in lx.DETERMINERS else i + 1
    return start, adjs, mods, head


def phrase_forward(toks: list[Tok], j: int) -> tuple[int, list[str], list[str], str | None]:
    """Read 'big purple dragon' forwards from j: (end, adjectives, modifiers, head)."""
    adjs: list[str] = []
    words: list[str] = []
    while j < len(toks) and toks[j].low not in CLAUSE_END and len(adjs) + len(words) < 5:
        w = toks[j].low
        if (adj := adjective(w)) is not None and not words:
            adjs.append(adj)
        elif w in lx.INTENSIFIERS and not words:
            pass
        elif w in lx.STOP or w in PREDICATE_START:
            break
        else:
            words.append(noun(w) or w)
            if noun(w) and not (j + 1 < len(toks) and noun(toks[j + 1].low)):
                j += 1
                break
        j += 1
    return j, adjs, words[:-1], (words[-1] if words else None)


def kind_text(mods: list[str], head: str) -> str:
    """'a cat', 'an owl', 'a fire dragon'."""
    phrase = " ".join([*mods, head])
    is_vowel = phrase[0] in "aeio" or (phrase[0] == "u" and not phrase.startswith(("uni", "use")))
    return f"{'an' if is_vowel else 'a'} {phrase}"


def entity_kind(head: str | None) -> str:
    """Which list a thing belongs in, by its head noun."""
    h = noun(head or "") or ""
    if h in lx.CREATURES:
        return "characters"
    if h in lx.PLACES:
        return "places"
    return "objects" if h in lx.OBJECTS else "characters"


def _introductions(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'a purple dragon called zog', 'my cat is named Mo', 'his name is Bob'."""
    for i, t in enumerate(toks):
        if t.low in ("called", "named"):
            j = i + 1
        elif t.low == "name" and i + 1 < len(toks) and toks[i + 1].low in ("is", "was"):
            j = i + 2
        else:
            continue
        words = read_name(toks, j)
        if not words:
            continue
        k = i - 1 if i and toks[i - 1].low not in ("is", "was") else i - 2
        if t.low != "name" and _renamed(x, toks, refs, k, words):
            continue
        start, adjs, mods, head = phrase_back(toks, k) if t.low != "name" else (i, [], [], None)
        if k >= 1 and toks[k - 1].low in ("my", "our") and toks[k].low in lx.REAL_PEOPLE:
            x.private.add(name_of(words).lower())
            continue  # 'my nurse is called Jo': a real person, whose name the story world never keeps
        is_place = head is not None and entity_kind(head) == "places"
        entity = x.ensure(name_of(words), "places" if is_place else "characters")
        if head:
            x.fact(entity, "kind", kind_text(mods, head))
            x.aliases[head] = entity
            _claim(refs, start, k + 1, entity)
        x.describe(entity, adjs)
        _claim(refs, j, j + len(words), entity)
        if any(toks[s].low == "my" for s in range(max(start, 0), i)) and x.speaker == "child":
            x.relate(entity, "belongs to", "the child")


def _renamed(x: Reading, toks: list[Tok], refs: Refs, k: int, words: list[Tok]) -> bool:
    """'now nibbls is calld fluffy bum', 'a seagull took it, he is called Gregory': a name for something the
    story already has (by name, or by 'he'/'she'/'it' for a thing said earlier in the same line)."""
    if k < 0 or x.speaker != "child" or (k and toks[k - 1].low in ("a", "an", "another")):
        return False  # only the child renames ('a racoon called Bandit' is a new racoon)
    old = next((e for s, (e, end) in refs.items() if end == k + 1 and s <= k), None)
    if old is None and toks[k].low in ("he", "she", "it") and (k == 0 or toks[k - 1].low in CLAUSE_END):
        old = x.last  # only a thing said earlier in this same line: a wrong guess would rename the hero
    name = name_of(words)
    same = x.lookup(name)  # 'sir sprinkles' may have been read as a titled name a moment ago: still new
    if old is None or (same is not None and same.turn != x.turn) or same is old or name.lower() in x.private:
        return False
    new = same or x.ensure(name, old.kind)
    x.rename(old, new)
    _claim(refs, k + 2 if toks[k + 1].low in ("is", "was") else k + 1, k + 2 + len(words), new)
    return True


def _starts_clause(toks: list[Tok], i: int) -> bool:
    return i == 0 or toks[i - 1].low in NAME_CUE_BEFORE


def _name_the_noun(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'Zog the dragon', 'Bob the builder', 'pip the brave bed'."""
    for i in range(len(toks) - 2):
        if toks[i + 1].low != "the":
            continue
        known = refs.get(i)
        is_new = (
            not covered(refs, i)
            and toks[i].text[0].isupper()
            and is_name_word(toks[i])
            and _starts_clause(toks, i)
        )
        if not (known and known[1] == i + 1) and not is_new:
            continue
        end, adjs, mods, head = phrase_forward(toks, i + 2)
        if not head or not (noun(head) in lx.CREATURES or _starts_clause(toks, i)):
            continue
        entity = known[0] if known else x.ensure(name_of([toks[i]]), "characters")
        x.fact(entity, "kind", kind_text(mods, head))
        x.describe(entity, adjs)
        x.aliases[head] = entity
        _claim(refs, i, end, entity)


def _is_a(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'zog is a purple dragon' introducing zog (known names are read by the predicates)."""
    for i in range(len(toks) - 3):
        if covered(refs, i) or not _starts_clause(toks, i) or not is_name_word(toks[i]):
            continue
        if toks[i + 1].low in ("is", "was") and toks[i + 2].low in ("a", "an"):
            end, adjs, mods, head = phrase_forward(toks, i + 3)
            if head:
                entity = x.ensure(name_of([toks[i]]), entity_kind(head))
                _claim(refs, i, i + 1, entity)


def _proper_places(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """A place's own name, in any case: name words before a place word ('felixstow beach', 'Croke Park',
    'cake hill') or a place prefix before a name word ('loch ness', 'st helier', 'mount doom'). Only at a
    clause's start or after a preposition: 'to my mums house' is a real place and 'a chocolate castle' a
    described thing, both read elsewhere."""
    i = 0
    while i < len(toks):
        end = _place_name_end(toks, i, refs)
        before = toks[i - 1].low if i else ""
        is_start = not i or before in PLACE_NAME_BEFORE or (before == "the" and toks[i].text[:1].isupper())
        if end is None or not is_start:
            i += 1
            continue
        name = name_of(toks[i:end])
        if name.lower() not in x.private:
            start = i - 1 if before == "the" else i
            _claim(refs, start, end, x.ensure(("the " if before == "the" else "") + name, "places"))
        i = end


def _place_name_end(toks: list[Tok], i: int, refs: Refs) -> int | None:
    """The end of a place name starting at i, or None."""

    def word(k: int) -> bool:
        t = toks[k] if k < len(toks) else None
        return (
            t is not None
            and not covered(refs, k)
            and t.low not in PLACE_NAME_HEADS | PLACE_NAME_PREFIXES | lx.PLACES | lx.REAL_PEOPLE
            and t.low not in NAME_ENDS | PREPOSITIONS | lx.DETERMINERS
            and adjective(t.low, fuzzy=False) is None
            and is_name_word(t, allow_common=True)
        )

    def head(k: int) -> bool:
        return k < len(toks) and toks[k].low in PLACE_NAME_HEADS and not covered(refs, k)

    if toks[i].low in PLACE_NAME_PREFIXES and word(i + 1):
        end = i + 2
        return end + 1 if head(end) else end
    for n in (1, 2):
        if all(word(k) for k in range(i, i + n)) and head(i + n):
            return i + n + 1
    return None


def _capitalised(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """Capitalised names mid-sentence ('we met Zaza'); at a sentence start only before a verb."""
    i = 0
    while i < len(toks):
        t = toks[i]
        is_title = (
            i + 1 < len(toks)
            and toks[i + 1].text[0].isupper()
            and is_name_word(toks[i + 1])
            and (t.low in lx.TITLES or (i > 0 and is_name_word(t, allow_common=True)))
        )
        if covered(refs, i) or not t.text[0].isupper() or not (is_name_word(t) or is_title):
            i += 1
            continue
        end = i + 2 if is_title else i + 1
        while end < len(toks) and end - i < 3 and toks[end].text[0].isupper() and is_name_word(toks[end]):
            end += 1
        end += len(name_tail(toks, end))
        nxt = toks[end].low if end < len(toks) else ""
        is_pair = nxt == "and" and end + 1 < len(toks) and toks[end + 1].text[0].isupper()
        if i == 0 and not is_pair and nxt not in PREDICATE_START - lx.wordset("has had have"):
            i += 1
            continue
        before = toks[i - 1].low if i else ""
        before2 = toks[i - 2].low if i > 1 else ""
        is_place = before in lx.PLACE_PREPOSITIONS or (before == "the" and before2 in lx.PLACE_PREPOSITIONS)
        words = toks[i:end]
        start = i - 1 if before == "the" else i
        name = ("the " if before == "the" else "") + name_of(words)
        if name.lower() in x.private:
            i = end
            continue
        _claim(refs, start, end, x.ensure(name, "places" if is_place else "characters"))
        i = end


def _noun_phrases(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'a purple dragon', 'my cat', 'to the volcano', 'dragon!' (a one-word answer)."""
    for i, t in enumerate(toks):
        if covered(refs, i):
            continue
        is_open = noun(t.low) is None and _open_thing(toks, i) and not covered(refs, i - 1)
        head = noun(t.low) or ((thing(t.low) or t.low) if is_open else None)
        nxt = toks[i + 1].low if i + 1 < len(toks) else ""
        if head and (noun(nxt) or _compound(toks, i + 1)) and noun(nxt) != head:
            if not covered(refs, i + 1) or is_open:
                continue  # a modifier: 'fire' in 'fire dragon', 'pet' in 'a pet hamster named Nibbles'
        start, adjs, mods, _ = phrase_back(toks, i, open_nouns=is_open) if head else (i, [], [], None)
        det = toks[start].low if start < i and toks[start].low in lx.DETERMINERS else None
        is_predicate = start > 1 and toks[start - 1].low in lx.LINKING and covered(refs, start - 2)
        if det in ("a", "an") and is_predicate:
            continue  # 'Zog is a cat' says what Zog is; the predicate reads it ('there is a cat' does not)
        if det is None and start and toks[start - 1].low in lx.TASTES.keys() | lx.PLURAL_TASTES.keys():
            continue  # 'he likes cake' is a taste, not a cake in the story
        if head and (det or adjs or len(toks) <= 3) and (det or head == t.low):
            entity = x.aliases.get(head) if not mods else None
            kind = _open_kind(toks, start) if is_open else entity_kind(head)
            stuff, end = made_of(toks, i + 1)
            if entity is None and stuff and det in ("a", "an"):
                # 'a sword made of cheese' is, as the child goes on to call it, the cheese sword
                entity = x.ensure("the " + " ".join([*stuff, *mods, head]), kind)
                x.fact(entity, "made of", " ".join(stuff))
                _claim(refs, end - len(stuff), end, entity)
            # a thing is named as the child described it ('the silver key', 'the muddy field'); a creature
            # keeps its plain kind ('the dragon'), since its colour or mood may change
            named = [a for a in dict.fromkeys(adjs) if a not in lx.STOP]  # never 'the ill asteroid'
            said = named[-(2 - len(mods)) :] if kind != "characters" and len(mods) < 2 else []
            # 'the raptors', 'the bees': a group is named as the child said it, plural
            group = (
                t.low
                if det == "the" and t.low != head and t.low.endswith("s") and kind == "characters"
                else head
            )
            entity = entity or x.ensure("the " + " ".join([*said, *mods, group]), kind)
        elif _is_new_place(toks, i, t):
            start, adjs, entity = i - 1, [], x.ensure(f"the {t.low}", "places")
        else:
            continue
        x.describe(entity, adjs)
        _claim(refs, max(start, 0), i + 1, entity)
        if det == "my" and x.speaker == "child":
            x.relate(entity, "belongs to", "the child")


def made_of(toks: list[Tok], j: int) -> tuple[list[str], int]:
    """('made of a big bone' at j) -> (['bone'], the index after it); ([], j) when no material follows.
    At most two words, read to the clause's end: 'made of mushrooms' -> ['mushroom'], 'made of tin
    cans' -> ['tin', 'cans']."""
    if j + 2 >= len(toks) or toks[j].low != "made" or toks[j + 1].low not in ("of", "from", "out"):
        return [], j
    k = j + 2 + (toks[j + 1].low == "out" and toks[j + 2].low == "of")
    skip = lx.DETERMINERS - NUMBER_WORDS
    while k < len(toks) and (toks[k].low in skip or adjective(toks[k].low, fuzzy=False)):
        k += 1  # 'made of a big bone': the material is the bone
    words: list[str] = []
    while k < len(toks) and len(words) < 3 and toks[k].low not in lx.STOP and toks[k].low not in PREPOSITIONS:
        words.append(toks[k].low)
        k += 1
    if not words or len(words) > 2:
        return [], j  # 'made of the stuff that fell off the moon' is a description, not a name
    if words[-1] in lx.VERB_PAST or adjective(words[-1], fuzzy=False):
        return [], j  # 'made of gold' reads as the golden thing elsewhere; 'made of ... flies' is a clause
    last = noun(words[-1], fuzzy=False) or thing(words[-1]) or words[-1]
    return [*words[:-1], last], k


def _open_thing(toks: list[Tok], i: int) -> bool:
    """A noun beyond the lexicon that names a story thing here: 'a cooler', 'the big water pistol',
    'my zamboni'. Only after a determiner (at most three adjectives or nouns between), never capitalised
    mid-sentence (a name), never a word the lexicon reads otherwise or a verb. A word beyond the list
    counts too when its material follows ('a gaff made of mushrooms')."""
    low = toks[i].low if i < len(toks) else ""
    if not low or low in lx.STOP or adjective(low, fuzzy=False) or low in lx.VERB_PAST:
        return False
    is_made = bool(made_of(toks, i + 1)[0])  # 'a gaff made of mushrooms' is a thing, whatever a gaff is
    if not (thing(low) or (is_made and low.isalpha())) or (i and toks[i].text[:1].isupper()):
        return False
    for j in range(i - 1, max(i - 5, -1), -1):
        w = toks[j].low
        if w in lx.DETERMINERS:
            return w not in ("that", "this") or j == 0  # 'that' is usually a relative pronoun
        if not (adjective(w, fuzzy=False) or w in lx.INTENSIFIERS or (thing(w) and w not in lx.STOP)):
            return False
    return False


def _compound(toks: list[Tok], i: int) -> bool:
    """Is toks[i] the head of a two-noun thing ('water pistol')? Not when a determiner, a pronoun or
    a particle follows: 'the crown win the race', 'the pot upside down' have a verb or adverb there."""
    after = toks[i + 1].low if i + 1 < len(toks) else ""
    return _open_thing(toks, i) and after not in lx.DETERMINERS | lx.PRONOUNS | PARTICLES


def _open_kind(toks: list[Tok], start: int) -> str:
    """A thing beyond the lexicon is a place after 'to the' / 'in a', otherwise an object."""
    return "places" if start and toks[start - 1].low in lx.PLACE_PREPOSITIONS else "objects"


def _is_new_place(toks: list[Tok], i: int, t: Tok) -> bool:
    """An unknown word after 'to the' / 'into the' (or 'flies to bumland'): a place the child made up."""
    after_the = i >= 2 and toks[i - 1].low == "the" and toks[i - 2].low in lx.MOTION_PREPOSITIONS
    after_to = i >= 2 and toks[i - 1].low in ("to", "into") and toks[i - 2].low in MOTION_VERBS
    return (
        (after_the or after_to)
        and t.low.isalpha()
        and len(t.low) >= 3
        and t.low not in lx.STOP
        and not adjective(t.low)
        and (i + 1 == len(toks) or toks[i + 1].low in CLAUSE_END)
    )


def _pronouns(x: Reading, toks: list[Tok], refs: Refs) -> None:
    """'he/she/it/they' before a predicate: the last thing mentioned this turn, else last turn's one."""
    for i, t in enumerate(toks):
        if t.low not in lx.PRONOUNS or covered(refs, i) or i + 1 >= len(toks):
            continue
        if toks[i + 1].low not in PREDICATE_START:
            continue
        earlier = [refs[s][0] for s in sorted(refs) if s < i and not (s and toks[s - 1].low in PREPOSITIONS)]
        is_someone = t.low != "it"
        if is_someone:
            earlier = [e for e in earlier if e.kind == "characters"]
        pronoun = t.low if t.low in ("he", "she") else ""
        is_one = t.low in ("he", "she", "it")
        previous = x.previous(is_someone=is_someone, pronoun=pronoun) if is_one else None
        target = earlier[-1] if earlier else x.last or previous
        if target is not None and (not is_someone or target.kind == "characters"):
            refs[i] = (target, i + 1)
            if pronoun and x.speaker == "child":
                x.fact(target, "pronoun", pronoun)  # the child's word for them, so 'he' finds Stripe later
