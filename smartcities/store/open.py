"""Open a store read-only: a :class:`~smartcities.dataset.Dataset` and a query engine.

Nothing is validated or copied at start-up: the engine attaches the file read-only and DuckDB
reads the pages a query needs. The data set's tables are read from the file only when a caller
asks for a whole table (small tables are then kept; large ones are not, to bound memory), so a
server at national scale holds what its queries touch, not millions of rows in pandas.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from smartcities.dataset import Dataset
from smartcities.query import Engine
from smartcities.report import Issue, Report
from smartcities.schema import TABLES, pandas_dtype
from smartcities.store import FORMAT_VERSION

# Tables up to this many rows are kept in memory once read (cities, events, ICCC stages).
KEEP_ROWS = 100_000


class StoreError(Exception):
    """The file is not a store this code can serve (missing, damaged, or another format)."""


def read_meta(path: Path) -> dict[str, object]:
    """The store's metadata (kind, label, provenance, format version, ...)."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no store at {path}")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"{path} is not a readable store ({exc})") from exc
    try:
        rows = con.execute("SELECT key, value FROM _meta").fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"{path} is not a store (no metadata)") from exc
    finally:
        con.close()
    meta = {k: json.loads(v) for k, v in rows}
    if meta.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{path} has store format {meta.get('format_version')}; this code reads format "
            f"{FORMAT_VERSION}. Build it again with `python -m smartcities build`."
        )
    return meta


def _read(path: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def read_report(path: Path) -> Report:
    """The validation report the store was built with."""
    frame = _read(
        path,
        'SELECT severity, file, message, fix, "table", "column", row, value FROM _issues '
        "ORDER BY seq",
    )
    report = Report()
    for rec in frame.to_dict("records"):
        row = rec["row"]
        rec["row"] = None if pd.isna(row) else int(row)
        rec = {
            k: v if k == "row" else ("" if v is None or pd.isna(v) else str(v))
            for k, v in rec.items()
        }
        report.issues.append(Issue(**rec))
    return report


def read_files(path: Path) -> pd.DataFrame:
    """Provenance: the source files with their sizes and SHA-256 hashes."""
    return _read(path, "SELECT file, bytes, sha256 FROM _files ORDER BY file")


def read_table(path: Path, name: str) -> pd.DataFrame:
    """One table as the loader returns it: the contract's columns and dtypes, in file order."""
    t = TABLES[name]
    cols = ", ".join(t.columns)
    frame = _read(path, f"SELECT {cols} FROM {name} ORDER BY _row")
    return pd.DataFrame(
        {f.name: frame[f.name].astype(pandas_dtype(f)) for f in t.fields}, index=frame.index
    )


class StoreTables(Mapping[str, pd.DataFrame]):
    """The tables of a store, read on first access (small ones kept)."""

    def __init__(self, path: Path, present: list[str], rows: dict[str, int]) -> None:
        self._path = path
        self._present = [n for n in TABLES if n in present]
        self._rows = rows
        self._kept: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._present:
            raise KeyError(name)
        with self._lock:
            if name in self._kept:
                return self._kept[name]
        frame = read_table(self._path, name)
        if len(frame) <= KEEP_ROWS:
            with self._lock:
                self._kept[name] = frame
        return frame

    def __contains__(self, name: object) -> bool:
        # Mapping's own __contains__ reads the table (via __getitem__): "projects" in tables
        # would copy a million projects into pandas just to answer yes.
        return name in self._present

    def __iter__(self) -> Iterator[str]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)


@dataclass(frozen=True)
class StoreDataset(Dataset):
    """A data set served from a store; its tables are read from the file on demand."""

    store: Path | None = None
    latest: pd.Timestamp | None = None
    meta: Mapping[str, object] | None = None

    def latest_as_of(self) -> pd.Timestamp | None:
        return self.latest


def open_store(path: Path) -> tuple[StoreDataset, Engine]:
    """The data set and a read-only engine over the store at ``path``."""
    path = Path(path).resolve()
    meta = read_meta(path)
    rows = {str(k): int(v) for k, v in dict(meta.get("rows") or {}).items()}
    present = list(meta.get("tables") or [n for n, r in rows.items() if r])
    latest = meta.get("latest_as_of")
    dataset = StoreDataset(
        tables=StoreTables(path, present, rows),
        kind=str(meta["kind"]),
        label=str(meta["label"]),
        files=tuple(meta.get("files") or ()),
        notes=tuple(meta.get("notes") or ()),
        store=path,
        latest=None if latest is None else pd.Timestamp(str(latest)),
        meta=meta,
    )
    engine = Engine(dataset, store=path, latest_uniform=bool(meta.get("latest_uniform")))
    return dataset, engine
