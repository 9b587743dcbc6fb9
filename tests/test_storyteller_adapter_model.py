"""The storyteller adapter on the real embedded model: applied by llama.cpp, fallbacks, play, training."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aistories.backends import Options
from aistories.backends.llama_cpp import LlamaCppBackend
from aistories.backends.registry import Adapter, ModelEntry, get_entry

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parent.parent
ADAPTER_MODEL = "smollm2-135m-storyteller"
SCRIPT = """# a few turns, like a real child
a dragon called Zog
Zog is purple and he likes cake
he flys to the moon
what does Zog like?
"""


def _entry(**update: object) -> ModelEntry:
    entry = get_entry(ADAPTER_MODEL)
    assert entry.adapter is not None
    return entry.model_copy(update={"adapter": entry.adapter.model_copy(update=update)})


def test_the_adapter_is_applied_with_its_prompt_and_no_prefill() -> None:
    backend = LlamaCppBackend(get_entry(ADAPTER_MODEL), n_threads=2, seed=1)
    adapter = get_entry(ADAPTER_MODEL).adapter
    assert adapter is not None and backend.llm.lora_path == str(adapter.file_path())
    assert backend.describe()["adapter"] == {"file": adapter.file_path().name, "sha256": adapter.sha256}
    assert (backend.system_prompt, backend.can_prefill) == ("system_adapter.j2", False)
    messages = [
        {"role": "system", "content": "You are a kind storyteller making up a story with a child aged 7-9."},
        {"role": "user", "content": "a cat called Mo\n\n(Take up the child idea: Mo. One short sentence.)"},
    ]
    text = backend.stream(messages, Options(max_tokens=30, temperature=0.0, seed=1)).complete()  # type: ignore[arg-type]
    assert text.strip() and "<|im_" not in text


def test_an_altered_adapter_runs_the_base_model_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "adapter.gguf"
    bad.write_bytes(b"x" * 64)
    with caplog.at_level(logging.WARNING):
        backend = LlamaCppBackend(_entry(path=str(bad)), n_threads=2)
    assert backend.llm.lora_path is None and backend.describe()["adapter"] is None
    assert (backend.system_prompt, backend.can_prefill) == ("system.j2", True)
    assert "using the base model" in caplog.text


def test_an_adapter_llama_cpp_rejects_runs_the_base_model_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The right sha256 for a file that is not a LoRA (a ward's mistake): llama.cpp refuses it."""
    bad = tmp_path / "adapter.gguf"
    bad.write_bytes(b"GGUF but not really")
    sha = hashlib.sha256(bad.read_bytes()).hexdigest()
    with caplog.at_level(logging.WARNING):
        backend = LlamaCppBackend(_entry(path=str(bad), sha256=sha), n_threads=2)
    assert backend.llm.lora_path is None and backend.adapter is None
    assert backend.system_prompt == "system.j2" and "could not apply adapter" in caplog.text


def test_play_with_the_adapter_model_logs_the_adapter_with_each_turn(tmp_path: Path) -> None:
    script, db = tmp_path / "s.txt", tmp_path / "a.db"
    script.write_text(SCRIPT, encoding="utf-8")
    cmd = [sys.executable, "-m", "aistories", "play", "--script", str(script), "--json", "--seed", "1"]
    result = subprocess.run(
        [*cmd, "--model", ADAPTER_MODEL, "--db", str(db), "--child", "kid"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(turns) == 4 and all(t["reply"].strip() and "<|im_" not in t["reply"] for t in turns)
    assert sum(t["completion_tokens"] > 0 for t in turns) >= 2
    assert sum(t["reply"].rstrip().endswith("?") for t in turns) >= 3
    adapter: Adapter | None = get_entry(ADAPTER_MODEL).adapter
    assert adapter is not None
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select model_id, adapter_sha256, prompts_json from turns").fetchall()
    assert {(r[0], r[1]) for r in rows} == {(ADAPTER_MODEL, adapter.sha256)}
    assert any("system_adapter.j2" in json.loads(r[2]) for r in rows)


@pytest.mark.slow
def test_training_script_runs_on_a_tiny_split(tmp_path: Path) -> None:
    out = tmp_path / "adapter.gguf"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_storyteller_adapter.py"), "--tiny", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.with_suffix(".json").read_text())
    assert report["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert (report["steps"], report["train_exemplars"], report["dev_brief"]) == (2, 16, "s13")
    assert set(report["llama_cpp_dev_loss"]) == {"base", "adapter"}  # llama.cpp loaded the written file
    backend = LlamaCppBackend(_entry(path=str(out), sha256=report["sha256"]), n_threads=2)
    assert backend.adapter == {"file": "adapter.gguf", "sha256": report["sha256"]}
