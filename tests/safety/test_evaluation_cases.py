"""Reading labelled safety cases: the `direct` mark counts toward the direct-disclosure bar."""

from __future__ import annotations

import json
from pathlib import Path

from aistories.safety.evaluation import read_cases


def test_direct_is_read_from_the_key_or_an_older_category_suffix(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "x", "expected": "escalate", "category": "neglect", "direct": True},
        {"id": "b", "text": "y", "expected": "escalate", "category": "disclosure_direct"},
        {"id": "c", "text": "z", "expected": "escalate", "category": "abuse"},
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [c.direct for c in read_cases(path)] == [True, True, False]
