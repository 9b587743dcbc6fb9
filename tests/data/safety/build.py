"""Rebuild cases.jsonl from cases.src (text | c/s | a/r/e | category): `python tests/data/safety/build.py`."""

import json
from pathlib import Path

HERE = Path(__file__).parent
SPEAKER = {"c": "child", "s": "storyteller"}
EXPECTED = {"a": "allow", "r": "redirect", "e": "escalate"}


def main() -> None:
    """Write one JSON object per source line."""
    rows = []
    for line in (HERE / "cases.src").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, speaker, expected, category = line.rsplit("|", 3)
        rows.append(
            {
                "id": f"own-{len(rows) + 1:03d}",
                "text": text,
                "speaker": SPEAKER[speaker],
                "expected": EXPECTED[expected],
                "category": category,
            }
        )
    with (HERE / "cases.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
