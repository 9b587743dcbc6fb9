"""The curated rules layer: compiled policy rules matched against the normalised views of a message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DataFileError
from .normalize import Views
from .policy import Policy, Rule, Speaker, expand

# How a hit was found: on text as typed (`rules`), or only once tricks were undone (`normalize`).
LAYER_RULES = "rules"
LAYER_NORMALIZE = "normalize"


@dataclass(frozen=True)
class Hit:
    """A rule that fired, on which view."""

    rule: str
    category: str
    layer: str


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its regexes compiled."""

    rule: Rule
    match: tuple[re.Pattern[str], ...]
    and_: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def fires(self, text: str) -> bool:
        """True if the rule fires on this one view."""
        if not any(p.search(text) for p in self.match):
            return False
        if not all(p.search(text) for p in self.and_):
            return False
        return not any(p.search(text) for p in self.unless)


def _compile(pattern: str, policy: Policy, where: str) -> re.Pattern[str]:
    try:
        return re.compile(expand(pattern, policy.lexicons))
    except re.error as exc:
        raise DataFileError(f"Safety rule {where} has a bad pattern ({exc}): fix policy/rules.") from exc


_COMPILED: dict[str, dict[str, tuple[CompiledRule, ...]]] = {}


def compile_rules(policy: Policy) -> dict[str, tuple[CompiledRule, ...]]:
    """Rules compiled once per policy (keyed by its sha256), grouped by the speaker they apply to."""
    if policy.sha256 not in _COMPILED:
        _COMPILED[policy.sha256] = _compile_all(policy)
    return _COMPILED[policy.sha256]


def _compile_all(policy: Policy) -> dict[str, tuple[CompiledRule, ...]]:
    contexts = {
        name: tuple(_compile(p, policy, f"allow-context {name}") for p in patterns)
        for name, patterns in policy.allow_contexts.items()
    }
    by_speaker: dict[str, list[CompiledRule]] = {"child": [], "storyteller": []}
    for rule in policy.rules:
        compiled = CompiledRule(
            rule,
            tuple(_compile(p, policy, rule.id) for p in rule.match),
            tuple(_compile(p, policy, rule.id) for p in rule.and_),
            tuple(p for ctx in rule.unless for p in contexts[ctx]),
        )
        speakers = ("child", "storyteller") if rule.speaker == "any" else (rule.speaker,)
        for speaker in speakers:
            by_speaker[speaker].append(compiled)
    return {k: tuple(v) for k, v in by_speaker.items()}


def match_rules(views: Views, speaker: Speaker, policy: Policy) -> list[Hit]:
    """Every rule that fires on any view; a hit only on an undone trick is credited to normalisation."""
    hits: list[Hit] = []
    candidates = views.all()
    for compiled in compile_rules(policy)[speaker]:
        for i, text in enumerate(candidates):
            if compiled.fires(text):
                layer = LAYER_RULES if i == 0 else LAYER_NORMALIZE
                hits.append(Hit(compiled.rule.id, compiled.rule.category, layer))
                break
    return hits
