"""Loading: files -> validated :class:`~smartcities.dataset.Dataset` plus a report of problems.

The steps are: unpack (gzip, zip) and read each file by its contents (:mod:`readers`), work out
which table of the contract it holds (:func:`detect_table`), normalise it (:mod:`normalise`),
validate it with the pandera schema built from the contract, then check the tables together
(duplicate keys, cities that exist, stages that add up). Bad rows are dropped and reported;
good rows are kept. A file missing a required column is not used at all.

Loading never changes anything that exists: it returns a *new* Dataset, or None when nothing
was usable, and the caller keeps its previous data until it decides to switch.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from smartcities import gmis
from smartcities.config import BUNDLED_DATA, Limits
from smartcities.dataset import PUBLIC, SYNTHETIC, UPLOADED, Dataset
from smartcities.derive import DERIVED_SOURCE, add_derived_progress
from smartcities.normalise import Context, MissingColumns, Normalised, normalise
from smartcities.normalise.detect import detect_table
from smartcities.normalise.headers import map_headers
from smartcities.normalise.synonyms import header_key
from smartcities.readers import RawTable, Source, expand, is_companion_file, read_source
from smartcities.report import MAX_ISSUES_PER_KIND, Report
from smartcities.schema import PLAUSIBLE_MAX, TABLES, label, pandas_dtype, pandera_schema

__all__ = [
    "LoadResult",
    "Source",
    "detect_table",
    "load_folder",
    "load_public",
    "load_sources",
    "merge_over",
]

DATA_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".parquet", ".zip")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods")
PREVIEW_ROWS = 20


@dataclass
class LoadResult:
    """What a load produced. ``dataset`` is None when nothing was usable."""

    dataset: Dataset | None
    report: Report
    tables_found: dict[str, str] = field(default_factory=dict)  # file -> table or "unknown"
    previews: dict[str, pd.DataFrame] = field(default_factory=dict)  # file -> first rows
    # file -> (data rows read, rows used): the counts the page states beside the issues
    row_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def rows_used(self) -> int:
        return sum(used for _, used in self.row_counts.values())

    def rows_dropped(self) -> int:
        return sum(read - used for read, used in self.row_counts.values())


# ------------------------------------------------------------------------------- public API


def load_public() -> Dataset:
    """The bundled public record. Raises RuntimeError if it does not validate cleanly."""
    result = load_folder(BUNDLED_DATA, limits=Limits(), kind=PUBLIC)
    if result.dataset is None or not result.report.ok:
        details = "; ".join(f"{i.file} row {i.row}: {i.message}" for i in result.report.errors[:5])
        raise RuntimeError(
            f"the bundled data in {BUNDLED_DATA} failed validation: "
            f"{result.report.summary()}. {details}"
        )
    return result.dataset


def load_folder(
    path: Path,
    *,
    limits: Limits | None = None,
    kind: str = PUBLIC,
    label: str | None = None,
) -> LoadResult:
    """Load every data file in a folder (not its subfolders).

    Symbolic links and anything resolving outside the folder are refused; reference tables
    (aliases.csv, states.csv), documentation and files that are not .csv, .csv.gz, .parquet or
    .zip are ignored. Each file's contents are checked whatever its name says.
    """
    limits = limits or Limits.from_env()
    report = Report()
    root = Path(path)
    if not root.is_dir():
        report.error(
            str(root), "data folder not found", fix="Check --data-dir or SMARTCITIES_DATA_DIR."
        )
        return LoadResult(None, report)
    root_real = root.resolve()
    sources: list[Source] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        name = entry.name
        low = name.lower()
        if low.startswith(".") or is_companion_file(name):
            continue
        if low.endswith(SPREADSHEET_SUFFIXES):
            report.warning(
                name,
                "spreadsheet files are not read; save it as CSV UTF-8",
                fix="In Excel: File > Save As > CSV UTF-8.",
            )
            continue
        if not low.endswith(DATA_SUFFIXES):
            continue
        if entry.is_symlink():
            report.error(
                name,
                "refused: this is a symbolic link",
                fix="Copy the file itself into the data folder.",
            )
            continue
        try:
            real = entry.resolve(strict=True)
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            report.error(name, f"cannot be read ({exc.strerror})")
            continue
        if not real.is_relative_to(root_real):
            report.error(name, "refused: the path leads outside the data folder")
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if info.st_size > limits.max_file_bytes:
            report.error(
                name,
                f"file is {info.st_size / 2**20:.1f} MB, larger than the limit of "
                f"{limits.max_file_bytes / 2**20:.1f} MB; not read",
                fix="Split the file, or raise SMARTCITIES_MAX_FILE_MB.",
            )
            continue
        if len(sources) >= limits.max_files:
            report.error(
                name,
                f"not read: more than {limits.max_files} data files in the folder",
                fix="Raise SMARTCITIES_MAX_FILES or combine files.",
            )
            continue
        try:
            data = _read_no_follow(entry, limits.max_file_bytes)
        except OSError as exc:
            report.error(name, f"cannot be read ({exc.strerror or exc})")
            continue
        if data is None:
            report.error(name, "file grew past the size limit while being read; not read")
            continue
        sources.append(Source(name, data))
    folder_label = label or (None if kind == PUBLIC else f"Data folder {root.name}")
    return _load(
        sources, limits=limits, kind=kind, label=folder_label, reference=None, report=report
    )


def load_sources(
    sources: list[Source],
    *,
    limits: Limits | None = None,
    kind: str = UPLOADED,
    label: str | None = None,
    reference_cities: pd.DataFrame | None = None,
) -> LoadResult:
    """Load files given as bytes (uploads).

    City names and ids are checked against the cities uploaded with them, else against
    ``reference_cities`` (default: the bundled 100 Smart Cities), which then also become the
    result's cities table.
    """
    limits = limits or Limits.from_env()
    reference = reference_cities
    if reference is None and kind != PUBLIC:
        reference = _public_cities()
    return _load(
        list(sources), limits=limits, kind=kind, label=label, reference=reference, report=Report()
    )


def merge_over(base: Dataset, new: Dataset) -> tuple[Dataset, pd.DataFrame]:
    """Overlay ``new`` on ``base``: rows of ``new`` replace rows of ``base`` with the same key.

    Returns the merged dataset (kind ``uploaded``) and a summary with, per table of ``new``,
    how many rows were added, replaced (same key, other values) and unchanged.
    """
    tables: dict[str, pd.DataFrame] = {}
    summary = []
    new_tables, kept_out = _derived_not_reported(base, new)
    for name, t in TABLES.items():
        b = base.tables.get(name)
        n = new_tables.get(name)
        if n is None:
            if b is not None:
                tables[name] = b
            continue
        n = _conform_types(n, name)
        if b is None or b.empty:
            tables[name] = n.reset_index(drop=True)
            summary.append((name, len(n), 0, 0))
            continue
        b = _conform_types(b, name)
        key = list(t.key)
        cols = t.columns
        b_key = pd.util.hash_pandas_object(b[key], index=False)
        n_key = pd.util.hash_pandas_object(n[key], index=False)
        b_full = pd.util.hash_pandas_object(b[cols], index=False)
        n_full = pd.util.hash_pandas_object(n[cols], index=False)
        existing = n_key.isin(set(b_key))
        unchanged = n_full.isin(set(b_full)) & existing
        replaced = existing & ~unchanged
        added = ~existing
        kept = b.loc[~b_key.isin(set(n_key)).to_numpy()]
        merged = pd.concat([kept, n], ignore_index=True)
        tables[name] = _conform_types(merged, name)
        summary.append((name, int(added.sum()), int(replaced.sum()), int(unchanged.sum())))
    frame = pd.DataFrame(summary, columns=["table", "added", "replaced", "unchanged"])
    merged_ds = Dataset(
        tables=tables,
        kind=UPLOADED,
        label=f"{new.label} over {base.label}",
        files=tuple(dict.fromkeys(base.files + new.files)),
        notes=tuple(dict.fromkeys(base.notes + new.notes))
        + (f"Rows of '{new.label}' replace rows of '{base.label}' with the same key.",)
        + kept_out,
    )
    return merged_ds, frame


def _derived_not_reported(base: Dataset, new: Dataset) -> tuple[dict[str, pd.DataFrame], tuple]:
    """``new``'s tables without its derived progress for what ``base`` reports: a figure
    derived from a project list never replaces or outdates a reported one in a merge."""
    tables = dict(new.tables)
    b, n = base.tables.get("progress"), tables.get("progress")
    if b is None or n is None or b.empty or n.empty:
        return tables, ()
    keys = ["level", "area_id", "metric"]
    reported = b.loc[b["source_url"].astype("string") != DERIVED_SOURCE, keys].drop_duplicates()
    derived = (n["source_url"].astype("string") == DERIVED_SOURCE).to_numpy()
    hit = (
        (n[keys].astype("string").merge(reported.astype("string"), how="left", indicator=True))[
            "_merge"
        ]
        .eq("both")
        .to_numpy()
    )
    clash = derived & hit
    if not clash.any():
        return tables, ()
    areas = n.loc[clash, ["level", "area_id"]].drop_duplicates()
    tables["progress"] = n.loc[~clash].reset_index(drop=True)
    return tables, (
        f"Figures derived from the projects for {len(areas)} area(s) that the public record "
        "reports were left out: the reported figures stand.",
    )


# ------------------------------------------------------------------------------- internals


@cache
def _public_cities_cached() -> pd.DataFrame | None:
    try:
        return load_public().cities
    except RuntimeError:
        return None


def _public_cities() -> pd.DataFrame | None:
    cities = _public_cities_cached()
    return None if cities is None else cities.copy()


def _read_no_follow(path: Path, limit: int) -> bytes | None:
    """Read a file without following a symbolic link swapped in meanwhile; None if too big."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    return None if len(data) > limit else data


def _detect(columns: list[str], name: str) -> str | None:
    """detect_table, with the file name as a tie-breaker: a file named after a table (iccc.csv)
    is taken as that table when its header fits it at least as well, so missing columns are
    reported against the table the user meant."""
    found = detect_table(columns)
    stem = Path(name.replace("\\", "/")).name.lower().split(".")[0]
    if stem in TABLES and stem != found:
        mapped = len(map_headers(columns, stem))
        if mapped >= 1 and (found is None or mapped >= len(map_headers(columns, found))):
            return stem
    return found


def _load(
    sources: list[Source],
    *,
    limits: Limits,
    kind: str,
    label: str | None,
    reference: pd.DataFrame | None,
    report: Report,
) -> LoadResult:
    files: list[Source] = []
    tables_found: dict[str, str] = {}
    previews: dict[str, pd.DataFrame] = {}
    for source in sources:
        members = expand(source, limits, report)
        if not members:
            tables_found[source.name] = "unknown"
        files.extend(members)
    if len(files) > limits.max_files:
        report.error(
            files[limits.max_files].name,
            f"more than {limits.max_files} files; the rest were not read",
            fix="Load fewer files at once, or raise SMARTCITIES_MAX_FILES.",
        )
        files = files[: limits.max_files]

    raws = []
    rows_read: dict[str, int] = {}
    layouts: dict[str, int] = {}  # export file -> index of its first report issue
    export_columns: dict[str, dict[str, str]] = {}
    for source in files:
        raw = read_source(source, limits, report)
        if raw is None:
            tables_found[source.name] = "unknown"
            continue
        if gmis.recognise(raw.frame.columns):
            # The mission's own export, read as published: renamed through data/vocab.
            layouts[source.name] = len(report.issues)
            rows_read[source.name] = len(raw.frame)
            adapted = gmis.adapt(raw.frame, source.name, report)
            export_columns[source.name] = adapted.columns
            tables_found[source.name] = "projects"
            raws.append((RawTable(raw.name, adapted.frame, raw.format), "projects"))
            continue
        table = _detect(list(raw.frame.columns), source.name)
        if table is None:
            tables_found[source.name] = "unknown"
            previews[source.name] = _preview(raw.frame)
            shown = ", ".join(str(c) for c in list(raw.frame.columns)[:8])
            report.error(
                source.name,
                f"the columns ({shown}) do not match any table of the data dictionary",
                fix="Expected e.g. cities (city_id, city_name, state_ut, ...), progress "
                "(as_of_date, level, area_id, metric, value, ...), iccc (city_id, stage, "
                "stage_date, ...) or events (event_date, event, category). Download a "
                "template from the upload page.",
            )
            continue
        tables_found[source.name] = table
        rows_read[source.name] = len(raw.frame)
        raws.append((raw, table))

    _same_table_warnings(raws, report)
    parts: dict[str, list[pd.DataFrame]] = {}

    def process(raw: RawTable, table: str, known: pd.DataFrame | None) -> None:
        if raw.frame.empty:
            report.error(raw.name, "no row of the file can be used (see above)", table=table)
            return
        ctx = Context(raw.name, report, cities=known, reference=reference)
        try:
            norm = normalise(raw.frame, raw.name, table, ctx)
        except MissingColumns as exc:
            expected = ", ".join(
                f.name + ("" if f.required else " (optional)") for f in TABLES[table].fields
            )
            close = _closest_headers(exc.missing, list(raw.frame.columns), table)
            report.error(
                raw.name,
                f"missing required column(s) for the {table} table: {', '.join(exc.missing)}; "
                "the file was not used",
                table=table,
                fix=(close + " " if close else "") + f"Expected columns: {expected}.",
            )
            previews[raw.name] = _preview(raw.frame)
            return
        previews[raw.name] = _preview(norm.frame.drop(columns="_row"))
        good = _validate(norm, report)
        if good is not None:
            good["_file"] = raw.name
            parts.setdefault(table, []).append(good)

    # Cities first: the other tables' city references are checked against them.
    for raw, table in raws:
        if table == "cities":
            process(raw, table, reference)
    final: dict[str, pd.DataFrame] = {}
    if "cities" in parts:
        final["cities"] = _dedupe(parts.pop("cities"), "cities", report)
    known = _strip(final["cities"]) if "cities" in final else reference
    for raw, table in raws:
        if table != "cities":
            process(raw, table, known)
    for table, frames in parts.items():
        final[table] = _dedupe(frames, table, report)
    notes: list[str] = []
    usable = any(not frame.empty for frame in final.values())
    if "cities" not in final and reference is not None and usable:
        final["cities"] = _conform_types(reference.copy(), "cities")
        final["cities"]["_file"] = "reference"
        final["cities"]["_row"] = 0
        notes.append("Cities are the reference list (no cities file was loaded).")
    _cross_checks(final, report)
    used = _rows_used(final)
    row_counts = {name: (n, used.get(name, 0)) for name, n in rows_read.items()}
    _row_summary(row_counts, tables_found, report)

    if not any(not frame.empty for frame in final.values()):
        # Nothing usable: no dataset, so the caller keeps what it has.
        _relabel(report, layouts, export_columns)
        return LoadResult(None, report, tables_found, previews, row_counts)
    tables = {name: _conform_types(_strip(frame), name) for name, frame in final.items()}
    add_derived_progress(tables, report)
    tables = {name: _compact(frame) for name, frame in tables.items()}
    if kind != SYNTHETIC and _is_synthetic(tables):
        # Generated data is labelled as such wherever it comes from (a folder, an upload).
        kind = SYNTHETIC
        notes.append("Every row says it was generated (source 'synthetic:'): labelled SYNTHETIC.")
    if kind == PUBLIC:
        for name, t in TABLES.items():
            if name not in tables and not t.optional_table:
                report.warning(
                    "", f"no {name} table was found; pages that use it will be empty", table=name
                )
    # Only files that gave rows name the data set: a file that contributed nothing is listed in
    # the report, never as the user's data.
    contributed = {name for name, (_, n) in row_counts.items() if n}
    names = tuple(
        dict.fromkeys(
            s.name
            for s in sources
            if s.name in contributed or any(f.startswith(s.name + "/") for f in contributed)
        )
    )
    _relabel(report, layouts, export_columns)
    dataset = Dataset(
        tables=tables,
        kind=kind,
        label=label or _default_label(kind, names, tables),
        files=names,
        notes=tuple(notes),
    )
    return LoadResult(dataset, report, tables_found, previews, row_counts)


def _rows_used(final: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Data rows of each file that made it into the tables (a wide row counts once)."""
    used: dict[str, int] = {}
    for frame in final.values():
        if "_file" not in frame or frame.empty:
            continue
        counts = frame.groupby("_file", observed=True, sort=False)["_row"].nunique()
        for name, n in counts.items():
            used[str(name)] = used.get(str(name), 0) + int(n)
    return used


def _closest_headers(missing: list[str], headers: list[object], table: str) -> str:
    """ "Rename: your column 'Project Stage' may be stage." for each missing column that one of
    the file's unused headers resembles, so the message points at the file's own words."""
    used = set(map_headers(headers, table))
    free = {header_key(h): str(h) for h in headers if str(h) not in used}
    hints = []
    for need in missing:
        for option in need.split(" or "):
            words = option.replace("_inr_crore", "").replace("_", " ")
            found = difflib.get_close_matches(header_key(words), list(free), n=1, cutoff=0.5) or [
                k for k in free if header_key(words) in k
            ]
            if found:
                hints.append(f"your column '{free[found[0]]}' may be {option}")
                break
    return ("Rename: " + "; ".join(hints) + ".") if hints else ""


def _row_summary(
    row_counts: dict[str, tuple[int, int]], tables_found: dict[str, str], report: Report
) -> None:
    """One line per file that lost rows, with counts that add up: read = used + not used."""
    for name, (read, used) in row_counts.items():
        if read == used:
            continue
        if not any(i.file == name and i.row is not None for i in report.errors):
            continue  # only exact duplicates were dropped: their warnings say so
        report.error(
            name,
            f"{read - used} of {read} row(s) were not used (see the rows listed); the other "
            f"{used} were loaded",
            table=tables_found.get(name, ""),
            fix="Correct the rows listed and load the file again.",
        )


def _relabel(report: Report, layouts: dict[str, int], columns: dict[str, dict[str, str]]) -> None:
    for name, start in layouts.items():
        gmis.relabel(report, start, name, columns[name])


def _same_table_warnings(raws: list[tuple[RawTable, str]], report: Report) -> None:
    same_table_warnings([(raw.name, table) for raw, table in raws], report)


def same_table_warnings(files: list[tuple[str, str]], report: Report) -> None:
    """Say when two files hold one table (``cities.csv`` and ``cities (1).csv`` in a folder):
    their rows are combined and, for a repeated key, the first file's row is kept. Which one
    is first is not obvious from the names, so it is named rather than chosen silently.
    ``files`` are (file name, table) pairs in reading order (the store's bulk path too)."""
    first: dict[str, str] = {}
    for name, table in files:
        if table not in first:
            first[table] = name
            continue
        report.warning(
            name,
            f"'{first[table]}' also holds the {table} table: the rows of both are used, and "
            f"where both give a row for the same key, the one from '{first[table]}' is kept "
            "(files are read in name order)",
            table=table,
            fix="Keep one file per table in the folder, or remove the rows one of them repeats.",
        )


# Tables at least this long keep repetitive text columns as categories.
COMPACT_MIN_ROWS = 100_000


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Large tables: repetitive text (levels, metrics, areas, sources) as categories.

    Validated values are unchanged; memory falls several-fold (about 200 bytes a row of text
    per column down to a small code), which keeps national-programme data (millions of rows)
    within a server's memory. Small tables keep plain strings.
    """
    if len(frame) < COMPACT_MIN_ROWS:
        return frame
    out = frame.copy(deep=False)
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_string_dtype(s) and s.nunique(dropna=True) <= len(s) // 10:
            out[col] = s.astype("category")
    return out


def _preview(frame: pd.DataFrame) -> pd.DataFrame:
    """The first rows as a detached frame: a head() of Arrow-backed text shares the whole
    column's buffers, which would keep a large file in memory for as long as the preview."""
    head = frame.head(PREVIEW_ROWS)
    return pd.DataFrame({c: head[c].tolist() for c in head.columns}).convert_dtypes(
        dtype_backend="numpy_nullable"
    )


def _is_synthetic(tables: dict[str, pd.DataFrame]) -> bool:
    """True when the cities table exists and every row's source says it was generated."""
    cities = tables.get("cities")
    if cities is None or cities.empty:
        return False
    return bool(cities["source_url"].astype("string").str.startswith("synthetic:").all())


def _default_label(kind: str, names: tuple[str, ...], tables: dict[str, pd.DataFrame]) -> str:
    if kind == PUBLIC:
        progress = tables.get("progress")
        if progress is not None and progress["as_of_date"].notna().any():
            d = pd.Timestamp(progress["as_of_date"].max())
            return f"Public record as on {d.day} {d:%b %Y}"
        return "Public record"
    if kind == SYNTHETIC:
        return "Synthetic data (generated, not real)"
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"Uploaded: {shown}" if shown else "Uploaded data"


def _strip(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in ("_row", "_file") if c in frame])


def _conform_types(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Contract columns in schema order with the contract's dtypes (+ helper columns)."""
    t = TABLES[table]
    out = {}
    for f in t.fields:
        dtype = pandas_dtype(f)
        if f.name in frame:
            s = frame[f.name]
            if str(s.dtype) != dtype:
                s = s.astype(dtype)
        else:
            s = pd.Series(None, index=frame.index, dtype=dtype)
        out[f.name] = s
    for helper in ("_row", "_file"):
        if helper in frame:
            out[helper] = frame[helper]
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


# ------------------------------------------------------------------------------- validation

_CHECK_FIXES = {
    "not_nullable": "Fill in this cell.",
    "must not be empty": "Fill in this cell.",
}


@cache
def _schema(table: str) -> pa.DataFrameSchema:
    return pandera_schema(TABLES[table])


def _validate(norm: Normalised, report: Report) -> pd.DataFrame | None:
    """Validate one file's rows with the contract schema; return the good rows."""
    t = TABLES[norm.table]
    frame = norm.frame
    bad = norm.bad.copy()
    schema = _schema(norm.table)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        counts: dict[tuple[str, str], int] = {}
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            column = str(case.column) if case.column is not None else ""
            check = str(case.check)
            index = case.index
            if check.startswith("field_uniqueness"):
                continue  # duplicate keys are reported by _dedupe
            if index is None or (isinstance(index, float) and np.isnan(index)):
                report.error(
                    norm.name,
                    f"column {column}: {check}; the file was not used",
                    table=norm.table,
                    column=column,
                )
                return None
            pos = int(index)
            if (pos, column) in norm.flagged:
                continue
            if norm.table == "projects" and gmis.optional_only(column):
                # Optional detail that is wrong loses the cell, not the project.
                frame.loc[pos, column] = None
                key = (column, check)
                counts[key] = counts.get(key, 0) + 1
                if counts[key] > MAX_ISSUES_PER_KIND:
                    continue
                message, fix = _describe(t.name, column, check, case.failure_case)
                report.error(
                    norm.name,
                    message + gmis.LEFT_BLANK,
                    table=norm.table,
                    column=column,
                    row=int(frame["_row"].iat[pos]),
                    value=_show(case.failure_case),
                    fix=fix,
                )
                continue
            bad[pos] = True
            key = (column, check)
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > MAX_ISSUES_PER_KIND:
                continue
            message, fix = _describe(t.name, column, check, case.failure_case)
            report.error(
                norm.name,
                message,
                table=norm.table,
                column=column,
                row=int(frame["_row"].iat[pos]),
                value=_show(case.failure_case),
                fix=fix,
            )
        for (column, check), n in counts.items():
            if n > MAX_ISSUES_PER_KIND:
                report.error(
                    norm.name,
                    f"{n - MAX_ISSUES_PER_KIND} more row(s) with the same "
                    f"problem: {column} {check}"
                    + (
                        gmis.LEFT_BLANK
                        if norm.table == "projects" and gmis.optional_only(column)
                        else ""
                    ),
                    table=norm.table,
                    column=column,
                )
    if norm.table == "progress":
        bad |= _implausible(norm, bad, report)
    if norm.table in MARKUP_COLUMNS:
        _markup_warnings(norm, bad, report)
    # How many rows were left out is said once per file, after every check (_row_summary).
    return frame.loc[~bad].reset_index(drop=True)


def _implausible(norm: Normalised, bad: np.ndarray, report: Report) -> np.ndarray:
    """Progress values larger than any real record of their unit could hold (``PLAUSIBLE_MAX``):
    errors, so a value of 1e28 is refused here instead of reaching a page."""
    frame = norm.frame
    out = np.zeros(len(frame), dtype=bool)
    if not {"unit", "value"} <= set(frame.columns):
        return out
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(float)
    units = frame["unit"].astype("string").to_numpy(object)
    for unit, limit in PLAUSIBLE_MAX.items():
        hit = (units == unit) & (values > limit) & ~np.asarray(bad, dtype=bool)
        positions = np.flatnonzero(hit)
        for pos in positions[:MAX_ISSUES_PER_KIND]:
            report.error(
                norm.name,
                f"value {_show(values[pos])} is larger than any real {unit} figure could be "
                f"(at most {limit:,.0f})",
                table=norm.table,
                column="value",
                row=int(frame["_row"].iat[pos]),
                value=_show(values[pos]),
                fix="Check the unit (amounts are in ₹ crore, not rupees) and the digits.",
            )
        if len(positions) > MAX_ISSUES_PER_KIND:
            report.error(
                norm.name,
                f"{len(positions) - MAX_ISSUES_PER_KIND} more row(s) with a {unit} value "
                f"above {limit:,.0f}",
                table=norm.table,
                column="value",
            )
        out |= hit
    return out


# Text columns a page shows: Markdown or HTML in them is shown as text, and said so.
MARKUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "cities": ("city_name", "selection_name", "note"),
    "progress": ("area_name", "note"),
    "iccc": ("note",),
    "projects": ("project_name", "sector"),
    "events": ("event",),
}
MAX_MARKUP_WARNINGS = 3  # per column: the first few rows, then one line counting the rest
_MARKUP = re.compile(r"\]\(|!\[|<\s*[A-Za-z/!]|\$[^$]+\$|:[a-z]+\[|:material/")


def _markup_warnings(norm: Normalised, bad: np.ndarray, report: Report) -> None:
    """Warn about Markdown links, images, HTML, LaTeX or directives in names and notes.

    The values are kept as they are: every page shows them as text (``smartcities.safe``),
    but a name that looks like a link is worth a second look by whoever made the file."""
    frame = norm.frame
    for column in MARKUP_COLUMNS[norm.table]:
        if column not in frame.columns:
            continue
        text = frame[column].astype("string")
        hit = text.str.contains(_MARKUP, regex=True, na=False).to_numpy(bool)
        positions = np.flatnonzero(hit & ~np.asarray(bad, dtype=bool))
        for pos in positions[:MAX_MARKUP_WARNINGS]:
            report.warning(
                norm.name,
                f"{column} holds link, image, HTML or formula markup; it is kept and shown "
                "as plain text, never as a link or picture",
                table=norm.table,
                column=column,
                row=int(frame["_row"].iat[pos]),
                value=_show(text.iat[pos])[:200],
                fix="Remove the markup if it is not part of the name or note.",
            )
        if len(positions) > MAX_MARKUP_WARNINGS:
            report.warning(
                norm.name,
                f"{len(positions) - MAX_MARKUP_WARNINGS} more row(s) with markup in {column}",
                table=norm.table,
                column=column,
            )


def _show(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else f"{value:g}"
    return str(value)


def _describe(table: str, column: str, check: str, value: object) -> tuple[str, str]:
    name = label(column, table)
    f = TABLES[table].field(column) if column in TABLES[table].columns else None
    if check in ("not_nullable", "must not be empty"):
        return f"{name} ({column}) is empty", f"Fill in {column}" + (
            f", e.g. {f.example}." if f is not None and f.example else "."
        )
    if check.startswith("must be one of") and f is not None and f.allowed:
        return (
            f"{column} '{_show(value)}' is not allowed",
            "Use one of: " + ", ".join(f.allowed) + ".",
        )
    if check.startswith("must be at least"):
        if column == "value":
            return (
                f"value {_show(value)} is negative",
                "Counts and amounts cannot be negative; check the sign.",
            )
        return f"{column} {_show(value)} {check}", f"Check {column}: it {check}."
    if check.startswith("must be at most"):
        limit = f.max_value if f is not None and f.max_value is not None else None
        bound = f"{limit:,.0f}" if limit is not None else check.removeprefix("must be at most ")
        return (
            f"{column} {_show(value)} is larger than any real record could hold (at most {bound})",
            f"Check the unit (amounts are in ₹ crore, not rupees) and the digits of {column}.",
        )
    return f"{column}: {check}", _CHECK_FIXES.get(check, "")


# ------------------------------------------------------------------------------- table checks


def _dedupe(frames: list[pd.DataFrame], table: str, report: Report) -> pd.DataFrame:
    """Concatenate one table's files; drop exact duplicates (warning) and repeated keys
    (error on the later rows)."""
    t = TABLES[table]
    frame = (
        pd.concat(frames, ignore_index=True)
        if len(frames) > 1
        else frames[0].reset_index(drop=True)
    )
    if frame.empty:
        return frame
    key = list(t.key)
    cols = t.columns
    exact = frame.duplicated(subset=cols, keep="first")
    same_key = frame.duplicated(subset=key, keep="first") & ~exact
    if exact.any() or same_key.any():
        first_row = frame.groupby(key, dropna=False, sort=False)["_row"].transform("first")
        first_file = frame.groupby(key, dropna=False, sort=False)["_file"].transform("first")
        for mask, severity in ((exact, "warning"), (same_key, "error")):
            positions = np.flatnonzero(mask.to_numpy())
            for pos in positions[:MAX_ISSUES_PER_KIND]:
                where = f"row {first_row.iat[pos]}"
                if first_file.iat[pos] != frame["_file"].iat[pos]:
                    where += f" of {first_file.iat[pos]}"
                keytext = ", ".join(f"{k}={_show(frame[k].iat[pos])}" for k in key)
                if severity == "warning":
                    message = f"exact duplicate of {where}; dropped"
                    fix = "Remove the repeated row."
                else:
                    message = (
                        f"duplicate key ({keytext}): {where} has the same key with "
                        "other values; this row was not used"
                    )
                    fix = "Keep one row per " + ", ".join(key) + "; correct or remove the other."
                report.add(
                    severity,
                    str(frame["_file"].iat[pos]),
                    message,
                    table=table,
                    column=key[0],
                    row=int(frame["_row"].iat[pos]),
                    value=keytext,
                    fix=fix,
                )
            if len(positions) > MAX_ISSUES_PER_KIND:
                report.add(
                    severity,
                    str(frame["_file"].iat[positions[0]]),
                    f"{len(positions) - MAX_ISSUES_PER_KIND} more duplicate row(s)",
                    table=table,
                )
        frame = frame.loc[~(exact | same_key).to_numpy()].reset_index(drop=True)
    return frame


def _cross_checks(final: dict[str, pd.DataFrame], report: Report) -> None:
    """Checks across rows and tables; city references that do not exist are errors."""
    cities = final.get("cities")
    known = set() if cities is None else set(cities["city_id"].dropna())
    for table, column, mask_fn in (
        ("iccc", "city_id", None),
        ("projects", "city_id", None),
        ("progress", "area_id", lambda f: f["level"] == "city"),
    ):
        frame = final.get(table)
        if frame is None or frame.empty:
            continue
        mask = pd.Series(True, index=frame.index) if mask_fn is None else mask_fn(frame)
        missing = mask & ~frame[column].isin(known)
        if missing.any():
            for pos in np.flatnonzero(missing.to_numpy())[:MAX_ISSUES_PER_KIND]:
                report.error(
                    str(frame["_file"].iat[pos]),
                    f"city '{frame[column].iat[pos]}' is not in the cities table; row not used",
                    table=table,
                    column=column,
                    row=int(frame["_row"].iat[pos]),
                    value=frame[column].iat[pos],
                    fix="Add the city to the cities table, or correct the city_id.",
                )
            extra = int(missing.sum()) - MAX_ISSUES_PER_KIND
            if extra > 0:
                report.error(
                    "",
                    f"{extra} more row(s) name a city not in the cities table",
                    table=table,
                    column=column,
                )
            final[table] = frame.loc[~missing.to_numpy()].reset_index(drop=True)
    if "progress" in final:
        _stage_checks(final["progress"], report)
    if "projects" in final:
        _project_date_checks(final["projects"], report)


_STAGE_PAIRS = (
    ("projects_completed_count", "work_orders_issued_count"),
    ("work_orders_issued_count", "projects_tendered_count"),
    ("projects_completed_inr_crore", "work_orders_issued_inr_crore"),
    ("work_orders_issued_inr_crore", "projects_tendered_inr_crore"),
    ("funds_utilised_inr_crore", "central_funds_released_inr_crore"),
)


def _stage_checks(progress: pd.DataFrame, report: Report) -> None:
    """Warn where a later stage exceeds an earlier one for the same area and date."""
    if progress.empty:
        return
    present = set(progress["metric"].unique())
    pairs = [(a, b) for a, b in _STAGE_PAIRS if a in present and b in present]
    if not pairs:
        return
    sub = progress[progress["metric"].isin({m for pair in pairs for m in pair})]
    keys = ["as_of_date", "level", "area_id"]
    stats = sub.groupby([*keys, "metric"], observed=True, sort=False).agg(
        low=("value", "min"),
        high=("value", "max"),
        _file=("_file", "first"),
        _row=("_row", "first"),
        area=("area_name", "first"),
    )
    low = stats["low"].unstack("metric")
    high = stats["high"].unstack("metric")
    where = stats
    n = 0
    for later, earlier in pairs:
        bad = low[later] > high[earlier]
        for idx in bad[bad.fillna(False)].index:
            n += 1
            if n > MAX_ISSUES_PER_KIND:
                continue
            info = where.loc[(*idx, later)]
            d = pd.Timestamp(idx[0]).date().isoformat()
            funds = later.startswith("funds")
            message = (
                f"{label(later)} ({_show(low.at[idx, later])}) exceed {label(earlier).lower()} "
                f"({_show(high.at[idx, earlier])}) for {info['area']} on {d}"
            )
            report.warning(
                str(info["_file"]),
                message,
                table="progress",
                column="value",
                row=int(info["_row"]),
                value=_show(low.at[idx, later]),
                fix="Funds utilised cannot exceed funds released; check both figures."
                if funds
                else "A later stage cannot exceed an earlier one (completed ≤ work "
                "orders issued ≤ tendered); check both figures and their dates.",
            )
    if n > MAX_ISSUES_PER_KIND:
        report.warning(
            "",
            f"{n - MAX_ISSUES_PER_KIND} more figure(s) where a later stage exceeds an earlier one",
            table="progress",
            column="value",
        )


def _project_date_checks(projects: pd.DataFrame, report: Report) -> None:
    order = ("tendered_date", "work_order_date", "completed_date")
    n = 0
    for a, b in zip(order, order[1:], strict=False):
        bad = projects[a].notna() & projects[b].notna() & (projects[a] > projects[b])
        for pos in np.flatnonzero(bad.to_numpy()):
            n += 1
            if n > MAX_ISSUES_PER_KIND:
                continue
            report.warning(
                str(projects["_file"].iat[pos]),
                f"project {projects['project_id'].iat[pos]}: {b} is before {a}",
                table="projects",
                column=b,
                row=int(projects["_row"].iat[pos]),
                value=_show(projects[b].iat[pos]),
                fix="Check the dates: a project is tendered, then gets a work order, then is "
                "completed.",
            )
    if n > MAX_ISSUES_PER_KIND:
        report.warning(
            "",
            f"{n - MAX_ISSUES_PER_KIND} more project(s) with dates out of order",
            table="projects",
        )
