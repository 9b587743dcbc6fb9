"""Named errors. Each message says what happened and what to do next."""


class AistoriesError(Exception):
    """Base class: cli.py turns these into a one-line message and exit code 1."""


class ConfigError(AistoriesError):
    """A settings file or option is invalid."""


class UnknownModel(AistoriesError):
    """A model id that is not in the registry."""


class ModelFileMissing(AistoriesError):
    """The model's weights are not where the registry says."""


class ModelChecksumMismatch(AistoriesError):
    """The model file's sha256 differs from the registry's."""


class ModelLoadFailed(AistoriesError):
    """The engine could not load the file (corrupt, truncated, wrong format)."""


class BackendUnavailable(AistoriesError):
    """A backend's engine or server cannot be reached or is not installed."""


class StoreError(AistoriesError):
    """The database cannot be opened or written (locked, corrupt, disk full)."""


class StoreLocked(StoreError):
    """Another program held the database's write lock for longer than the busy timeout."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: the write was rolled back."""


class StoreReadOnly(StoreError):
    """The database file or its folder cannot be written."""


class StoreCorrupt(StoreError):
    """The database file is damaged or is not a database; it is left untouched."""


class DataFileError(AistoriesError):
    """A shipped or carer-supplied data file (world, prompt, policy) is invalid."""


class ScriptError(AistoriesError):
    """A `play` script cannot be read."""
