"""Load one data folder in a fresh process and print what it cost, as one JSON line.

Why a separate process: peak memory (``VmHWM``) is a per-process figure, and a fresh
interpreter per measurement keeps one run's caches and heap from flattering the next. run.py
starts this with the loader limits raised through the environment and reads the last line of
its output.

Measured, in order:

1. ``load_folder`` (read + normalise + validate + cross-checks): wall and CPU seconds, RSS and
   peak RSS after it;
2. building the query :class:`~smartcities.query.Engine` (DuckDB copies every table): seconds
   and RSS after it, and DuckDB's own memory figure;
3. the pandas memory of each table (``memory_usage(deep=True)``), and, as evidence for a fix,
   the same tables with their text columns as ``category`` (measured, not estimated). Peak RSS
   is read *before* this step so the experiment does not inflate it.

Run: ``.venv/bin/python benchmarks/load_worker.py benchmarks/out/S``
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _repetitive_text_columns(frame: object) -> list[str]:
    """Text columns whose values repeat (distinct values < half the rows): worth a category."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    out = []
    for c in frame.columns:
        s = frame[c]
        if not (pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)):
            continue
        if len(s) and s.nunique(dropna=True) < 0.5 * len(s):
            out.append(c)
    return out


def main(folder: Path) -> dict[str, object]:
    """Load ``folder`` and return the measurements (see the module docstring)."""
    out: dict[str, object] = {"folder": str(folder)}
    started = time.perf_counter()
    from smartcities.config import Limits
    from smartcities.dataset import SYNTHETIC
    from smartcities.load import load_folder
    from smartcities.query import Engine

    out["import_s"] = time.perf_counter() - started
    out["rss_before_mb"] = _status_mb("VmRSS")
    limits = Limits.from_env()
    out["limits"] = {
        "max_rows": limits.max_rows,
        "max_file_mb": limits.max_file_bytes // 2**20,
        "max_decompressed_mb": limits.max_decompressed_bytes // 2**20,
    }

    cpu0, t0 = _cpu(), time.perf_counter()
    result = load_folder(folder, limits=limits, kind=SYNTHETIC)
    out["load_s"] = time.perf_counter() - t0
    out["load_cpu_s"] = _cpu() - cpu0
    out["rss_after_load_mb"] = _status_mb("VmRSS")
    out["peak_after_load_mb"] = _status_mb("VmHWM")
    out["report"] = result.report.summary()
    out["errors"] = [
        f"{i.file}: {i.message}" for i in result.report.issues if i.severity == "error"
    ][:5]
    if result.dataset is None:
        out["ok"] = False
        return out
    tables = result.dataset.tables
    out["rows"] = {name: len(frame) for name, frame in tables.items()}

    cpu0, t0 = _cpu(), time.perf_counter()
    engine = Engine(result.dataset)
    out["engine_s"] = time.perf_counter() - t0
    out["engine_cpu_s"] = _cpu() - cpu0
    out["rss_after_engine_mb"] = _status_mb("VmRSS")
    out["peak_mb"] = _status_mb("VmHWM")
    try:
        mem = engine.query("SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory()")
        out["duckdb_mb"] = float(mem["b"].iloc[0]) / 2**20
    except Exception as exc:  # an older DuckDB without duckdb_memory(): not essential
        out["duckdb_mb"] = None
        out["duckdb_error"] = str(exc)

    pandas_mb: dict[str, float] = {}
    category_mb: dict[str, float] = {}
    text_cols: dict[str, list[str]] = {}
    for name, frame in tables.items():
        pandas_mb[name] = float(frame.memory_usage(deep=True).sum()) / 2**20
        cols = _repetitive_text_columns(frame)
        text_cols[name] = cols
        compact = frame.astype({c: "category" for c in cols}) if cols else frame
        category_mb[name] = float(compact.memory_usage(deep=True).sum()) / 2**20
        del compact
    out["pandas_mb"] = pandas_mb
    out["category_mb"] = category_mb
    out["category_columns"] = text_cols
    out["ok"] = True
    engine.close()
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: load_worker.py <data folder>")
    print(json.dumps(main(Path(sys.argv[1]))), flush=True)
