"""The safety decision for one message: allow, redirect (steer the story away) or escalate (tell staff).

Skeleton version: a handful of disclosure patterns with the fixed reviewed reply. The layered detector
(normalisation, lexicons with allow-contexts, profanity, exemplars, policy as data) replaces it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Action = Literal["allow", "redirect", "escalate"]
Speaker = Literal["child", "storyteller"]

POLICY_VERSION = "skeleton-0"

DISCLOSURE_REPLY = (
    "Thank you for telling me. It is not your fault. This is something a grown-up here needs to know, "
    "so a nurse or carer will come and talk with you soon."
)
REDIRECT_REPLY = "Let's take our story somewhere else. Shall we follow the path to the sunny hill, or the boat?"

_DISCLOSURE = re.compile(
    r"\b(hits? me|hurts? me|touch(es)? me|our secret|not to tell|kill myself|want to die|can'?t breathe)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    """What to do with one message, and why (rule, layer, policy version go to the log)."""

    action: Action
    categories: list[str] = field(default_factory=list)
    reply: str = ""
    rule: str = ""
    layer: str = ""
    policy_version: str = POLICY_VERSION

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def check(text: str, speaker: Speaker = "child") -> Verdict:
    """Decide allow / redirect / escalate for one message."""
    if speaker == "child" and _DISCLOSURE.search(text):
        return Verdict("escalate", ["disclosure"], DISCLOSURE_REPLY, rule="disclosure-basic", layer="rules")
    return Verdict("allow")
