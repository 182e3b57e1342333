"""One file's raw table into contract form: the order of the steps, and what is left over.

Input is a :class:`~smartcities.readers.RawTable` (text cells, or typed Parquet columns);
output is a frame with exactly the contract's columns, in the schema's order and dtypes, plus a
``_row`` column holding each row's spreadsheet row number in its file (header = row 1).
Problems become report issues on their row; the row is marked bad and later dropped. Nothing
here guesses silently: a month-only date is set to the 1st *and* the note says so; a date is
always read day-first (Indian usage), never month-first; an unknown city is an error with the
nearest known names as a suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartcities.formula import FORMULA_PREFIXES, SIGNS
from smartcities.normalise import tables
from smartcities.normalise.columns import (
    FREE_TEXT,
    clean_cells,
    clean_free_text,
    clean_series,
    map_unique,
    to_dates,
    to_numbers,
)
from smartcities.normalise.context import Context, Rows
from smartcities.normalise.detect import input_missing
from smartcities.normalise.headers import map_headers, metric_suggestions, wide_metric_columns
from smartcities.normalise.parse import PLACEHOLDERS, category_value
from smartcities.schema import TABLES, Field, Table, pandas_dtype


@dataclass
class Normalised:
    """One file's rows in contract form, with the rows and cells already found bad."""

    name: str
    table: str
    frame: pd.DataFrame  # contract columns in schema order + "_row"
    bad: np.ndarray  # bool per row: an error was reported for it
    flagged: set[tuple[int, str]]  # (position, column) with an error already reported


class MissingColumns(Exception):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def normalise(raw: pd.DataFrame, name: str, table: str, ctx: Context) -> Normalised:
    """Bring one file's raw table into contract form (see the module docstring).

    Raises :class:`MissingColumns` when required input columns are absent.
    """
    t = TABLES[table]
    start = len(ctx.report.issues)
    mapping = map_headers(raw.columns, table)
    metrics = wide_metric_columns(raw.columns) if table == "progress" else {}
    wide = table == "progress" and "metric" not in mapping.values() and bool(metrics)
    if not wide:
        metrics = {}
    missing = input_missing(table, set(mapping.values()), wide)
    if missing:
        raise MissingColumns(missing)
    extra = [
        str(c)
        for c in raw.columns
        if str(c) not in mapping and str(c) not in metrics and not _blank_column(raw, c)
    ]
    if wide:
        # A column that nearly names a metric is a misspelt metric: its figures are lost.
        for col in list(extra):
            sugg = metric_suggestions(col)
            if sugg:
                extra.remove(col)
                ctx.report.error(
                    name,
                    f"unknown metric column '{col}': its values were not loaded",
                    table=table,
                    column=col,
                    fix="Did you mean " + " or ".join(sugg) + "?",
                )
    if extra:
        shown = ", ".join(f"'{c}'" for c in extra)
        ctx.report.warning(
            name,
            f"{len(extra)} column(s) not in the data dictionary, ignored: {shown}",
            table=table,
            fix="Rename them to the dictionary's names if they hold contract data.",
        )
    frame = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    frame["_row"] = np.asarray(raw.index, dtype="int64")
    for raw_col, canon in mapping.items():
        frame[canon] = raw[raw_col].to_numpy()
    if wide:
        frame = _melt(frame, raw, metrics)
    frame = frame.reset_index(drop=True)
    rs = Rows(ctx, table, frame["_row"], np.zeros(len(frame), bool))

    # Text columns first: cleaned, placeholders missing.
    for col in list(frame.columns):
        if col == "_row":
            continue
        f = _field(t, col)
        typed = f is not None and f.dtype in ("float", "int", "date")
        if typed or (col == "value" and table == "progress"):
            continue
        if col in FREE_TEXT:
            frame[col] = clean_free_text(frame[col])
        else:
            frame[col] = clean_cells(frame[col])
    for f in t.fields:
        if f.dtype == "category" and f.name in frame:
            if f.name == "metric":
                continue
            frame[f.name] = map_unique(frame[f.name], lambda v, f=f: category_value(f, v, table))

    if table == "cities":
        frame = tables.cities(frame, rs)
    elif table == "progress":
        frame = tables.progress(frame, rs)
        # A figure given without a date basis is "as on" its date (the data dictionary says so).
        basis = frame.get("date_basis", pd.Series(pd.NA, index=frame.index, dtype="string"))
        frame["date_basis"] = basis.fillna("as_on").astype("string")
    elif table in ("iccc", "projects"):
        frame = tables.city_refs(frame, rs)
        if table == "iccc":
            # A stage reported on a date is what a plain "stage, date" file says.
            basis = frame.get("date_basis", pd.Series(pd.NA, index=frame.index, dtype="string"))
            frame["date_basis"] = basis.fillna("reported").astype("string")

    # Typed columns.
    for f in t.fields:
        if f.name not in frame or f.name == "value" and table == "progress":
            continue
        if f.dtype in ("float", "int"):
            frame[f.name] = to_numbers(frame[f.name], rs, f.name, units=f.unit)
        elif f.dtype == "date":
            frame[f.name], month_only = to_dates(frame[f.name], rs, f.name)
            _month_only_note(frame, month_only, f.name, ctx, table)

    if table == "projects":
        frame = tables.projects(frame, rs, start)
    if table == "cities" and ctx.reference is not None:
        frame = tables.fill_from_reference(frame, ctx.reference)
    if "source_url" in t.columns and "source_url" not in frame:
        ctx.report.warning(
            name,
            "no source_url column: every row is attributed to this file",
            table=table,
            fix="Add a source_url column saying where each figure was published.",
        )
        frame["source_url"] = pd.Series(f"file:{name}", index=frame.index, dtype="string")

    _text_warnings(frame, t, ctx, table)
    ctx.flush(table)
    out = _conform(frame, t)
    return Normalised(name, table, out, rs.bad, rs.flagged)


def _blank_column(raw: pd.DataFrame, col: object) -> bool:
    header = str(col).strip()
    unnamed = header == "" or header.startswith("Unnamed:")
    if not unnamed:
        return False
    values = raw[col].astype("string").fillna("").str.strip()
    return bool((values == "").all())


def _field(t: Table, name: str) -> Field | None:
    try:
        return t.field(name)
    except KeyError:
        return None


def _melt(frame: pd.DataFrame, raw: pd.DataFrame, metrics: dict[str, str]) -> pd.DataFrame:
    """Wide progress (one column per metric) to long rows; empty cells make no row."""
    for raw_col, metric in metrics.items():
        frame[f"__m__{metric}"] = raw[raw_col].to_numpy()
    id_vars = [c for c in frame.columns if not c.startswith("__m__")]
    long = frame.melt(id_vars=id_vars, var_name="metric", value_name="value")
    long["metric"] = long["metric"].str.removeprefix("__m__")
    values = long["value"]
    keep = values.notna()
    if not pd.api.types.is_numeric_dtype(values):
        text = clean_series(values.astype("string")).fillna("").str.lower()
        keep &= ~text.isin(PLACEHOLDERS)
    long = long.loc[keep.to_numpy()]
    return long.sort_values(["_row"], kind="stable")


def _month_only_note(
    frame: pd.DataFrame, month_only: pd.Series, column: str, ctx: Context, table: str
) -> None:
    if not month_only.any():
        return
    n = int(month_only.sum())
    ctx.report.warning(
        ctx.file,
        f"{n} date(s) gave only a month; set to the 1st of the month"
        + (" (the note says so)" if "note" in TABLES[table].columns else ""),
        table=table,
        column=column,
        row=int(frame.loc[month_only, "_row"].iloc[0]),
    )
    if "note" in TABLES[table].columns:
        text = "Month-only date set to the 1st"
        note = (
            frame["note"]
            if "note" in frame
            else pd.Series(pd.NA, index=frame.index, dtype="string")
        )
        note = note.astype("string")
        has = note.notna() & month_only
        note[has] = note[has] + "; " + text
        note[month_only & ~has] = text
        frame["note"] = note


_SIGNS = "".join(re.escape(c) for c in SIGNS)
_FORMULA = re.compile(rf"^[^{_SIGNS}]|^[{_SIGNS}][^\d\s.,]")


def _text_warnings(frame: pd.DataFrame, t: Table, ctx: Context, table: str) -> None:
    """Formula-like or HTML cells are kept as text; say so once per column."""
    for f in t.fields:
        if f.dtype not in ("string", "category") or f.name not in frame:
            continue
        s = frame[f.name].astype("string")
        formula = s.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        if formula.any():  # a sign before a number ("-5") or a space ("- item") is no formula
            formula[formula] = s[formula].str.match(_FORMULA, na=False)
        html = s.str.contains("<", regex=False).fillna(False).astype(bool)
        if html.any():
            html[html] = s[html].str.contains(r"<\s*/?\s*[a-zA-Z][^>]*>", regex=True, na=False)
        for mask, what in (
            (formula, "starts with '=', '+', '-' or '@' like a spreadsheet formula"),
            (html, "contains HTML/script tags"),
        ):
            if mask.any():
                first = int(np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))[0])
                ctx.report.warning(
                    ctx.file,
                    f"{int(mask.sum())} cell(s) {what}: kept and shown as plain text",
                    table=table,
                    column=f.name,
                    row=int(frame["_row"].iat[first]),
                    value=s.iat[first],
                    fix="Nothing to do unless this is a mistake; downloads neutralise it.",
                )


def _conform(frame: pd.DataFrame, t: Table) -> pd.DataFrame:
    """Exactly the contract's columns, order and dtypes (missing optional columns as null)."""
    out = pd.DataFrame(index=frame.index)
    for f in t.fields:
        dtype = pandas_dtype(f)
        if f.name in frame:
            s = frame[f.name]
            if dtype == "string":
                s = s.astype("string")
            elif dtype == "datetime64[ns]":
                s = pd.to_datetime(s).astype("datetime64[ns]")
            elif dtype == "Int64":
                s = pd.to_numeric(s).round().astype("Int64")
            else:
                s = pd.to_numeric(s).astype(dtype)
            out[f.name] = s
        else:
            out[f.name] = pd.Series(
                pd.NA if dtype in ("string", "Int64") else None, index=frame.index, dtype=dtype
            )
    out["_row"] = frame["_row"].astype("int64")
    return out
