"""Settings: defaults < config.toml < AISTORIES_* environment < explicit values (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aistories.config import Settings
from aistories.errors import ConfigError


def test_defaults_without_file_or_environment() -> None:
    settings = Settings.load()
    assert settings.model == "smollm2-135m-instruct-q4_1" and settings.age_band == "7-9"


def test_file_then_environment_then_explicit(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text('model = "from-file"\nage_band = "4-6"\n', encoding="utf-8")
    assert Settings.load().model == "from-file"
    monkeypatch.setenv("AISTORIES_MODEL", "from-env")
    monkeypatch.setenv("AISTORIES_DB", str(isolated_home / "x.db"))
    settings = Settings.load()
    assert (settings.model, settings.age_band) == ("from-env", "4-6")
    assert settings.db_path == isolated_home / "x.db"
    assert Settings.load(model="explicit", age_band=None).model == "explicit"


def test_an_unknown_setting_in_the_file_is_one_line(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text('modle = "typo"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Settings.load()
    assert "'modle'" in str(err.value) and "\n" not in str(err.value)


def test_the_process_is_switched_offline_whatever_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from aistories.config import OFFLINE_SWITCHES, go_offline

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    go_offline()
    assert all(os.environ[name] == "1" for name in OFFLINE_SWITCHES)
