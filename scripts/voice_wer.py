"""Word error rate and latency of voice input on story lines spoken by espeak-ng (issue 11.5).

    .venv/bin/python scripts/voice_wer.py [--json]

Synthesises each line below with espeak-ng (British English voice, 120 words a minute), transcribes it
with the shipped Whisper base (aistories.voice.Transcriber) and reports the word error rate (words
compared after lower-casing and dropping punctuation) and the seconds per utterance. A synthetic voice
is not a child's: read the figures as a check that the pipeline works, not as accuracy on children.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from aistories.voice import Transcriber  # noqa: E402

LINES = (
    ("ordinary", "the dragon lives in a jelly castle"),
    ("ordinary", "my cat is blue and she eats pancakes"),
    ("ordinary", "the robot found a golden key under the bed"),
    ("ordinary", "can we go to the moon in a rocket"),
    ("ordinary", "the nurse gave the bear a magic plaster"),
    ("ordinary", "i want the monster to be nice"),
    ("ordinary", "what colour was the dinosaur"),
    ("ordinary", "they all had chips for tea"),
    ("made-up name", "a dragon called zog"),
    ("made-up name", "my unicorn is called sparkle bum"),
    ("made-up name", "captain fizz flies the submarine"),
    ("made-up name", "mister wobble eats spaghetti"),
)


def wer(said: str, heard: str) -> float:
    ref = said.split()
    hyp = "".join(c for c in heard.lower() if c.isalnum() or c.isspace()).split()
    return Levenshtein.distance(ref, hyp) / len(ref)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    espeak = shutil.which("espeak-ng") or sys.exit("espeak-ng is missing: apt-get install espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        transcriber = Transcriber(home=Path(tmp))
        load_s = time.perf_counter() - started
        rows = []
        for n, (kind, line) in enumerate(LINES):
            wav = Path(tmp) / f"{n}.wav"
            subprocess.run([espeak, "-v", "en-gb", "-s", "120", "-w", str(wav), line], check=True)
            started = time.perf_counter()
            heard = transcriber.transcribe(wav)
            rows.append({"kind": kind, "said": line, "heard": heard, "wer": round(wer(line, heard), 3),
                         "seconds": round(time.perf_counter() - started, 2)})  # fmt: skip
    summary = {
        kind: round(
            sum(r["wer"] for r in rows if r["kind"] == kind) / sum(r["kind"] == kind for r in rows), 3
        )
        for kind in dict.fromkeys(r["kind"] for r in rows)
    }
    seconds = sorted(r["seconds"] for r in rows)
    out = {
        "wer": summary,
        "median_s": seconds[len(seconds) // 2],
        "max_s": seconds[-1],
        "load_s": round(load_s, 2),
    }
    if args.json:
        print(json.dumps({**out, "lines": rows}))
        return
    for r in rows:
        print(f"{r['wer']:.2f}  {r['seconds']:5.2f}s  {r['said']!r} -> {r['heard']!r}")
    print(out)


if __name__ == "__main__":
    main()
