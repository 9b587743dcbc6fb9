"""Text normalisation: the views of a message that rules match against.

Children (and people trying to get past a filter) write `KILL`, `k1ll`, `k i l l`, `killlll`, `kіll` with a
Cyrillic i, or a 🔪. Every view is lowercase NFKC text with homoglyphs folded and accents stripped; they
differ in how far they go, so a rule can match the most natural view and a trick cannot hide from all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ..config import data_dir
from ..datafiles import load_data

# Letters from other scripts that look like Latin ones (a small, hand-checked subset of Unicode's
# confusables.txt: the ones a keyboard or emoji picker on a tablet can produce).
CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "ӏ": "l",
        "ԛ": "q",
        "ԝ": "w",
        "ɑ": "a",
        "ο": "o",
        "α": "a",
        "ν": "v",
        "τ": "t",
        "ι": "i",
        "κ": "k",
        "ρ": "p",
        "υ": "u",
        "χ": "x",
        "ε": "e",
        "β": "b",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ƒ": "f",
        "µ": "u",
        "‘": "'",
        "’": "'",
        "‛": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
    }
)

# Emoji that carry meaning for the rules; every other symbol becomes a space.
EMOJI_WORDS = {
    "🔪": " knife ",
    "🗡": " knife ",
    "🔫": " gun ",
    "💣": " bomb ",
    "💀": " skull ",
    "☠": " skull ",
    "🩸": " blood ",
    "💊": " pills ",
    "💉": " needle ",
    "🍆": " eggplant ",
    "🍑": " peach ",
    "🔥": " fire ",
    "😭": " crying ",
    "😢": " crying ",
    "🤫": " secret ",
    "🤐": " secret ",
    "❤": " love ",
    "💩": " poo ",
    "🤮": " sick ",
    "🚑": " ambulance ",
    "😡": " angry ",
    "😂": " laughing ",  # 'CAN'T BREATHE 😂' is laughter, not an emergency (the breathing rule's context)
    "🤣": " laughing ",
    "😆": " laughing ",
    "🖕": " fuck ",
}
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in EMOJI_WORDS))

# Leetspeak: only applied inside words that also contain letters, so "I'm 7" and "9 3/4" survive.
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "+": "t",
        "€": "e",
        "£": "l",
    }
)
_LEET_WORD = re.compile(r"(?<![\w@$!|+€£])(?=[\w@$!|+€£]*[a-z])(?=[\w@$!|+€£]*[0-9@$!|+€£])[\w@$!|+€£]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u180e]")
_RUN3 = re.compile(r"(\w)\1{2,}")
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*]){2,}[a-z]\b")
_IN_WORD_PUNCT = re.compile(r"(?<=[a-z])[.\-_*](?=[a-z])")
_NON_TEXT = re.compile(r"[^\w\s'?.,!]")
_NON_TEXT_PLAIN = re.compile(r"[^\w\s'?.,!:<>|\[\]/]")  # the plain view keeps role-tag punctuation
_SPACES = re.compile(r"\s+")
MAX_CHARS = 2000


@dataclass(frozen=True)
class Views:
    """One message seen several ways: `plain` (as typed, folded), `folded` (tricks undone), `single`
    (letter floods squeezed to one), `compact` (letters only, no spaces), `spelled` (children's
    phonetic and dialect spellings as standard words: policy/spellings.yaml)."""

    plain: str
    folded: str
    single: str
    compact: str
    spelled: str = ""

    def all(self) -> tuple[str, ...]:
        """The distinct views, most natural first."""
        seen: list[str] = []
        spelled = (self.spelled,) if self.spelled else ()
        for view in (self.plain, self.folded, self.single, self.compact, *spelled):
            if view not in seen:
                seen.append(view)
        return tuple(seen)


def fold(text: str) -> str:
    """NFKC, homoglyphs to Latin, accents and zero-width characters removed, lowercase."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    text = _ZERO_WIDTH.sub("", text).translate(CONFUSABLES)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.translate(CONFUSABLES)


def _emoji_to_words(text: str) -> str:
    return _EMOJI_RE.sub(lambda m: EMOJI_WORDS[m.group(0)], text)


def _unleet(text: str) -> str:
    return _LEET_WORD.sub(_unleet_word, text)


def _unleet_word(m: re.Match[str]) -> str:
    # Trailing "!!!" or "|" is punctuation, not letters: "die!!" stays "die!!".
    word = m.group(0)
    core = word.rstrip("!|")
    return core.translate(LEET) + word[len(core) :]


def _unspace(text: str) -> str:
    """Join letters written apart: `k i l l` and `k.i.l.l` become `kill`."""
    return _SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), text)


def _tidy(text: str, keep: re.Pattern[str] = _NON_TEXT) -> str:
    return _SPACES.sub(" ", keep.sub(" ", text)).strip()


def views(text: str) -> Views:
    """All views of a message; never raises on any string."""
    base = _emoji_to_words(fold(text))
    plain = _tidy(_RUN3.sub(r"\1\1", base), _NON_TEXT_PLAIN)
    folded = _IN_WORD_PUNCT.sub("", _unspace(_unleet(base)))
    folded = _tidy(_RUN3.sub(r"\1\1", _unspace(folded)))
    single = _tidy(_RUN3.sub(r"\1", _unspace(_IN_WORD_PUNCT.sub("", _unleet(base)))))
    compact = re.sub(r"[^a-z]", "", folded)
    return Views(plain, folded, single, compact, spell(folded))


_SPELLED_WORD = re.compile(r"[a-z][a-z']*")


def spell(text: str) -> str:
    """Whole words in a child's or a dialect's spelling replaced by the standard word."""
    table = spellings()
    return _SPELLED_WORD.sub(lambda m: table.get(m.group(0), m.group(0)), text)


@functools.cache
def spellings() -> dict[str, str]:
    """Variant -> standard word, from policy/spellings.yaml (checked at load like every data file)."""
    path = data_dir("policy") / "spellings.yaml"
    table = load_data(path, dict[str, list[str]])
    return {variant.lower(): standard for standard, variants in table.items() for variant in variants}


def normalize(text: str) -> str:
    """The main normalised form (tricks undone), for logs and tests."""
    return views(text).folded
