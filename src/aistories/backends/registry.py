"""The model registry (models/registry.yaml plus a ward's own models.yaml) and backend lookup."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..config import Settings, data_dir, user_dir
from ..datafiles import read_raw, validate
from ..errors import ModelChecksumMismatch, ModelFileMissing, UnknownModel
from .base import Backend, Options

log = logging.getLogger(__name__)

# name -> "module:Class", imported only when chosen so heavy engines stay unloaded.
BACKENDS: dict[str, str] = {
    "llama_cpp": "aistories.backends.llama_cpp:LlamaCppBackend",
    "transformers": "aistories.backends.transformers:TransformersBackend",
    "openai_http": "aistories.backends.openai_http:OpenAIHttpBackend",
    "fake": "aistories.backends.fake:FakeBackend",
}


class Source(BaseModel):
    """Where the weights (or the server) are."""

    model_config = ConfigDict(extra="forbid")
    package: str | None = None
    path: str | None = None
    url: str | None = None
    served_model: str | None = None


class Adapter(BaseModel):
    """A LoRA adapter applied at load, and what it was trained for (a GGUF LoRA file for llama.cpp)."""

    model_config = ConfigDict(extra="forbid")
    path: str  # relative to the shipped models/ folder, or "{home}/..." for a ward's own file
    sha256: str
    system_prompt: str = "system.j2"  # the prompts/ template it was trained on
    prefill: bool = True  # False: it writes the whole sentence, the opener's fragment is not pre-filled

    def file_path(self) -> Path:
        """The adapter file on disk."""
        path = Path(self.path.replace("{home}", str(user_dir()))).expanduser()
        return path if path.is_absolute() else data_dir("models") / path


class ModelEntry(BaseModel):
    """One registry entry."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    backend: Literal["llama_cpp", "transformers", "openai_http", "fake"]
    source: Source
    sha256: str | None
    licence: str
    n_ctx: int
    chat_template: str
    defaults: dict[str, Any] = {}
    adapter: Adapter | None = None

    def options(self, **overrides: Any) -> Options:
        """Sampling defaults from the registry, with overrides."""
        return Options(**{**self.defaults, **overrides})

    def file_path(self) -> Path | None:
        """The weights file, or None for a server; never imports the package that ships it."""
        src = self.source
        if src.url:
            return None
        if src.package:
            spec = importlib.util.find_spec(src.package)
            if spec is None or not spec.submodule_search_locations:
                raise ModelFileMissing(
                    f"Package {src.package!r} with model {self.id} is not installed. "
                    "Run the README's setup command (it installs the embedded model)."
                )
            return Path(list(spec.submodule_search_locations)[0]) / (src.path or "")
        return Path((src.path or "").replace("{home}", str(user_dir()))).expanduser()


class RegistryFile(BaseModel):
    """models/registry.yaml (and a ward's models.yaml): the default id and the model entries."""

    model_config = ConfigDict(extra="forbid")

    default: str | None = None
    models: list[ModelEntry] = []


def load_registry() -> dict[str, ModelEntry]:
    """All known models by id: the shipped registry, then the ward's models.yaml on top."""
    entries: dict[str, ModelEntry] = {}
    for path in (data_dir("models") / "registry.yaml", user_dir() / "models.yaml"):
        if path.exists():
            for entry in _read_file(path).models:
                entries[entry.id] = entry
    return entries


def default_model_id() -> str:
    """The registry's default model id."""
    return str(_read_file(data_dir("models") / "registry.yaml").default)


def _read_file(path: Path) -> RegistryFile:
    """One registry file through load_data: a bad entry is one line naming the file and the field."""
    return validate(path, read_raw(path) or {}, RegistryFile)  # an empty models.yaml is no models


def get_entry(model_id: str) -> ModelEntry:
    """The registry entry for an id, or a clear error listing the known ids."""
    registry = load_registry()
    if model_id not in registry:
        known = ", ".join(sorted(registry))
        raise UnknownModel(f"Unknown model {model_id!r}. Known models: {known}. See `aistories models list`.")
    return registry[model_id]


def file_sha256(path: Path, progress: Callable[[int], None] | None = None) -> str:
    """sha256 of a file, cached by (size, mtime) in the user dir so start-up stays fast."""
    stat = path.stat()
    cache_file = user_dir() / "verify-cache.json"
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    key = str(path.resolve())
    hit = cache.get(key)
    if hit and hit["size"] == stat.st_size and hit["mtime"] == stat.st_mtime:
        if progress:
            progress(stat.st_size)
        return str(hit["sha256"])
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
            if progress:
                progress(len(block))
    cache[key] = {"size": stat.st_size, "mtime": stat.st_mtime, "sha256": digest.hexdigest()}
    try:
        cache_file.write_text(json.dumps(cache, indent=1), encoding="utf-8")
    except OSError:
        pass  # a read-only home only costs a re-hash next time
    return digest.hexdigest()


def checked_file(entry: ModelEntry) -> tuple[Path, str]:
    """The entry's weights file after existence and checksum checks; returns (path, sha256)."""
    path = entry.file_path()
    assert path is not None, "servers have no file"
    if not path.is_file():
        raise ModelFileMissing(
            f"Model file not found: {path}. Run `aistories models verify` or choose another with --model."
        )
    sha = file_sha256(path)
    if entry.sha256 and sha != entry.sha256:
        raise ModelChecksumMismatch(
            f"Model file {path} has sha256 {sha[:12]}…, expected {entry.sha256[:12]}…: it is damaged or "
            "a different file. Reinstall it (README setup command) or fix models.yaml."
        )
    return path, sha


def checked_adapter(entry: ModelEntry) -> tuple[Path, str] | None:
    """The entry's adapter file after existence and checksum checks, or None (the base model is used).

    Never raises: a missing or altered adapter costs the specialisation, not the story, so it is logged
    as a warning and the caller loads the base model alone.
    """
    if entry.adapter is None:
        return None
    path = entry.adapter.file_path()
    if not path.is_file():
        log.warning("Adapter for %s not found at %s: using the base model without it.", entry.id, path)
        return None
    sha = file_sha256(path)
    if sha != entry.adapter.sha256:
        log.warning(
            "Adapter %s has sha256 %s…, expected %s…: using the base model without it.",
            path,
            sha[:12],
            entry.adapter.sha256[:12],
        )
        return None
    return path, sha


def get_backend(model_id: str | None = None, settings: Settings | None = None, **kwargs: Any) -> Backend:
    """Build the backend for a registry id (default: the embedded model)."""
    settings = settings or Settings.load()
    entry = get_entry(model_id or settings.model)
    module_name, class_name = BACKENDS[entry.backend].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    backend: Backend = cls.from_entry(entry, settings, **kwargs)
    return backend
