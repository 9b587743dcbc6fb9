"""The storyteller LoRA adapter (issue 9): registry entry, sha256 check with fallback, prompt, logging."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from aistories.backends.fake import FakeBackend
from aistories.backends.registry import Adapter, ModelEntry, checked_adapter, get_entry
from aistories.config import data_dir
from aistories.dialogue import DialogueManager, TurnDone
from aistories.store import Store

ADAPTER_MODEL = "smollm2-135m-storyteller"


def _entry(adapter: Adapter | None) -> ModelEntry:
    return get_entry(ADAPTER_MODEL).model_copy(update={"adapter": adapter})


def _shipped() -> Adapter:
    adapter = get_entry(ADAPTER_MODEL).adapter
    assert adapter is not None
    return adapter


def test_the_registry_entry_names_the_base_model_and_a_shipped_adapter() -> None:
    base, entry = get_entry("smollm2-135m-instruct-q4_1"), get_entry(ADAPTER_MODEL)
    assert (entry.source, entry.sha256, entry.backend) == (base.source, base.sha256, "llama_cpp")
    adapter = _shipped()
    assert adapter.file_path() == data_dir("models") / "adapters" / "smollm2-135m-storyteller.gguf"
    assert hashlib.sha256(adapter.file_path().read_bytes()).hexdigest() == adapter.sha256
    assert adapter.file_path().stat().st_size < 8_000_000  # a few MB
    assert (data_dir("prompts") / adapter.system_prompt).is_file()
    assert (adapter.system_prompt, adapter.prefill) == ("system_adapter.j2", False)


def test_the_base_model_stays_the_default() -> None:
    from aistories.backends.registry import default_model_id

    assert default_model_id() == "smollm2-135m-instruct-q4_1"


def test_a_good_adapter_passes_the_check() -> None:
    path, sha = checked_adapter(_entry(_shipped())) or (None, "")
    assert path == _shipped().file_path() and sha == _shipped().sha256


@pytest.mark.parametrize("problem", ["missing", "wrong sha256"])
def test_a_missing_or_altered_adapter_falls_back_with_a_warning(
    problem: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "adapter.gguf"
    if problem == "wrong sha256":
        path.write_bytes(b"not the trained adapter")
    entry = _entry(_shipped().model_copy(update={"path": str(path)}))
    with caplog.at_level(logging.WARNING, logger="aistories.backends.registry"):
        assert checked_adapter(entry) is None
    assert "using the base model" in caplog.text


def test_an_entry_without_an_adapter_needs_no_check() -> None:
    assert checked_adapter(get_entry("smollm2-135m-instruct-q4_1")) is None


def test_the_manager_renders_the_system_prompt_the_backend_was_trained_for(store: Store) -> None:
    backend = FakeBackend(echo=True, system_prompt="system_adapter.j2")
    manager = DialogueManager(backend, store, child="kid", seed=1)
    done = [e for e in manager.turn("a dragon called Zog") if isinstance(e, TurnDone)][0]
    system = backend.history[-1][0]["content"]
    assert system.startswith("You are a kind storyteller") and "Examples of good turns" not in system
    assert "system_adapter.j2" in done.record["prompts_json"]
    assert done.record["adapter_sha256"] is None  # the fake model has no adapter


def test_the_base_prompt_keeps_its_examples(store: Store) -> None:
    backend = FakeBackend(echo=True)
    manager = DialogueManager(backend, store, child="kid", seed=1)
    list(manager.turn("a dragon called Zog"))
    assert "Examples of good turns" in backend.history[-1][0]["content"]


def test_turns_have_an_adapter_column(store: Store) -> None:
    assert store.db["turns"].columns_dict["adapter_sha256"] is str
