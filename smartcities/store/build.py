"""Build a store: a folder (or zip) of data files -> one read-only DuckDB file.

The validation is the loader's (:mod:`smartcities.load`): the same rules, the same report. What
the build adds is that it runs once, offline, and writes everything a server needs at start-up:

- the validated tables (with ``_row``, the file order the engine breaks ties with);
- the derived tables: the latest-report table (:func:`~smartcities.query.latest_table_sql`)
  and whether it may serve state and round filters, the source counts behind the About page;
- the validation report (every issue), the provenance (each source file with its size and
  SHA-256, build time, code version, store format version) and the data set's kind and label.

**Large tables in bulk.** A progress or projects file that is Parquet already in contract form
(exactly the contract's columns, typed) and large (``fast_min_rows``) is not read row by row
into pandas: DuckDB copies it straight into the store and checks it there in SQL (required
cells, allowed values, ranges, duplicate keys, city references, stage order, project dates).
The row-by-row normaliser still decides what "contract form" means: it is run on a *probe*,
the distinct combinations of the columns it reads together (level, area, state, metric, unit;
city, stage, ...) plus every text value that is not plainly clean ASCII. If the probe comes
back unchanged and without a single issue, and every SQL check finds nothing, the bulk copy is
exactly what the loader would have produced. If anything is found, the whole source falls
back to the loader, so a file with problems gets the loader's full report (row, column, fix).
Everything else (small tables, CSV, zip) goes through the loader as before.

**Atomic.** The store is written to a temporary file beside ``out`` and moved into place with
:func:`os.replace` only when complete; a failed build leaves any previous store untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from smartcities import load as loader
from smartcities.config import BUNDLED_DATA, Limits
from smartcities.dataset import PUBLIC, SYNTHETIC, UPLOADED
from smartcities.derive import STAGE_METRICS, insert_derived, report_dates
from smartcities.normalise import Context, MissingColumns, normalise
from smartcities.normalise.parse import PLACEHOLDERS
from smartcities.query import LATEST_TABLE, latest_table_sql, latest_uniform_sql
from smartcities.readers import Source
from smartcities.report import Report
from smartcities.schema import METRICS, PLAUSIBLE_MAX, TABLES, Field
from smartcities.store import FORMAT_VERSION

# Tables that may take the bulk path, and the size from which they do (below it the loader is
# as fast and reports the same).
FAST_TABLES = ("progress", "projects")
FAST_MIN_ROWS = 50_000
# Groups of columns the normaliser reads together: the probe keeps each group's distinct
# combinations (the area of a progress row is resolved from its level, id, name and state
# together; its unit is checked against its metric); every other column is read cell by cell.
_CONTEXT: dict[str, tuple[tuple[str, ...], ...]] = {
    "progress": (("level", "area_id", "area_name", "state_ut"), ("metric", "unit")),
    "projects": (("city_id",),),
}
BUILD_MEMORY = os.environ.get("SMARTCITIES_BUILD_MEMORY", "1GB")
KINDS = {"public": PUBLIC, "synthetic": SYNTHETIC, "user": UPLOADED, "uploaded": UPLOADED}
Progress = Callable[[float, str], None]


@dataclass
class BuildResult:
    """What a build produced. ``store`` is None when nothing was written."""

    store: Path | None
    report: Report
    kind: str | None = None
    label: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    bulk_tables: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()  # the tables the data set has (others are empty)
    files: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    bulk_fallback: str = ""  # why large tables went through the loader after all
    seconds: float = 0.0
    ok: bool = False  # validated and written (``store`` is set once it is in place)


# ------------------------------------------------------------------------------- provenance


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def source_files(source: Path) -> list[Path]:
    """The files a source consists of: the zip itself, or a folder's regular files (not its
    subfolders or hidden files), in name order."""
    if source.is_file():
        return [source]
    out = []
    for entry in sorted(source.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if stat.S_ISREG(entry.stat().st_mode):
            out.append(entry)
    return out


def provenance(source: Path) -> list[dict[str, object]]:
    return [
        {"file": p.name, "bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in source_files(source)
    ]


def code_version() -> str:
    """A hash of the package's code and of the rules kept as data (the alias table, the
    synonym and vocabulary files, the states): a store built by other validation rules is
    another store, whether the rule changed in code or in a reviewed data file."""
    root = Path(__file__).resolve().parents[1]
    rules = [BUNDLED_DATA / "aliases.csv", BUNDLED_DATA / "states.csv"]
    rules += [*(BUNDLED_DATA / "synonyms").rglob("*.csv"), *(BUNDLED_DATA / "vocab").rglob("*.csv")]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    for path in sorted(p for p in rules if p.is_file()):
        h.update(str(path.relative_to(BUNDLED_DATA)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


# ------------------------------------------------------------------------------- entry point


def build_store(
    source: Path,
    out: Path,
    *,
    kind: str = PUBLIC,
    label: str | None = None,
    limits: Limits | None = None,
    fast_min_rows: int = FAST_MIN_ROWS,
    on_progress: Progress | None = None,
    strict: bool = False,
) -> BuildResult:
    """Validate ``source`` (a folder or a .zip) and write the store to ``out``.

    Returns the result with the loader's report; ``store`` is None (and ``out`` untouched)
    when nothing was usable, or, with ``strict``, when the report has any error.
    """
    started = time.perf_counter()
    say = on_progress or (lambda _f, _t: None)
    limits = limits or Limits.from_env()
    source = Path(source)
    out = Path(out)
    kind = KINDS.get(kind, kind)
    say(0.02, "Hashing the source files")
    files = provenance(source) if source.exists() else []
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".building", dir=out.parent)
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB creates the file itself
    tmp = Path(tmp_name)
    # A bounded working set: DuckDB spills large sorts and joins to disk beyond it.
    con = duckdb.connect(str(tmp), config={"memory_limit": BUILD_MEMORY})
    try:
        result = _build_into(con, source, kind, label, limits, fast_min_rows, say)
        if not result.ok or (strict and not result.report.ok):
            result.ok = False
            return _finish(result, started)
        say(0.9, "Writing the latest-report table and the provenance")
        _derived_tables(con)
        _write_meta(con, result, files, started)
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, out)  # atomic on one file system: readers see old or new, never half
        result.store = out
        say(1.0, "Done")
        return _finish(result, started)
    finally:
        with contextlib.suppress(duckdb.Error):
            con.close()
        for leftover in (tmp, Path(f"{tmp}.wal")):
            if leftover.exists():
                leftover.unlink()


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


def _build_into(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    kind: str,
    label: str | None,
    limits: Limits,
    fast_min_rows: int,
    say: Progress,
) -> BuildResult:
    bulk: dict[str, list[Path]] = {}
    if source.is_dir():
        bulk = _bulk_candidates(source, limits, fast_min_rows)
    if bulk:
        say(0.05, "Checking the large tables in bulk")
        outcome = _bulk_build(con, source, bulk, kind, label, limits, say)
        if isinstance(outcome, BuildResult):
            return outcome
        for name in bulk:
            con.execute(f"DROP TABLE IF EXISTS {name}")
        say(0.1, f"Large tables need the row-by-row loader ({outcome})")
        result = _loader_build(con, source, kind, label, limits, say)
        result.bulk_fallback = outcome
        return result
    return _loader_build(con, source, kind, label, limits, say)


# ------------------------------------------------------------------------------- loader path


def _load(source: Path, kind: str, label: str | None, limits: Limits) -> loader.LoadResult:
    if source.is_dir():
        return loader.load_folder(source, limits=limits, kind=kind, label=label)
    report = Report()
    if not source.is_file():
        report.error(str(source), "data source not found", fix="Give a folder or a .zip file.")
        return loader.LoadResult(None, report)
    if source.stat().st_size > limits.max_file_bytes:
        report.error(
            source.name,
            f"file is {source.stat().st_size / 2**20:.1f} MB, larger than the limit of "
            f"{limits.max_file_bytes / 2**20:.1f} MB; not read",
            fix="Split the file, or raise SMARTCITIES_MAX_FILE_MB.",
        )
        return loader.LoadResult(None, report)
    return loader._load(
        [Source(source.name, source.read_bytes())],
        limits=limits,
        kind=kind,
        label=label,
        reference=None,
        report=report,
    )


def _loader_build(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    kind: str,
    label: str | None,
    limits: Limits,
    say: Progress,
) -> BuildResult:
    say(0.1, "Reading and validating the files")
    result = _load(source, kind, label, limits)
    if result.dataset is None:
        return BuildResult(None, result.report)
    say(0.7, "Writing the tables")
    ds = result.dataset
    rows = {}
    for name in TABLES:
        frame = ds.tables.get(name)
        rows[name] = _write_frame(con, name, frame)
    return BuildResult(
        None,
        result.report,
        ds.kind,
        ds.label,
        rows,
        tables=tuple(n for n in TABLES if n in ds.tables),
        files=ds.files,
        notes=ds.notes,
        ok=True,
    )


def _write_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | None) -> int:
    """A validated frame into the store, typed by the contract, with ``_row`` (file order)."""
    t = TABLES[name]
    if frame is None:
        cols = ", ".join(f"{f.name} {_sql_type(f)}" for f in t.fields)
        con.execute(f"CREATE TABLE {name} ({cols}, _row BIGINT)")
        return 0
    frame = frame.reset_index(drop=True)
    view = pd.DataFrame({f.name: frame[f.name] for f in t.fields})
    view["_row"] = np.arange(len(view), dtype="int64")
    con.register("_frame", view)
    try:
        cols = ", ".join(f"CAST({f.name} AS {_sql_type(f)}) AS {f.name}" for f in t.fields)
        con.execute(f"CREATE TABLE {name} AS SELECT {cols}, _row FROM _frame")
    finally:
        con.unregister("_frame")
    return len(view)


def _sql_type(f: Field) -> str:
    return {"float": "DOUBLE", "int": "BIGINT", "date": "TIMESTAMP_NS"}.get(f.dtype, "VARCHAR")


# ------------------------------------------------------------------------------- bulk path


def _bulk_candidates(folder: Path, limits: Limits, min_rows: int) -> dict[str, list[Path]]:
    """Large Parquet files in contract form, by table; {} unless the bulk path applies.

    It applies when progress is among them, every progress and projects file qualifies, and
    nothing about the files would make the loader report a problem of its own (limits).
    """
    found: dict[str, list[Path]] = {}
    n_data = 0
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        low = entry.name.lower()
        if low.startswith(".") or not low.endswith(loader.DATA_SUFFIXES):
            continue
        n_data += 1
        stem = low.split(".")[0]
        if stem not in FAST_TABLES:
            continue
        if not low.endswith(".parquet") or entry.is_symlink():
            return {}
        try:
            info = entry.stat(follow_symlinks=False)
            meta = pq.read_metadata(entry)
            schema = pq.read_schema(entry)
        except (OSError, ValueError, Exception):  # noqa: BLE001 - any unreadable file: loader
            return {}
        if not stat.S_ISREG(info.st_mode) or info.st_size > limits.max_file_bytes:
            return {}
        size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if (
            meta.num_rows == 0
            or meta.num_rows > limits.max_rows
            or meta.num_columns > limits.max_columns
            or size > limits.max_decompressed_bytes
            or not _contract_form(schema, stem)
        ):
            return {}
        found.setdefault(stem, []).append(entry)
    if n_data > limits.max_files or "progress" not in found:
        return {}
    if sum(pq.read_metadata(p).num_rows for ps in found.values() for p in ps) < min_rows:
        return {}
    return found


def _contract_form(schema: object, table: str) -> bool:
    """Exactly the contract's columns, each with a type the contract allows."""
    import pyarrow as pa

    t = TABLES[table]
    names = [n for n in schema.names if not n.startswith("__index_level_")]
    if sorted(names) != sorted(t.columns):
        return False
    for f in t.fields:
        typ = schema.field(f.name).type
        if f.dtype in ("string", "category"):
            ok = pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_null(typ)
        elif f.dtype == "float":
            ok = pa.types.is_floating(typ) or pa.types.is_integer(typ) or pa.types.is_null(typ)
        elif f.dtype == "int":
            ok = pa.types.is_integer(typ) or pa.types.is_null(typ)
        elif f.dtype == "date":
            ok = pa.types.is_timestamp(typ) or pa.types.is_date(typ) or pa.types.is_null(typ)
        else:
            ok = False
        if not ok:
            return False
    return True


def _bulk_build(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    bulk: dict[str, list[Path]],
    kind: str,
    label: str | None,
    limits: Limits,
    say: Progress,
) -> BuildResult | str:
    """The bulk path; returns the result, or why it does not apply (then nothing is kept)."""
    # 1. The small tables through the loader, from a copy of the folder without the large files.
    big = {p.name for ps in bulk.values() for p in ps}
    with tempfile.TemporaryDirectory(prefix="smartcities-build-") as tmp:
        for entry in source_files(source):
            if entry.name not in big:
                shutil.copy2(entry, Path(tmp) / entry.name)
        small = _load(Path(tmp), kind, label or _folder_label(source, kind), limits)
    elsewhere = sorted(f for f, t in small.tables_found.items() if t in FAST_TABLES)
    if elsewhere:
        # Another file holds progress or projects (tables are recognised by their columns, not
        # names): the tables would be split between the two paths. The loader takes them all.
        return f"{', '.join(elsewhere)} also hold(s) progress or projects"
    report = small.report
    cities = None
    if small.dataset is not None:
        cities = small.dataset.tables.get("cities")
    # 2. The large files straight into the store, then checked there.
    for name, paths in bulk.items():
        say(0.2, f"Copying {name} into the store")
        _copy_parquet(con, name, paths)
    say(0.45, "Checking the large tables")
    why = _bulk_checks(con, bulk, cities)
    if why:
        return why
    # 3. The probe: the row-by-row normaliser on every distinct combination it reads together.
    say(0.55, "Checking the large tables against the normaliser")
    for name, paths in bulk.items():
        why = _probe(con, name, paths, cities)
        if why:
            return why
    # 4. Derived city progress and the cross-checks the loader runs on the whole table.
    say(0.7, "Deriving city progress from projects")
    small_tables = {} if small.dataset is None else dict(small.dataset.tables)
    notes = list(small.dataset.notes) if small.dataset is not None else []
    # The loader warns about missing tables after deriving progress; the large tables are not
    # missing. Keep the loader's order for the others.
    missing = {f"no {n} table was found; pages that use it will be empty": n for n in TABLES}
    later = [i for i in report.issues if i.file == "" and i.message in missing]
    report.issues = [i for i in report.issues if not (i.file == "" and i.message in missing)]
    # The loader's warning for a table held by several files, as it says it after reading.
    same = Report()
    loader.same_table_warnings([(p.name, n) for n, ps in bulk.items() for p in ps], same)
    report.issues[0:0] = same.issues
    _order_warnings(con, bulk, report)
    _bulk_derive(con, small_tables, report)
    report.issues.extend(i for i in later if missing[i.message] not in bulk)
    rows = {}
    for name in TABLES:
        if name in bulk:
            rows[name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        else:
            rows[name] = _write_frame(con, name, small_tables.get(name))
    final_kind = small.dataset.kind if small.dataset is not None else kind
    (latest,) = con.execute("SELECT max(as_of_date) FROM progress").fetchall()[0]
    small_files = small.dataset.files if small.dataset is not None else ()
    names = tuple(sorted({*small_files, *big}))
    final_label = label or _folder_label(source, kind)
    if final_label is None:
        frame = pd.DataFrame({"as_of_date": pd.Series([latest], dtype="datetime64[ns]")})
        final_label = loader._default_label(final_kind, names, {"progress": frame})
    return BuildResult(
        None,
        report,
        final_kind,
        final_label,
        rows,
        bulk_tables=tuple(bulk),
        tables=tuple(n for n in TABLES if n in bulk or n in small_tables),
        files=names,
        notes=tuple(notes),
        ok=True,
    )


def _folder_label(source: Path, kind: str) -> str | None:
    return None if kind == PUBLIC else f"Data folder {source.name}"  # as load_folder names it


def _copy_parquet(con: duckdb.DuckDBPyConnection, name: str, paths: list[Path]) -> None:
    """Files in name order, rows in file order; ``_row`` numbers them (0-based, as the engine)
    from each file's own row number plus the rows of the files before it: no sort, no window,
    so the copy streams. :func:`_file_spans` maps a ``_row`` back to its file and line."""
    t = TABLES[name]
    cols = ", ".join(f"CAST({f.name} AS {_sql_type(f)}) AS {f.name}" for f in t.fields)
    parts = [
        f"SELECT {cols}, file_row_number + {start} AS _row "
        "FROM read_parquet(?, file_row_number = true)"
        for start, _ in _spans(paths)
    ]
    con.execute(f"CREATE TABLE {name} AS " + " UNION ALL ".join(parts), [str(p) for p in paths])


def _spans(paths: list[Path]) -> list[tuple[int, int]]:
    """(first _row, number of rows) of each file."""
    out, start = [], 0
    for path in paths:
        n = pq.read_metadata(path).num_rows
        out.append((start, n))
        start += n
    return out


def _file_spans(paths: list[Path]) -> pd.DataFrame:
    """Which ``_row`` range came from which file (the loader's issues name file and line)."""
    spans = _spans(paths)
    return pd.DataFrame(
        {
            "_file": [p.name for p in paths],
            "first_row": [a for a, _ in spans],
            "last_row": [a + n - 1 for a, n in spans],
        }
    )


def _bulk_checks(
    con: duckdb.DuckDBPyConnection, bulk: dict[str, list[Path]], cities: pd.DataFrame | None
) -> str:
    """Every rule of validation, dedupe and the cross-checks as a count; '' when all are 0."""
    known = pd.DataFrame({"city_id": [] if cities is None else cities["city_id"].astype(str)})
    con.register("_known", known)
    try:
        for name in bulk:
            t = TABLES[name]
            for f in t.fields:
                for what, cond in _field_checks(f):
                    (n,) = con.execute(f"SELECT count(*) FROM {name} WHERE {cond}").fetchall()[0]
                    if n:
                        return f"{name}.{f.name}: {n:,} row(s) {what}"
            key = ", ".join(t.key)
            (dups,) = con.execute(
                f"SELECT count(*) - count(DISTINCT ({key})) FROM {name}"
            ).fetchall()[0]
            if dups:
                return f"{name}: {dups:,} repeated key(s)"
            city_col, cond = (
                ("area_id", "level = 'city'")
                if name == "progress"
                else (
                    "city_id",
                    "TRUE",
                )
            )
            (n,) = con.execute(
                f"SELECT count(*) FROM {name} WHERE {cond} AND {city_col} NOT IN "
                "(SELECT city_id FROM _known)"
            ).fetchall()[0]
            if n:
                return f"{name}: {n:,} row(s) name a city not in the cities table"
    finally:
        con.unregister("_known")
    return ""


def _field_checks(f: Field) -> list[tuple[str, str]]:
    """SQL conditions a bad cell meets, per the contract (pandera schema) and the normaliser."""
    c = f.name
    out = []
    if not f.nullable:
        out.append(("are empty", f"{c} IS NULL"))
    if f.allowed is not None:
        allowed = ", ".join("'" + a.replace("'", "''") + "'" for a in f.allowed)
        out.append(("have a value not allowed", f"{c} NOT IN ({allowed})"))
    if f.min_value is not None:
        out.append((f"are below {f.min_value:g}", f"{c} < {f.min_value!r}"))
    if f.max_value is not None:
        out.append((f"are above {f.max_value:g}", f"{c} > {f.max_value!r}"))
    if f.dtype == "float":
        out.append(("are not finite", f"NOT isfinite({c})"))
    if f.dtype == "date":
        # The loader keeps dates only; a time of day would be cut off.
        out.append(("carry a time of day", f"{c} <> date_trunc('day', {c})"))
    if f.name == "metric":
        known = ", ".join(f"'{m}'" for m in METRICS)
        out.append(("name an unknown metric", f"{c} NOT IN ({known})"))
    if f.name == "unit":
        # The loader's per-unit plausible maxima (schema.PLAUSIBLE_MAX): a flag above 1, a count
        # above 1e8. Fixed numbers from the schema, not input.
        limits = " ".join(f"WHEN '{u}' THEN {v!r}" for u, v in PLAUSIBLE_MAX.items())
        out.append(
            (
                "hold a value larger than any real record of their unit",
                f"value > (CASE {c} {limits} ELSE 'inf'::DOUBLE END)",
            )
        )
        pairs = ", ".join(f"('{m}', '{v.unit}')" for m, v in METRICS.items())
        out.append(
            (
                "have a unit other than the metric's",
                f"(metric, {c}) NOT IN (SELECT * FROM (VALUES {pairs}))",
            )
        )
    return out


def _order_warnings(
    con: duckdb.DuckDBPyConnection, bulk: dict[str, list[Path]], report: Report
) -> None:
    """The loader's warnings on stage order and project dates, from the loader's own code run
    on just the rows involved (found in SQL), so they read exactly as the loader's."""

    def files(name: str) -> None:
        con.register("_files_df", _file_spans(bulk[name]))

    try:
        if "progress" in bulk:
            files("progress")
            pairs = loader._STAGE_PAIRS
            metrics = sorted({m for pair in pairs for m in pair})
            in_list = ", ".join(f"'{m}'" for m in metrics)
            bad = " OR ".join(
                f"coalesce(min(value) FILTER (metric = '{a}') > "
                f"max(value) FILTER (metric = '{b}'), false)"
                for a, b in pairs
            )
            sub = con.execute(
                f"""SELECT p.as_of_date, p.level, p.area_id, p.area_name, p.metric, p.value,
                       p._row - f.first_row + 2 AS _row, f._file
                FROM progress p JOIN _files_df f ON p._row BETWEEN f.first_row AND f.last_row
                WHERE p.metric IN ({in_list}) AND (p.as_of_date, p.level, p.area_id) IN (
                    SELECT (as_of_date, level, area_id) FROM progress
                    WHERE metric IN ({in_list})
                    GROUP BY as_of_date, level, area_id HAVING {bad})
                ORDER BY p._row"""
            ).df()
            if not sub.empty:
                loader._stage_checks(sub, report)
        if "projects" in bulk:
            files("projects")
            sub = con.execute(
                """SELECT p.project_id, p.tendered_date, p.work_order_date, p.completed_date,
                       p._row - f.first_row + 2 AS _row, f._file
                FROM projects p JOIN _files_df f ON p._row BETWEEN f.first_row AND f.last_row
                WHERE p.tendered_date > p.work_order_date
                   OR p.work_order_date > p.completed_date
                ORDER BY p._row"""
            ).df()
            if not sub.empty:
                loader._project_date_checks(sub, report)
    finally:
        if "_files_df" in {r[0] for r in con.execute("SHOW TABLES").fetchall()}:
            con.unregister("_files_df")


# Plainly clean text: printable ASCII, single spaces inside, none at either end, not a
# formula or HTML look-alike. Anything else goes to the probe, which runs the real cleaning.
_PLAIN = r"[!-;?A-~][ -;=?-~]*"
_PLAIN_RE = r"^[!-;?A-~]([ -;=?-~]*[!-;=?-~])?$"


def _probe(
    con: duckdb.DuckDBPyConnection, name: str, paths: list[Path], cities: pd.DataFrame | None
) -> str:
    """Run the normaliser and the schema on a probe of the table; '' when it comes back
    unchanged and without an issue.

    The probe's rows: each distinct combination of each group of context columns (groups
    cycled independently); the other columns take their not-plainly-clean distinct values, a
    sample of their plain ones and their extremes, spread over those rows (the normaliser
    treats those columns cell by cell).
    """
    t = TABLES[name]
    groups = [[c for c in g if c in t.columns] for g in _CONTEXT[name]]
    groups = [g for g in groups if g]
    context = [c for g in groups for c in g]
    distinct = [con.execute(f"SELECT DISTINCT {', '.join(g)} FROM {name}").df() for g in groups]
    placeholders = ", ".join("'" + p.replace("'", "''") + "'" for p in PLACEHOLDERS)
    spread: dict[str, list[object]] = {}
    for f in t.fields:
        if f.name in context:
            continue
        c = f.name
        if f.dtype in ("string", "category"):
            odd = (
                f"SELECT DISTINCT {c} FROM {name} WHERE {c} IS NOT NULL AND "
                f"(NOT regexp_matches({c}, '{_PLAIN_RE}') OR lower({c}) IN ({placeholders}) "
                f"OR contains({c}, '  '))"
            )
            values = con.execute(f"{odd} LIMIT 100000").df()[c].tolist()
            sample = con.execute(
                f"SELECT DISTINCT {c} FROM {name} WHERE {c} IS NOT NULL LIMIT 1000"
            ).df()[c]
            values += sample.tolist()
        else:
            values = (
                con.execute(
                    f"SELECT {c} FROM (SELECT DISTINCT {c} FROM {name} WHERE {c} IS NOT NULL "
                    f"LIMIT 1000) UNION SELECT min({c}) FROM {name} UNION "
                    f"SELECT max({c}) FROM {name}"
                )
                .df()[c]
                .dropna()
                .tolist()
            )
        spread[c] = values
    n = max([*(len(d) for d in distinct), *(len(v) for v in spread.values()), 1])
    probe = pd.DataFrame(index=pd.RangeIndex(n))
    for d in distinct:
        cycled = d.iloc[np.arange(n) % max(len(d), 1)].reset_index(drop=True)
        for col in d.columns:
            probe[col] = cycled[col] if len(d) else None
    for f in t.fields:
        if f.name in context:
            continue
        values = spread[f.name]
        if values:
            probe[f.name] = pd.Series([values[i % len(values)] for i in range(n)])
        else:
            probe[f.name] = pd.Series([None] * n)
    probe = probe[t.columns]
    if name == "progress" and {"unit", "value"} <= set(probe.columns):
        # The probe pairs values and units that no row pairs (columns are spread apart); keep
        # each value within its row's unit's plausible maximum, which SQL checks row by row.
        cap = probe["unit"].map(PLAUSIBLE_MAX).astype(float)
        probe["value"] = probe["value"].where(cap.isna() | (probe["value"] <= cap), cap)
    raw = _as_raw(probe, t)
    report = Report()
    ctx = Context(f"{name} (probe)", report, cities=cities, reference=None)
    try:
        norm = normalise(raw, ctx.file, name, ctx)
    except MissingColumns as exc:
        return f"{name}: missing {exc.missing}"
    good = loader._validate(norm, report)
    if report.issues or good is None or len(good) != len(raw):
        first = report.issues[0].message if report.issues else "rows dropped"
        return f"{name}: the normaliser would change or reject rows ({first})"
    expected = loader._conform_types(probe, name)
    got = loader._conform_types(loader._strip(good), name)
    for col in t.columns:
        a, b = expected[col], got[col]
        same = (a.isna() == b.isna()).all() and (a[a.notna()] == b[b.notna()]).all()
        if not same:
            return f"{name}.{col}: the normaliser would change values"
    return ""


def _as_raw(probe: pd.DataFrame, t: object) -> pd.DataFrame:
    """The probe as the Parquet reader would hand it to the normaliser."""
    raw = probe.copy()
    for f in TABLES[t.name].fields:
        if f.dtype in ("string", "category"):
            raw[f.name] = raw[f.name].astype("string")
        elif f.dtype == "date":
            raw[f.name] = pd.to_datetime(raw[f.name]).astype("datetime64[ns]")
        else:
            raw[f.name] = pd.to_numeric(raw[f.name])
    raw.index = pd.RangeIndex(2, 2 + len(raw))
    return raw


def _bulk_derive(
    con: duckdb.DuckDBPyConnection, small: dict[str, pd.DataFrame], report: Report
) -> None:
    """:func:`~smartcities.derive.add_derived_progress` with progress left in the store: the
    same plan and SQL (:func:`~smartcities.derive.insert_derived`), given the columns of the
    projects it reads, each series' latest reported stage figures (all the reconciliation
    compares) and the report dates, read in SQL instead of the whole tables."""
    cities = small.get("cities")
    has_projects = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'projects'"
    ).fetchall()[0][0]
    if not has_projects or cities is None:
        return
    projects = con.execute(
        "SELECT project_id, city_id, CAST(stage AS VARCHAR) AS stage, cost_inr_crore, "
        "tendered_date, work_order_date, completed_date, updated_on FROM projects ORDER BY _row"
    ).df()
    if projects.empty:
        return
    in_list = ", ".join(f"'{m}'" for m in STAGE_METRICS)  # fixed metric names, not input
    reported = con.execute(
        f"""SELECT level, area_id, as_of_date, metric, value FROM progress
            WHERE metric IN ({in_list})
            QUALIFY as_of_date = max(as_of_date) OVER (PARTITION BY level, area_id, metric)
            ORDER BY _row"""
    ).df()
    dated = con.execute(
        "SELECT DISTINCT level, as_of_date FROM progress WHERE as_of_date IS NOT NULL"
    ).df()
    (start,) = con.execute("SELECT coalesce(max(_row) + 1, 0) FROM progress").fetchall()[0]
    insert_derived(con, projects, cities, reported, report_dates(dated, projects), report, start)


# ------------------------------------------------------------------------------- derived tables


def _derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """What a server would otherwise compute at start-up."""
    con.execute(f"CREATE TABLE {LATEST_TABLE} AS {latest_table_sql()}")
    parts = [
        f"SELECT '{name}' AS tbl, source_url, count(*) AS n_rows FROM {name} "
        "WHERE source_url IS NOT NULL GROUP BY source_url"
        for name, t in TABLES.items()
        if "source_url" in t.columns
    ]
    con.execute("CREATE TABLE _source_counts AS " + " UNION ALL ".join(parts))


def _write_meta(
    con: duckdb.DuckDBPyConnection,
    result: BuildResult,
    files: list[dict[str, object]],
    started: float,
) -> None:
    (bad,) = con.execute(latest_uniform_sql()).fetchall()[0]
    (latest,) = con.execute("SELECT max(as_of_date) FROM progress").fetchall()[0]
    meta = {
        "format_version": FORMAT_VERSION,
        "kind": result.kind,
        "label": result.label,
        "files": list(result.files),
        "notes": list(result.notes),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 2),
        "code_version": code_version(),
        "latest_uniform": bad == 0,
        "latest_as_of": None if latest is None else pd.Timestamp(latest).isoformat(),
        "rows": result.rows,
        "tables": list(result.tables),
        "bulk_tables": list(result.bulk_tables),
        "bulk_fallback": result.bulk_fallback,
        "report_summary": result.report.summary(),
    }
    con.execute("CREATE TABLE _meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany(
        "INSERT INTO _meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()]
    )
    con.execute(
        "CREATE TABLE _files (file VARCHAR, bytes BIGINT, sha256 VARCHAR)",
    )
    if files:
        con.executemany(
            "INSERT INTO _files VALUES (?, ?, ?)",
            [(f["file"], f["bytes"], f["sha256"]) for f in files],
        )
    issues = result.report.to_frame()
    issues.insert(0, "seq", np.arange(len(issues), dtype="int64"))
    issues = issues.astype({c: "string" for c in issues.columns if c not in ("seq", "row")})
    con.register("_issues_df", issues)
    try:
        con.execute(
            'CREATE TABLE _issues AS SELECT seq, severity, file, "table", "column", '
            "CAST(row AS BIGINT) AS row, value, message, fix FROM _issues_df"
        )
    finally:
        con.unregister("_issues_df")
