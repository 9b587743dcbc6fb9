"""SQLite storage: one file, WAL, schema by migrations."""

from .db import Store, new_id, open_database, utc_now

__all__ = ["Store", "new_id", "open_database", "utc_now"]
