"""The safety decision for one message: allow, redirect (steer the story away) or escalate (tell staff).

Layers, cheapest first: normalisation (views of the text), curated rules and lexicons with allow-contexts
(disclosures, harm, output filter), a profanity word list, PII detection, and optional model layers
switched on in the policy. Any internal failure blocks the message (fails closed).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from . import pii, profanity
from .normalize import fold, views
from .policy import Policy, load_policy
from .rules import Hit, match_rules

log = logging.getLogger(__name__)

Action = Literal["allow", "redirect", "escalate"]
Speaker = Literal["child", "storyteller"]

_RANK = {"allow": 0, "redirect": 1, "escalate": 2}
# When several escalations fire, the most urgent reply wins.
_REPLY_PRIORITY = ("medical", "self_harm", "disclosure", "worry", "running_away")
FAIL_CLOSED_REPLY = (
    "Let's take our story somewhere else. Shall we follow the path to the sunny hill, or the boat?"
)
PROFANITY_MODEL_THRESHOLD = 0.9


@dataclass(frozen=True)
class Verdict:
    """What to do with one message, and why (rule, layer, policy version go to the log)."""

    action: Action
    categories: list[str] = field(default_factory=list)
    reply: str = ""
    rule: str = ""
    layer: str = ""
    policy_version: str = ""
    redacted: str = ""  # the message with personal details masked, when it had any

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def _hits(text: str, speaker: Speaker, policy: Policy) -> list[Hit]:
    v = views(text)
    hits = match_rules(v, speaker, policy)
    if policy.layers.profanity_wordlist:
        word = profanity.find_profanity(v.all()) or profanity.find_masked(fold(text))
        if word:
            hits.append(Hit("profanity-wordlist", "profanity", profanity.LAYER))
    if profanity.model_score(text, policy) >= PROFANITY_MODEL_THRESHOLD:
        hits.append(Hit("profanity-model", "profanity", "profanity_model"))
    if pii.find_pii(text):
        hits.append(Hit("pii-" + pii.pii_kinds(text)[0], "pii", pii.LAYER))
    if policy.layers.classifier and not _escalates(hits, speaker, policy):
        hits.extend(_classifier(text, speaker, policy))
    if policy.layers.exemplars and not _escalates(hits, speaker, policy):
        hits.extend(_semantic(text, speaker, policy))
    return hits


def _escalates(hits: list[Hit], speaker: Speaker, policy: Policy) -> bool:
    return any(policy.action_for(h.category, speaker) == "escalate" for h in hits)


def _guarded(layer: str, run: Callable[[], list[Hit]]) -> list[Hit]:
    """A model layer's hits; if it cannot load or run, a redirect hit (fails closed; rules still count)."""
    try:
        return run()
    except Exception:  # noqa: BLE001 - a broken layer must block, never allow
        log.warning("%s layer failed; redirecting this message", layer, exc_info=True)
        return [Hit(f"{layer}-unavailable", "unavailable", layer)]


def _classifier(text: str, speaker: Speaker, policy: Policy) -> list[Hit]:
    """The learned detector's hits (imports torch only when first used)."""
    from . import classifier

    return _guarded(classifier.LAYER, lambda: classifier.classifier_hits(text, speaker, policy))


def _semantic(text: str, speaker: Speaker, policy: Policy) -> list[Hit]:
    """The optional exemplar layer's hits."""
    from . import semantic

    return _guarded(semantic.LAYER, lambda: semantic.semantic_hits(text, speaker, policy))


def _precedence(hit: Hit, policy: Policy) -> tuple[int, int]:
    """Most urgent reply first; then hits on the text as typed before hits found only by normalising."""
    reply = policy.categories[hit.category].reply
    urgency = _REPLY_PRIORITY.index(reply) if reply in _REPLY_PRIORITY else len(_REPLY_PRIORITY)
    return urgency, int(hit.layer == "normalize")


def _pick_reply(text: str, action: Action, reply_key: str, policy: Policy) -> str:
    if action == "allow":
        return ""
    if action == "escalate":
        return policy.escalate_replies[reply_key]
    options = policy.redirect_replies.get(reply_key) or policy.redirect_replies["story"]
    index = int(hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(), 16) % len(options)
    return options[index]


def decide(text: str, speaker: Speaker, policy: Policy) -> Verdict:
    """The verdict from the policy's layers (may raise; `check` wraps it to fail closed)."""
    hits = _hits(text, speaker, policy)
    scored = [(policy.action_for(h.category, speaker), h) for h in hits]
    action: Action = max((a for a, _ in scored), key=_RANK.__getitem__, default="allow")
    top = [h for a, h in scored if a == action]
    top.sort(key=lambda h: _precedence(h, policy))
    categories = list(dict.fromkeys([h.category for h in top] + [h.category for _, h in scored]))
    first = top[0] if top else None
    reply_key = policy.categories[first.category].reply if first else "story"
    has_pii = any(h.category == "pii" for h in hits)
    return Verdict(
        action=action,
        categories=categories if action != "allow" or has_pii else [],
        reply=_pick_reply(text, action, reply_key, policy),
        rule=first.rule if first else "",
        layer=first.layer if first else "",
        policy_version=policy.version,
        redacted=pii.redact(text) if has_pii else "",
    )


def check(text: str, speaker: Speaker = "child") -> Verdict:
    """Decide allow / redirect / escalate for one message; any internal error blocks it (fails closed)."""
    try:
        policy = load_policy()
        verdict = decide(text, speaker, policy)
    except Exception:  # noqa: BLE001 - a broken check must block, never allow
        log.exception("safety check failed; blocking the message")
        return Verdict(
            "redirect",
            ["error"],
            FAIL_CLOSED_REPLY,
            rule="internal-error",
            layer="error",
            policy_version="unavailable",
        )
    log.info(
        "safety speaker=%s action=%s categories=%s rule=%s layer=%s policy=%s",
        speaker,
        verdict.action,
        ",".join(verdict.categories),
        verdict.rule,
        verdict.layer,
        verdict.policy_version,
    )
    return verdict
