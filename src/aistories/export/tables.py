"""Flat turn tables: JSON lines, CSV, Parquet (pyarrow) and SQLite (sqlite-utils), written batch by batch."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TextIO

from .turns import FIELDS

_INTS = {"turn_index", "seed", "prompt_tokens", "completion_tokens"}
_FLOATS = {"duration_ms", "first_token_ms"}


class JsonlWriter:
    """turns.jsonl: one object per turn."""

    files: tuple[str, ...] = ("turns.jsonl",)

    def __init__(self, out: Path) -> None:
        self.f: TextIO = (out / "turns.jsonl").open("w", encoding="utf-8")
        self.encode = json.JSONEncoder(ensure_ascii=False).encode

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append rows."""
        encode = self.encode
        self.f.write("".join([encode({k: r[k] for k in FIELDS}) + "\n" for r in rows]))

    def close(self) -> dict[str, int]:
        """Finish the file; extra record counts (none)."""
        self.f.close()
        return {}


class CsvWriter:
    """turns.csv: a header row, then one row per turn."""

    files: tuple[str, ...] = ("turns.csv",)

    def __init__(self, out: Path) -> None:
        self.f: TextIO = (out / "turns.csv").open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.f)
        self.writer.writerow(FIELDS)

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append rows."""
        self.writer.writerows([[r[k] for k in FIELDS] for r in rows])

    def close(self) -> dict[str, int]:
        """Finish the file."""
        self.f.close()
        return {}


class ParquetWriter:
    """turns.parquet (zstd), one row group per batch; reads in DuckDB, pandas and polars."""

    files: tuple[str, ...] = ("turns.parquet",)

    def __init__(self, out: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        self.schema = pa.schema(
            [(k, pa.int64() if k in _INTS else pa.float64() if k in _FLOATS else pa.string()) for k in FIELDS]
        )
        self.writer = pq.ParquetWriter(str(out / "turns.parquet"), self.schema, compression="zstd")

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append one row group."""
        if rows:
            self.writer.write_table(self.pa.Table.from_pylist(rows, schema=self.schema))

    def close(self) -> dict[str, int]:
        """Write the footer."""
        self.writer.close()
        return {}


class SqliteWriter:
    """research.db: a `turns` table (typed columns, indexed by session), the copy `aistories browse` opens."""

    files: tuple[str, ...] = ("research.db",)

    def __init__(self, out: Path) -> None:
        import sqlite_utils

        path = out / "research.db"
        path.unlink(missing_ok=True)  # a fresh copy: never rows of an earlier export
        self.db = sqlite_utils.Database(path)
        types = {k: int if k in _INTS else float if k in _FLOATS else str for k in FIELDS}
        self.table = self.db.table("turns")
        self.table.create(types, pk="turn_id")  # type: ignore[union-attr]

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append rows in one transaction."""
        with self.db.conn:
            self.table.insert_all([{k: r[k] for k in FIELDS} for r in rows])  # type: ignore[union-attr]

    def close(self) -> dict[str, int]:
        """Index for the canned queries and close."""
        self.table.create_index(["session_id"], if_not_exists=True)  # type: ignore[union-attr]
        self.db.close()
        return {}
