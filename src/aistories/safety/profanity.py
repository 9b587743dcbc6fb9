"""The profanity layer: better-profanity's word list (minus ward-ordinary words) over normalised tokens.

better-profanity's own matcher takes ~2.4 ms a message here and flags "poo", "fart" and "kill"; we reuse
its list with our normalisation and an allow-list instead. alt-profanity-check's model is optional.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from pathlib import Path

from .policy import Policy, policy_dir, read_lexicon

log = logging.getLogger(__name__)
LAYER = "profanity"
_WORD = re.compile(r"[a-z']+")
# A word with letters hidden behind symbols ("p*ki", "f**k", "sh#t"): each symbol stands for one letter.
_MASKED = re.compile(r"(?<![\w*#])[a-z]+[*#]+[a-z*#]*|(?<![\w*#])[*#]+[a-z]+[a-z*#]*")


@functools.lru_cache(maxsize=1)
def wordlist() -> frozenset[str]:
    """Single words and phrases counted as swearing."""
    words: set[str] = set()
    spec = importlib.util.find_spec("better_profanity")
    if spec and spec.submodule_search_locations:
        path = Path(spec.submodule_search_locations[0]) / "profanity_wordlist.txt"
        words.update(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())
    else:  # the rules still run; the gap is logged, not hidden
        log.warning("better-profanity is not installed: profanity word list is only policy/lexicon extras")
    folder = policy_dir()
    words.update(read_lexicon(folder / "lexicon" / "profanity_extra.txt"))
    words.difference_update(read_lexicon(folder / "lexicon" / "profanity_allow.txt"))
    return frozenset(words)


@functools.lru_cache(maxsize=1)
def ambiguous() -> frozenset[str]:
    """Listed words a child mostly uses innocently ('finger pricks'): left to the learned detector."""
    return frozenset(read_lexicon(policy_dir() / "lexicon" / "profanity_ambiguous.txt"))


def find_profanity(texts: tuple[str, ...]) -> str | None:
    """The first swear word (or two-word phrase) in any view, else None (ambiguous words never count)."""
    words = wordlist() - ambiguous()
    for text in texts:
        tokens = _WORD.findall(text)
        for i, tok in enumerate(tokens):
            if tok in words or tok.strip("'") in words:
                return tok
            if i + 1 < len(tokens) and f"{tok} {tokens[i + 1]}" in words:
                return f"{tok} {tokens[i + 1]}"
    return None


def find_masked(folded: str) -> str | None:
    """A swear word spelled with `*` or `#` in place of letters, matched against the list by length."""
    for m in _MASKED.finditer(folded):
        token = m.group(0)
        if sum(ch.isalpha() for ch in token) < 2:
            continue
        pattern = re.compile(re.escape(token).replace(r"\*", "[a-z]").replace(r"\#", "[a-z]"))
        for word in _by_length().get(len(token), ()):
            if pattern.fullmatch(word):
                return word
    return None


@functools.lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[str, ...]]:
    table: dict[int, list[str]] = {}
    for word in wordlist():
        if " " not in word:
            table.setdefault(len(word), []).append(word)
    return {n: tuple(sorted(words)) for n, words in table.items()}


@functools.lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    from profanity_check import predict_prob  # lazy: scikit-learn takes ~1 s to import

    return predict_prob


def model_score(text: str, policy: Policy) -> float:
    """alt-profanity-check's probability that the text is offensive (0 when the layer is off)."""
    if not policy.layers.profanity_model:
        return 0.0
    return float(_model()([text])[0])
