"""Build lexicon/nouns.txt, the open noun list the extraction rules read story things with.

    .venv/bin/python scripts/build_nouns.py        # needs the dev group's lemminflect

The hand-made lexicon (world/lexicon.py) knows a few hundred creatures, places and objects; children
bring coolers, zambonis, jetskis and hairdryers. lemminflect ships an offline English inflection table
(about 18,000 lower-case noun lemmas with their plurals). This keeps the nouns that are never adverbs
('back', 'home', 'well' are not), adds lexicon/more_things.txt (fridge, zamboni, nebuliser: words the
table lacks), drops lexicon/not_things.txt (time, amounts, talk, the child's own body, real people by
role) and the lexicon's stop words and adjectives, and writes one line a noun: the lemma, then its
plurals. The header carries the sha256 of the word lines; world/nouns.py checks it at load.
Deterministic: same inputs, same file.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import sys
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from aistories.world import lexicon as lx  # noqa: E402

OUT = ROOT / "lexicon" / "nouns.txt"
EXCLUDE = ROOT / "lexicon" / "not_things.txt"
EXTRA = ROOT / "lexicon" / "more_things.txt"
NOT_NOUN = {"adv", "aux", "pron", "det", "adp", "cconj", "sconj", "intj", "num", "part"}


def read_words(path: Path) -> set[str]:
    """Every word of a hand-written list (# comments ignored)."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        out.update(line.split("#", 1)[0].split())
    return out


def noun_table() -> dict[str, set[str]]:
    """lemma -> plural forms, for lower-case alphabetic lemmas that are nouns and never adjectives."""
    table = resources.files("lemminflect") / "resources" / "infl_lu.csv.gz"
    pos: dict[str, set[str]] = defaultdict(set)
    plurals: dict[str, set[str]] = defaultdict(set)
    with gzip.open(str(table), "rt", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            lemma, tag = row[0], row[1]
            pos[lemma].add(tag)
            if tag == "noun":
                for form in ",".join(row[2:]).replace(",", "/").split("/"):
                    if form and form != lemma and form.isalpha() and form.islower():
                        plurals[lemma].add(form)
    return {
        lemma: plurals[lemma]
        for lemma, tags in pos.items()
        if "noun" in tags and not tags & NOT_NOUN and lemma.isalpha() and lemma.islower() and len(lemma) >= 3
    }


def build() -> str:
    """The file's text."""
    never = read_words(EXCLUDE) | lx.STOP | lx.ADJECTIVES | lx.DETERMINERS | lx.PRONOUNS | lx.INTENSIFIERS
    table = noun_table()
    for line in EXTRA.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            table.setdefault(words[0], set()).update(words[1:])
    lines = [
        " ".join([lemma, *sorted(p for p in table[lemma] if p not in never)])
        for lemma in sorted(table)
        if lemma not in never
    ]
    body = "\n".join(lines) + "\n"
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    header = (
        f"# built by scripts/build_nouns.py from lemminflect {metadata.version('lemminflect')} infl_lu.csv.gz"
        f" minus lexicon/not_things.txt\n# sha256 {digest}\n"
    )
    return header + body


def main() -> None:
    text = build()
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {text.count(chr(10)) - 2} nouns, {text.splitlines()[1]}")


if __name__ == "__main__":
    main()
