"""The safety policy as data: policy/policy.yaml, rules/*.yaml and lexicon/*.txt, validated at load."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..config import data_dir
from ..datafiles import read_raw, validate
from ..errors import DataFileError

log = logging.getLogger(__name__)

Action = Literal["allow", "redirect", "escalate"]
Speaker = Literal["child", "storyteller"]
_LEXICON_REF = re.compile(r"\{([a-z_]+)\}")


class CategoryPolicy(BaseModel):
    """What a category means for each speaker, and which reply the child sees."""

    model_config = ConfigDict(extra="forbid")
    child: Action
    storyteller: Action
    reply: str


class HookSettings(BaseModel):
    """The ward-system hook: a local command or a LAN webhook; off by default."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    command: list[str] | None = None
    webhook_url: str | None = None
    timeout_s: float = 2.0


class AlertSettings(BaseModel):
    """When unacknowledged alerts are raised again, and where they are sent."""

    model_config = ConfigDict(extra="forbid")
    reraise_minutes: float = Field(10, gt=0)
    hook: HookSettings = HookSettings()


class LayerSettings(BaseModel):
    """Optional layers, switched on or off by the policy."""

    model_config = ConfigDict(extra="forbid")
    profanity_wordlist: bool = True
    profanity_model: bool = False
    exemplars: bool = False
    classifier: bool = False
    broad_rules: bool = True  # rules/*_broad.yaml: co-occurrence patterns (not high precision)


class SemanticSettings(BaseModel):
    """The exemplar layer: cosine thresholds per action (or per category), benign margin, encoder knobs."""

    model_config = ConfigDict(extra="forbid")
    thresholds: dict[Action, float] = Field(default_factory=lambda: {"escalate": 0.6, "redirect": 0.65})
    category_thresholds: dict[str, float] = Field(default_factory=dict)
    margin: float = 0.03
    max_tokens: int = Field(64, ge=8, le=256)
    max_sentences: int = Field(0, ge=0, le=16)
    min_words: int = Field(3, ge=1)
    threads: int = Field(1, ge=0)
    quantize: bool = True


class ClassifierSide(BaseModel):
    """Thresholds for one speaker: P(escalate), P(not allow), and the default per-category probability."""

    model_config = ConfigDict(extra="forbid")
    escalate: float | None = Field(0.5, gt=0, le=1)
    redirect: float | None = Field(0.5, gt=0, le=1)
    category: float = Field(0.5, gt=0, le=1)


class ClassifierSettings(BaseModel):
    """The learned detector (safety/classifier.py): thresholds calibrated on held-out writers, file hashes."""

    model_config = ConfigDict(extra="forbid")
    child: ClassifierSide = ClassifierSide()
    storyteller: ClassifierSide = ClassifierSide()
    category_thresholds: dict[str, float] = Field(default_factory=dict)
    sha256: dict[str, str] = Field(default_factory=dict)
    max_tokens: int = Field(64, ge=8, le=256)
    threads: int = Field(1, ge=0)


class Rule(BaseModel):
    """One pattern rule: fires when any `match` and every `and` pattern match, and no `unless` context."""

    model_config = ConfigDict(extra="forbid")
    id: str
    category: str
    speaker: Speaker | Literal["any"] = "child"
    match: list[str]
    and_: list[str] = Field(default_factory=list, alias="and")
    unless: list[str] = Field(default_factory=list)


class Policy(BaseModel):
    """The whole policy, as loaded from policy.yaml plus its rule files and lexicons."""

    model_config = ConfigDict(extra="forbid")
    version: str
    categories: dict[str, CategoryPolicy]
    escalate_replies: dict[str, str]
    redirect_replies: dict[str, list[str]]
    allow_contexts: dict[str, list[str]]
    alerts: AlertSettings = AlertSettings()
    layers: LayerSettings = LayerSettings()
    semantic: SemanticSettings = SemanticSettings()
    classifier: ClassifierSettings = ClassifierSettings()
    rules: list[Rule] = Field(default_factory=list)
    lexicons: dict[str, list[str]] = Field(default_factory=dict)
    sha256: str = ""

    @model_validator(mode="after")
    def _check_references(self) -> Policy:
        for name, cat in self.categories.items():
            acts = {cat.child, cat.storyteller}
            if "escalate" in acts and cat.reply not in self.escalate_replies:
                raise ValueError(
                    f"category {name!r}: escalate reply {cat.reply!r} is not in escalate_replies"
                )
            if (
                "redirect" in acts
                and cat.reply not in self.redirect_replies
                and cat.reply not in self.escalate_replies
            ):
                raise ValueError(f"category {name!r}: reply {cat.reply!r} is not defined")
        for section, names in (
            ("semantic", self.semantic.category_thresholds),
            ("classifier", self.classifier.category_thresholds),
        ):
            for name in names:
                if name not in self.categories:
                    raise ValueError(f"{section}.category_thresholds: unknown category {name!r}")
        for rule in self.rules:
            if rule.category not in self.categories:
                raise ValueError(f"rule {rule.id!r}: unknown category {rule.category!r}")
            for ctx in rule.unless:
                if ctx not in self.allow_contexts:
                    raise ValueError(f"rule {rule.id!r}: unknown allow-context {ctx!r}")
        return self

    def action_for(self, category: str, speaker: Speaker) -> Action:
        """The action a category carries for this speaker."""
        cat = self.categories[category]
        return cat.child if speaker == "child" else cat.storyteller


def policy_dir() -> Path:
    """Where the shipped policy lives (the wheel's _data/policy, or the repo's policy/)."""
    return data_dir("policy")


def exemplar_dir(folder: Path | None = None) -> Path:
    """Where the exemplar banks for the semantic layer live."""
    return (folder or policy_dir()) / "exemplars"


def read_lexicon(path: Path) -> list[str]:
    """Terms from a word list: one per line (`|` separates alternatives), `#` comments skipped."""
    terms: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


def expand(pattern: str, lexicons: dict[str, list[str]]) -> str:
    """Replace `{name}` with the lexicon as a non-capturing alternation."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in lexicons:
            raise DataFileError(
                f"Safety pattern refers to unknown lexicon {{{name}}}: add policy/lexicon/{name}.txt."
            )
        return "(?:" + "|".join(lexicons[name]) + ")"

    return _LEXICON_REF.sub(sub, pattern)


def _load_yaml(path: Path) -> object:
    return read_raw(path)


@functools.lru_cache(maxsize=4)
def load_policy(folder: Path | None = None) -> Policy:
    """Load and validate the policy (cached); a broken policy is a DataFileError, never a silent allow."""
    folder = folder or policy_dir()
    raw = _load_yaml(folder / "policy.yaml")
    if not isinstance(raw, dict):
        raise DataFileError(f"{folder / 'policy.yaml'} must be a mapping.")
    digest = hashlib.sha256()
    rules: list[object] = []
    layers = raw.get("layers") or {}
    skip_broad = isinstance(layers, dict) and layers.get("broad_rules") is False
    for path in sorted((folder / "rules").glob("*.yaml")):
        if skip_broad and path.stem.endswith("_broad"):
            continue
        digest.update(path.read_bytes())
        rules.extend(_load_yaml(path) or [])  # type: ignore[arg-type]
    lexicons = {}
    for path in sorted((folder / "lexicon").glob("*.txt")):
        digest.update(path.read_bytes())
        lexicons[path.stem] = read_lexicon(path)
    digest.update((folder / "policy.yaml").read_bytes())
    if (folder / "spellings.yaml").is_file():  # the spelled view the rules match (normalize.py)
        digest.update((folder / "spellings.yaml").read_bytes())
    generated = folder / "classifier.yaml"  # written by scripts/train_safety_classifier.py
    if generated.is_file():
        digest.update(generated.read_bytes())
        raw["classifier"] = {**(_load_yaml(generated) or {}), **raw.get("classifier", {})}  # type: ignore[dict-item]
    policy = validate(
        folder / "policy.yaml",
        {**raw, "rules": rules, "lexicons": lexicons, "sha256": digest.hexdigest()},
        Policy,
    )
    log.info("safety policy %s loaded (%d rules)", policy.version, len(policy.rules))
    return policy
