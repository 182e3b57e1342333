"""Measured alternatives for the hot spots the profiles point at: evidence for the fix list.

Why this exists: a profile says *where* the time goes; before anyone rewrites a query or a
figure helper it is worth knowing how much a candidate fix would save, measured on the same
data. Each experiment times what the app does now and one alternative, on the validated tables
of one scale (loaded with ``load_folder``, like the server does), and checks that the
alternative gives the same answer where that is cheap to check. Nothing here changes app code:
the alternatives are written out in this file.

Run: ``.venv/bin/python benchmarks/experiments.py [--scale L]`` (L loads for ~2 minutes and
peaks at ~8 GB). Writes ``benchmarks/out/experiments-<scale>.json``, which run.py includes in
RESULTS.md under "Findings".
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times = []
    result: object = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


# ------------------------------------------------------------------------- helpers


def raw(engine: Any, sql: str, params: list[object] | None = None) -> Any:
    """Run a query on the engine's connection *without* its result cache (timings are cold)."""
    cursor = engine._con.cursor()  # noqa: SLF001
    try:
        out = cursor.execute(sql, params or []).df()
    finally:
        cursor.close()
    return out.drop(columns=["_row"], errors="ignore")


def same_frame(a: Any, b: Any) -> bool:
    import pandas as pd

    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    a = a.astype(str).reset_index(drop=True)
    b = b.astype(str).reset_index(drop=True)
    return bool(pd.DataFrame.equals(a, b))


def _find(name: str) -> Callable[..., Any]:
    """A function of the package by name, wherever it lives now (the code is moving)."""
    import importlib

    for module in ("smartcities.provenance", "smartcities.metrics", "smartcities.views"):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise LookupError(f"{name} not found in the package")


# ------------------------------------------------------------------------------- main


def run(folder: Path) -> dict[str, Any]:
    import os

    import pandas as pd
    import pyarrow as pa

    from benchmarks.common import limits_for
    from smartcities.config import Limits
    from smartcities.dataset import Dataset, states
    from smartcities.load import load_folder
    from smartcities.query import Engine, Scope, latest_sql, progress_sql
    from smartcities.urlstate import vocabulary

    out: dict[str, Any] = {"folder": str(folder), "date": time.strftime("%Y-%m-%d %H:%M")}
    rows: list[dict[str, Any]] = []

    def add(what: str, now: float, alt: float | None, alternative: str, note: str = "") -> None:
        rows.append(
            {"what": what, "now_s": now, "alt_s": alt, "alternative": alternative, "note": note}
        )
        shown = "–" if alt is None else f"{alt:.3f} s"
        print(f"{what}: now {now:.3f} s, alternative {shown} {note}", flush=True)

    def attempt(what: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception as exc:  # the app moves under us: record, go on
            rows.append(
                {
                    "what": what,
                    "now_s": None,
                    "alt_s": None,
                    "alternative": "",
                    "note": f"not run: {type(exc).__name__}: {exc}"[:300],
                }
            )
            print(f"{what}: not run ({type(exc).__name__}: {exc})", flush=True)

    # --- load, and where the memory goes
    os.environ.update(limits_for(folder))
    out["rss_before_mb"] = _rss_mb()
    t0 = time.perf_counter()
    dataset = load_folder(folder, limits=Limits.from_env()).dataset
    assert dataset is not None
    out["load_s"] = time.perf_counter() - t0
    out["rss_after_load_mb"] = _rss_mb()
    gc.collect()
    out["arrow_allocated_mb"] = pa.total_allocated_bytes() / 2**20
    out["arrow_pool"] = pa.default_memory_pool().backend_name
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    out["rss_after_malloc_trim_mb"] = _rss_mb()  # glibc's free memory only
    pa.default_memory_pool().release_unused()  # then Arrow's (mimalloc/jemalloc) pool
    out["rss_after_trim_mb"] = _rss_mb()
    live = sum(float(f.memory_usage(deep=True).sum()) for f in dataset.tables.values()) / 2**20
    out["tables_mb"] = live
    print(
        f"loaded; RSS {out['rss_after_load_mb']:,.0f} MB, after gc + malloc_trim + Arrow "
        f"release_unused {out['rss_after_trim_mb']:,.0f} MB; live tables {live:,.0f} MB; "
        f"Arrow pool ({out['arrow_pool']}) holds {out['arrow_allocated_mb']:,.0f} MB",
        flush=True,
    )
    engine = Engine(dataset)
    out["rss_after_engine_mb"] = _rss_mb()

    def duck_mb(e: Engine) -> float:
        q = raw(e, "SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory()")
        return float(q["b"].iloc[0]) / 2**20

    out["duckdb_mb"] = duck_mb(engine)
    state = str(dataset.cities["state_ut"].value_counts().index[0])

    # 1. latest(): behind Overview, Map, Progress and every filter change
    def latest_precomputed() -> None:
        t_build = time.perf_counter()
        inner, _ = latest_sql(Scope())
        engine._con.execute(f"CREATE OR REPLACE TABLE bench_latest AS {inner}")  # noqa: SLF001
        build = time.perf_counter() - t_build
        cases = (
            ("all India, city level", Scope(), ("city",), "level = 'city'", []),
            ("all India, state level", Scope(), ("state",), "level = 'state'", []),
            (
                f"state {state}, city level (a filter change)",
                Scope(state_ut=state),
                ("city",),
                "level = 'city' AND state_ut = ?",
                [state],
            ),
        )
        for label, scope, levels, where, params in cases:
            now, _ = timed(lambda sc=scope, lv=levels: raw(engine, *latest_sql(sc, levels=lv)))
            alt, _ = timed(
                lambda w=where, p=params: raw(
                    engine,
                    f"SELECT * FROM bench_latest WHERE {w} ORDER BY level, area_id, metric",
                    p,
                )
            )
            add(
                f"`engine.latest`, {label}",
                now,
                alt,
                "read a table of the latest values (for 'as on' = latest) built once per data "
                f"set: building it took {build:.1f} s",
            )

    attempt("`engine.latest`", latest_precomputed)

    # 1b. DuckDB over the pandas frames themselves (no copy of the tables)
    def registered_frames() -> None:
        import duckdb

        con = duckdb.connect(":memory:")
        before = _rss_mb()
        for name, frame in dataset.tables.items():
            f = frame.reset_index(drop=True)
            f["_row"] = range(len(f))
            con.register(name, f)
        out["registered_extra_mb"] = _rss_mb() - before

        def direct(sql: str, params: list[object]) -> Any:
            # registered frames are visible to this connection only, not to its cursors
            return con.execute(sql, params).df().drop(columns=["_row"], errors="ignore")

        for label, scope in (("all India", Scope()), (f"state {state}", Scope(state_ut=state))):
            now, a = timed(lambda sc=scope: raw(engine, *latest_sql(sc, levels=("city",))))
            alt, b = timed(lambda sc=scope: direct(*latest_sql(sc, levels=("city",))))
            add(
                f"`engine.latest`, {label}, city level: DuckDB table vs the registered pandas "
                "frames",
                now,
                alt,
                f"query the frames in place (saves DuckDB's {out['duckdb_mb']:,.0f} MB copy; "
                f"+{out['registered_extra_mb']:,.0f} MB RSS to register them)",
                "same rows" if same_frame(a, b) else "DIFFERENT rows: check",
            )
        con.close()

    attempt("registered frames", registered_frames)

    # 2. the sidebar, every rerun: report dates and the filter vocabulary
    def sidebar() -> None:
        sql = "SELECT DISTINCT as_of_date FROM progress WHERE level = ? ORDER BY 1"
        now, _ = timed(lambda: raw(engine, sql, ["national"]))
        add("sidebar: `engine.report_dates()` (uncached)", now, 0.0, "once per data set")
        now, _ = timed(lambda: vocabulary(dataset.cities, states()))
        add("sidebar: `vocabulary(dataset.cities, states())`", now, 0.0, "once per data set")

    attempt("sidebar", sidebar)

    # 3. footer: distinct sources over the whole progress table (every rerun)
    def footer() -> None:
        now, _ = timed(lambda: dataset.progress["source_url"].nunique())
        add(
            "footer: `dataset.progress['source_url'].nunique()` (every page, every rerun)",
            now,
            0.0,
            "once per data set (cache_resource beside the engine)",
        )

    attempt("footer", footer)

    # 4. About: adopted in smartcities.provenance (sources counted per distinct URL).

    # 5. Data page: the whole progress table to pandas, and its source list
    def data_page() -> None:
        now, everything = timed(lambda: raw(engine, *progress_sql(Scope())), repeat=1)
        first = (
            "SELECT * FROM progress ORDER BY as_of_date, level, area_id, metric, _row LIMIT 1000"
        )
        alt, _ = timed(
            lambda: (raw(engine, "SELECT count(*) AS n FROM progress"), raw(engine, first))
        )
        add(
            f"Data: `engine.progress(Scope())` ({len(everything):,} rows to pandas)",
            now,
            alt,
            "count(*) + the first 1,000 rows on screen; all rows only for a download",
        )
        urls = everything["source_url"]
        now, _ = timed(lambda: list(dict.fromkeys(urls.tolist())), repeat=1)
        alt, _ = timed(lambda: urls.dropna().unique().tolist())
        add(
            "Data: source list `dict.fromkeys(rows['source_url'].tolist())`",
            now,
            alt,
            "`.unique()` (or SELECT DISTINCT)",
        )

    attempt("Data", data_page)

    # 6. Overview: lagging_cities loops over every city's group
    def overview() -> None:
        lagging_cities = _find("lagging_cities")
        cities = raw(engine, "SELECT * FROM cities ORDER BY state_ut, city_name")
        iccc = engine.iccc(Scope())
        city_latest = raw(engine, *latest_sql(Scope(), levels=("city",)))
        as_of = dataset.latest_as_of()
        now, lag = timed(lambda: lagging_cities(cities, iccc, city_latest, as_of), repeat=1)
        alt, _ = timed(
            lambda: city_latest.pivot_table(
                index="area_id", columns="metric", values="value", aggfunc="first"
            )
        )
        add(
            f"Overview: `lagging_cities` ({len(cities):,} cities, {len(lag):,} rows out)",
            now,
            alt,
            "vectorised: one pivot of city_latest to a row per city, then a mask per rule",
            "alternative timed: the pivot only",
        )

    attempt("Overview", overview)

    # 7. memory: repetitive text as category, and DuckDB built from those (ENUM columns)
    def memory() -> None:
        compact = {}
        for name, frame in dataset.tables.items():
            cols = [
                c
                for c in frame.columns
                if (
                    pd.api.types.is_string_dtype(frame[c]) or pd.api.types.is_object_dtype(frame[c])
                )
                and frame[c].nunique() < 0.5 * max(len(frame), 1)
            ]
            compact[name] = frame.astype({c: "category" for c in cols})
        out["compact_tables_mb"] = (
            sum(float(f.memory_usage(deep=True).sum()) for f in compact.values()) / 2**20
        )
        engine.close()
        gc.collect()
        small = Engine(Dataset(tables=compact, kind=dataset.kind, label=dataset.label))
        out["compact_duckdb_mb"] = duck_mb(small)
        print(
            f"DuckDB {out['duckdb_mb']:,.0f} MB; built from categories (ENUM) "
            f"{out['compact_duckdb_mb']:,.0f} MB; pandas {live:,.0f} MB -> "
            f"{out['compact_tables_mb']:,.0f} MB",
            flush=True,
        )
        small.close()

    attempt("memory", memory)
    out["experiments"] = rows
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="L", choices=("S", "M", "L"))
    args = parser.parse_args(argv)
    folder = OUT / args.scale
    if not folder.is_dir():
        print(f"{folder} does not exist: run benchmarks/run.py --scales {args.scale} first")
        return 2
    result = run(folder)
    result["scale"] = args.scale
    path = OUT / f"experiments-{args.scale}.json"
    path.write_text(json.dumps(result, indent=1, default=str))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
