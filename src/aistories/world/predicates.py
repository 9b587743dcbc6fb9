"""What a sentence says about the things it refers to: is, wants, likes, eats, hates, fears, has, lives, does.

    read_predicates(x, toks, refs, is_question=False)   # after rules.find_references

Each reference is read with the words right after it ('Zog is red', 'he likes cake and jam',
'Bolt who is scared of the dark', 'Inky has 8 arms'). Questions never set facts.
"""

from __future__ import annotations

from . import lexicon as lx
from .reading import Reading
from .rules import CLAUSE_END, PREDICATE_START, SKIP_BEFORE_VERB, WANT, Refs, kind_text, phrase_forward
from .state import Entity
from .words import Tok, adjective

FEAR_WORDS = lx.wordset("scared afraid frightened terrified")
HAS = lx.wordset("has had have got")
LIVES = lx.wordset("lives lived live")
MAX_ITEM_WORDS = 5


def read_predicates(x: Reading, toks: list[Tok], refs: Refs, *, is_question: bool) -> None:
    """What each reference is, wants, likes, has, or does."""
    joined: set[int] = set()
    for start in sorted(refs):
        if start in joined:
            continue
        entity, j = refs[start]
        subjects = [entity]
        while j + 1 < len(toks) and toks[j].low == "and" and (j + 1) in refs:
            joined.add(j + 1)
            nxt, j = refs[j + 1]
            subjects.append(nxt)
        if j >= len(toks) or is_question:
            continue
        if toks[j].low in ("who", "that", "which") and j + 1 < len(toks):
            j += 1  # 'a snail named Speedy who is fast'
        _predicate(x, toks, j, subjects, refs)


def _predicate(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs) -> None:
    """Dispatch on the verb after the subjects."""
    w = toks[j].low
    plural = len(subjects) > 1 or _is_they(toks, j)
    taste = lx.TASTES.get(w) or (lx.PLURAL_TASTES.get(w) if plural else None)
    is_getting = w in ("got", "gets", "get") and j + 1 < len(toks) and toks[j + 1].low in GOT_THING
    if is_getting:
        _has(x, toks, j + 1, subjects, refs)  # 'Sparky got a magic plaster' has one; 'got sad' is linking
    elif w in lx.LINKING:
        _linking(x, toks, j + 1, subjects, refs)
    elif w in WANT or (w == "would" and j + 1 < len(toks) and toks[j + 1].low in ("like", "love")):
        _wants(x, toks, j + (2 if w == "would" else 1), subjects, refs)
    elif taste:
        _items(x, toks, j + 1, subjects, refs, taste)
        if taste == "eats":
            _action(x, toks, j, subjects, refs)  # 'Mo ate a cake' is also something that happened
    elif w in HAS:
        _has(x, toks, j + 1, subjects, refs)
    elif w in LIVES and j + 1 < len(toks) and _ref_at(refs, j + 2):
        for s in subjects:
            x.relate(s, "lives in", _ref_at(refs, j + 2).name)  # type: ignore[union-attr]
    else:
        _action(x, toks, j, subjects, refs)


GOT_THING = lx.wordset("a an the some his her their my two three new lots loads")


def _is_they(toks: list[Tok], j: int) -> bool:
    return j > 0 and toks[j - 1].low in ("they", "we")


def _ref_at(refs: Refs, i: int) -> Entity | None:
    return refs[i][0] if i in refs else None


def _linking(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs) -> None:
    """'is blue', 'is so scared and hungry', 'is a cat', 'are friends', 'is in the cave', 'is scared of'."""
    while j < len(toks) and toks[j].low in lx.INTENSIFIERS - {"a"}:
        j += 1
    if j >= len(toks) or toks[j].low in ("not", "never", "no"):
        return
    w = toks[j].low
    if w in ("friends", "friend", "besties") and len(subjects) == 2:
        x.relate(subjects[0], "friend of", subjects[1].name)
    elif w == "made" and j + 2 < len(toks) and toks[j + 1].low in ("of", "from", "out"):
        k = j + 2 + (toks[j + 1].low == "out" and toks[j + 2].low == "of")
        end = k
        while end < len(toks) and end - k < 4 and toks[end].low not in CLAUSE_END:
            end += 1
        stuff = render(toks, k, end, refs)
        for s in subjects:
            x.fact(s, "made of", " ".join(stuff))  # 'the volcano is made of jelly' (issue 9)
    elif w in ("in", "at", "on", "inside") and (place := _ref_at(refs, j + 1)):
        for s in subjects:
            x.relate(s, "is in", place.name)
    elif w in ("a", "an") and len(subjects) == 1:
        _, adjs, mods, head = phrase_forward(toks, j + 1)
        if head and not subjects[0].name.startswith("the "):
            x.fact(subjects[0], "kind", kind_text(mods, head))
        x.describe(subjects[0], adjs)
    else:
        adjs = []
        while j < len(toks) and ((adj := adjective(toks[j].low)) or toks[j].low in lx.INTENSIFIERS | {"and"}):
            if adj:
                adjs.append(adj)
            j += 1
        for s in subjects:
            x.describe(s, adjs)
        if adjs and adjs[-1] in FEAR_WORDS and j < len(toks) and toks[j].low == "of":
            _items(x, toks, j + 1, subjects, refs, "fears")
        else:
            _and_then(x, toks, j, subjects, refs)


def _is_second_predicate(toks: list[Tok], k: int) -> bool:
    """Does token k start a second predicate ('... and is shy', '... and likes honey')?"""
    return 0 < k < len(toks) and toks[k - 1].low == "and" and toks[k].low in PREDICATE_START


def _and_then(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs) -> None:
    """'is white and has a horn': a second predicate for the same subjects."""
    if _is_second_predicate(toks, j):
        _predicate(x, toks, j, subjects, refs)


def _items(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs, attr: str) -> None:
    """'cake and jam', 'the dark', 'to fly': one fact per item, each a few words at most."""
    if j < len(toks) and toks[j].low in ("not", "never", "no"):
        return
    end = _clause_end(toks, j, 8)
    nxt = next((k for k in range(j + 1, end) if _is_second_predicate(toks, k)), 0)
    for item in _phrase_items(render(toks, j, nxt - 1 if nxt else end, refs)):
        for s in subjects:
            x.fact(s, attr, item)
    _and_then(x, toks, nxt, subjects, refs)


def _phrase_items(words: list[str]) -> list[str]:
    """['cake', 'and', 'jam'] -> ['cake', 'jam']; filler and over-long items dropped."""
    items: list[list[str]] = [[]]
    for w in words:
        if w.lower() in ("and", ",", "or"):
            items.append([])
        else:
            items[-1].append(w)
    out = []
    for item in items:
        while item and item[-1].lower() in lx.STOP - {"me", "us", "you", "him", "her", "them"}:
            item.pop()  # 'cake so much' -> 'cake'
        if item and len(item) <= MAX_ITEM_WORDS and item != ["to"]:
            out.append(" ".join(item))
    return out


def _has(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs) -> None:
    """'has a key' (a thing in the story: a relation), 'has 8 arms' / 'has a sore fin' (a fact)."""
    if j < len(toks) and toks[j].low == "got":
        j += 1
    if j >= len(toks) or toks[j].low in ("to", "been", "not", "no", "never"):
        return
    if (obj := _ref_at(refs, j)) is not None:
        for s in subjects:
            x.relate(s, "has", obj.name)
        _and_then(x, toks, refs[j][1] + 1, subjects, refs)
        return
    w = toks[j].low
    if toks[j - 1].low in ("has", "got") and (w in ("a", "an", "some") or adjective(w) or w not in lx.STOP):
        _items(x, toks, j, subjects, refs, "has")


def render(toks: list[Tok], a: int, b: int, refs: Refs) -> list[str]:
    """Words a..b as text, with references written as their entity's name."""
    out, i = [], a
    while i < b:
        if i in refs and refs[i][1] <= b:
            out.append(refs[i][0].name)
            i = refs[i][1]
            continue
        out.append(toks[i].text if toks[i].text[:1].isupper() and i else toks[i].low)
        i += 1
    return out


def _clause_end(toks: list[Tok], j: int, limit: int) -> int:
    end = j
    while end < len(toks) and end - j < limit and toks[end].low not in CLAUSE_END - {"and"}:
        end += 1
    return end


def _wants(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs) -> None:
    """'wants to fly to the moon', 'wants a cake'."""
    words = render(toks, j, _clause_end(toks, j, 8), refs)
    if words and words != ["to"]:
        for s in subjects:
            x.fact(s, "wants", " ".join(words))


def _action(x: Reading, toks: list[Tok], j: int, subjects: list[Entity], refs: Refs) -> None:
    """'Pip and Mo flew to the volcano' becomes an event."""
    while j < len(toks) and toks[j].low in SKIP_BEFORE_VERB:
        j += 1
    if j >= len(toks) or toks[j].low not in lx.VERB_PAST:
        return
    past = lx.VERB_PAST[toks[j].low]
    end = _clause_end(toks, j + 1, 8)
    rest = render(toks, j + 1, end, refs)
    if past.endswith(" up") and rest[:1] == ["up"]:
        rest = rest[1:]
    who = [s.name for s in subjects]
    for s, (e, _) in sorted(refs.items()):
        if s > j and e.kind == "characters" and e.name not in who:
            who.append(e.name)
    x.event(subjects, past, rest, who)
