"""Story-quality evaluation: scripted child sessions through the manager, and through a naive baseline.

Session files (story_sessions/*.txt, shipped with the package) are `play` scripts with machine-readable
comments:

    # world: flying-beds-castle        header: starter world
    # age-band: 4-6                    header: age band
    a cat called mo                    a child line
    # entity: Mo                       the line above introduces Mo (world state + reply within 2 turns)
    what colour is mo?
    # probe: blue | light blue         the reply to the line above must contain one of these

Metrics: share of replies ending in a question or two-way choice, entity uptake (world, reply),
idea uptake (issue 9: of the child lines that bring a new content word, questions and unsafe lines
aside, the share whose reply takes up one of those words in the same turn), memory-probe hits,
distinct-2, repeated openings, reading grade, meta-talk leaks, turns escalated / redirected in ordinary
play, latency median / p95.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..backends import Backend, Message, Options
from ..world.text import content_stems, same_name, says, words
from .validate import GRADE_CEILING, META, ends_with_prompt, fk_grade

UPTAKE_TURNS = 2


@dataclass
class Line:
    """One child line with what the evaluation expects of it."""

    text: str
    entities: list[str] = field(default_factory=list)
    probes: list[str] = field(default_factory=list)


@dataclass
class Session:
    """A scripted child session."""

    name: str
    world: str = "flying-beds-castle"
    age_band: str = "7-9"
    lines: list[Line] = field(default_factory=list)


@dataclass
class Played:
    """What one system did with one session: replies, world names after each turn, latencies."""

    session: Session
    replies: list[str] = field(default_factory=list)
    world_names: list[set[str]] = field(default_factory=list)
    latency_ms: list[float] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    sources: list[str] = field(
        default_factory=list
    )  # how each reply was made (model, template, safe_fallback…)


def read_session(path: Path) -> Session:
    """Parse a session file (see the module docstring)."""
    session = Session(path.stem)
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"#\s*([a-z-]+)\s*:\s*(.*)$", line)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key == "world":
                session.world = value
            elif key == "age-band":
                session.age_band = value
            elif key == "entity" and session.lines:
                session.lines[-1].entities.append(value)
            elif key == "probe" and session.lines:
                session.lines[-1].probes.extend(v.strip().lower() for v in value.split("|") if v.strip())
        elif not line.startswith("#"):
            session.lines.append(Line(line))
    return session


def read_sessions(folder: Path) -> list[Session]:
    """Every *.txt session in a folder, by name."""
    return [read_session(p) for p in sorted(folder.glob("*.txt"))]


def play_manager(session: Session, make: Callable[[Session], Any]) -> Played:
    """Play a session through a DialogueManager built by `make` (the same pipeline as `play`)."""
    from .events import TurnDone

    manager = make(session)
    played = Played(session)
    for line in session.lines:
        for event in manager.turn(line.text):
            if isinstance(event, TurnDone):
                played.replies.append(event.reply)
                played.latency_ms.append(event.latency_ms)
                played.actions.append(event.safety)
                played.sources.append(str(event.record.get("reply_source", "")))
                played.world_names.append(
                    {
                        o["name"].lower()
                        for k in ("characters", "places", "objects")
                        for o in event.world.get(k, [])
                    }
                )
    manager.end()
    return played


BASELINE_SYSTEM = "You are a storyteller telling a story together with a child. Keep it short."


def play_baseline(session: Session, backend: Backend, options: Options) -> Played:
    """The naive baseline: the raw model with a plain system prompt and the chat history, no manager."""
    played = Played(session)
    messages: list[Message] = [{"role": "system", "content": BASELINE_SYSTEM}]
    for line in session.lines:
        messages.append({"role": "user", "content": line.text})
        started = time.perf_counter()
        reply = backend.stream(messages[-9:] if len(messages) > 9 else messages, options).complete().strip()
        played.latency_ms.append((time.perf_counter() - started) * 1000)
        messages.append({"role": "assistant", "content": reply})
        played.replies.append(reply)
        played.world_names.append(set())
        played.actions.append("allow")
    return played


def distinct2(replies: list[str]) -> float:
    """Distinct bigrams over all bigrams of a session's replies."""
    grams = [tuple(ws[i : i + 2]) for r in replies for ws in [words(r)] for i in range(len(ws) - 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def score(runs: list[Played]) -> dict[str, Any]:
    """The metrics over all sessions of one system."""
    replies = [r for p in runs for r in p.replies]
    ent_world = ent_reply = ent_total = probe_hits = probe_total = 0
    for p in runs:
        for i, line in enumerate(p.session.lines):
            window = range(i, min(i + UPTAKE_TURNS, len(p.replies)))
            for name in line.entities:
                ent_total += 1
                ent_world += any(same_name(n, name) for j in window for n in p.world_names[j])
                ent_reply += any(says(p.replies[j], name) for j in window)
            if line.probes:
                probe_total += 1
                probe_hits += any(k in p.replies[i].lower() for k in line.probes)
    lat = sorted(x for p in runs for x in p.latency_ms)
    grades = {
        b: [fk_grade(r) for p in runs if p.session.age_band == b for r in p.replies] for b in GRADE_CEILING
    }
    idea_hits, idea_total = idea_uptake(runs)
    actions = [a for p in runs for a in p.actions]
    sources = [x for p in runs for x in p.sources]
    model_made = [x for x in sources if x in ("model", "regenerated", "fallback")]
    openings = [repeated_openings(p.replies) for p in runs]
    return {
        "replies": len(replies),
        "idea_uptake": _share(idea_hits, idea_total),
        "repeated_openings": round(statistics.mean(openings), 3) if openings else 0.0,
        "escalated_share": _share(actions.count("escalate"), len(actions)),
        "output_blocked_share": _share(
            sources.count("safe_fallback"), len(model_made) + sources.count("safe_fallback")
        ),
        "redirected_share": _share(actions.count("redirect"), len(actions)),
        "ends_with_question_or_choice": _share(sum(ends_with_prompt(r) for r in replies), len(replies)),
        "entity_in_world_2_turns": _share(ent_world, ent_total),
        "entity_in_reply_2_turns": _share(ent_reply, ent_total),
        "memory_probe_hits": _share(probe_hits, probe_total),
        "distinct_2": round(statistics.mean(distinct2(p.replies) for p in runs), 3) if runs else 0.0,
        "reading_grade": {b: round(statistics.mean(g), 2) for b, g in grades.items() if g},
        "meta_talk_leaks": sum(bool(META.search(r)) for r in replies),
        "latency_ms_median": round(statistics.median(lat), 1) if lat else 0.0,
        "latency_ms_p95": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))], 1) if lat else 0.0,
        "entities": ent_total,
        "probes": probe_total,
        "idea_lines": idea_total,
    }


def idea_uptake(runs: list[Played]) -> tuple[int, int]:
    """(lines whose reply took up a new content word, lines that brought one)."""
    hits = total = 0
    for p in runs:
        said: set[str] = set()
        for i, line in enumerate(p.session.lines):
            if i >= len(p.replies):
                break
            new = content_stems(line.text) - said
            reply = content_stems(p.replies[i])
            if new and "?" not in line.text and p.actions[i] == "allow":
                total += 1
                hits += bool(new & reply)
            said |= content_stems(line.text) | reply
    return hits, total


def repeated_openings(replies: list[str], n_words: int = 3) -> float:
    """Share of replies whose first few words repeat an earlier reply's in the same session."""
    seen: set[str] = set()
    repeats = 0
    for r in replies:
        key = " ".join(words(r)[:n_words])
        repeats += key in seen
        seen.add(key)
    return repeats / len(replies) if replies else 0.0


def _share(hits: int, total: int) -> float:
    return round(hits / total, 3) if total else 0.0
