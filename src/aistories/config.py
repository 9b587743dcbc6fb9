"""Settings and paths.

Data lives in the user's data dir (platformdirs); $AISTORIES_HOME overrides it, like $LLM_USER_PATH.
An optional `config.toml` there sets defaults (model, ward server, threads); environment variables
AISTORIES_<SETTING> (AISTORIES_MODEL, AISTORIES_DB, ...) override the file, and command-line options
override both. pydantic-settings does the merge.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .errors import ConfigError

DEFAULT_MODEL = "smollm2-135m-instruct-q4_1"
AGE_BANDS = ("4-6", "7-9", "10-12")
DEFAULT_RETENTION_DAYS = 90


OFFLINE_SWITCHES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def go_offline() -> None:
    """Switch the Hugging Face libraries offline for this process: models load from installed files
    only, and nothing is ever fetched (set whatever the environment says: a ward tablet never downloads)."""
    for name in OFFLINE_SWITCHES:
        os.environ[name] = "1"


def user_dir() -> Path:
    """The folder for the database, config, logs and caches; created on first use."""
    home = os.environ.get("AISTORIES_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir("aistories", appauthor=False))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: children's stories live here
    return path


def data_dir(name: str) -> Path:
    """A shipped data folder (prompts, story_worlds, models): inside the wheel, or the repo root in dev."""
    packaged = Path(__file__).parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


class Settings(BaseSettings):
    """Everything make_app needs to wire backend, store and manager together."""

    model_config = SettingsConfigDict(env_prefix="AISTORIES_", extra="forbid")

    model: str = DEFAULT_MODEL
    db: Path | None = None
    age_band: str = "7-9"
    world: str | None = None
    child: str | None = None
    seed: int | None = None
    n_threads: int | None = None
    ward_server_url: str | None = None
    ward_server_api_key: str | None = None
    consent_research: bool = False
    # Days a story is kept after its last turn: `aistories purge` (no --older-than) deletes older ones.
    # The ward sets its own period (config.toml `retention_days = 30`, or AISTORIES_RETENTION_DAYS).
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, gt=0)

    @property
    def db_path(self) -> Path:
        """The SQLite file: --db, $AISTORIES_DB, config.toml, or the user dir."""
        return self.db if self.db is not None else user_dir() / "aistories.db"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values < environment < config.toml, highest first."""
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, user_dir() / "config.toml")

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Defaults < config.toml < environment < explicit overrides (None means 'not given')."""
        config_file = user_dir() / "config.toml"
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file} is not valid TOML ({exc}); fix or delete it.") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"Invalid setting {where!r}: {first['msg']} (see {config_file}).") from exc
