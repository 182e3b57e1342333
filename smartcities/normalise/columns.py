"""Whole columns at a time: text cleaned, numbers and dates parsed, cities and states resolved.

Each distinct value is handled once (large files repeat a few values many times); a value that
cannot be read marks its rows bad and becomes a row issue (see :class:`Rows`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from smartcities.names import clean_text
from smartcities.normalise.context import Rows
from smartcities.normalise.parse import PLACEHOLDERS, parse_date, parse_number
from smartcities.normalise.places import (
    CITY_COLUMNS,
    STATE_COLUMNS,
    CityIndex,
    alias_warning,
    did_you_mean,
)

# Python's str.split() white space as literal characters: pyarrow's RE2 reads \s as ASCII only
# (and pandas then falls back to a slow path).
_SPACE = "[ \t\n\r\f\v\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
_INVISIBLE_RE = "[\\x00\u200b\u200c\u200d\u2060\ufeff\u00ad]"


def clean_series(s: pd.Series) -> pd.Series:
    """:func:`~smartcities.names.clean_text` on a whole column, vectorised."""
    values = s if isinstance(s.dtype, pd.StringDtype) else s.astype("string")
    values = values.str.replace(_INVISIBLE_RE, "", regex=True)
    values = values.str.replace(_SPACE, " ", regex=True).str.strip()
    wide = values.str.contains("[^\\x00-\\x7f]", regex=True, na=False).astype(bool)
    if wide.any():
        values = values.copy()
        values[wide] = map_unique(values[wide], clean_text)
    return values.astype("string")


def clean_cells(s: pd.Series) -> pd.Series:
    """Text cells cleaned (invisible chars, spaces), placeholders as missing, dtype string."""
    values = clean_series(s)
    return values.mask(values.str.lower().isin(PLACEHOLDERS)).astype("string")


def map_unique(s: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value."""
    values = s.astype("string")
    mapping = {u: func(str(u)) for u in values.dropna().unique()}
    return values.map(mapping).astype("string")


def clean_free_text(s: pd.Series) -> pd.Series:
    """Free text: cleaned, only empty cells are missing ('NA' in a note stays 'NA')."""
    values = clean_series(s)
    return values.mask(values == "").astype("string")


FREE_TEXT = {"note", "event", "project_name"}


def parse_column(
    s: pd.Series,
    parse: Callable[[object], object],
    rs: Rows,
    column: str,
    fix: str,
    keys: pd.Series | None = None,
) -> pd.Series:
    """Apply ``parse`` to each distinct value; failures become row errors."""
    ctx, rows, table, bad, flagged = rs.ctx, rs.numbers, rs.table, rs.bad, rs.flagged
    values = s.astype(object).where(s.notna(), None).to_numpy()
    key_values = values if keys is None else list(zip(values, keys.to_numpy(), strict=True))
    cache: dict[object, object] = {}
    out: list[object] = []
    for pos, (value, key) in enumerate(zip(values, key_values, strict=True)):
        try:
            hashable = key if keys is not None else (value if value is None else str(value))
            if hashable in cache:
                result = cache[hashable]
            else:
                result = parse(key if keys is not None else value)
                cache[hashable] = result
            if isinstance(result, Exception):
                raise result
        except ValueError as exc:
            cache[hashable] = exc
            bad[pos] = True
            flagged.add((pos, column))
            ctx.row_issue(
                "error",
                str(exc),
                row=int(rows.iloc[pos]),
                column=column,
                table=table,
                value=value,
                fix=fix,
            )
            result = None
        out.append(result)
    return pd.Series(out, index=s.index, dtype=object)


def to_numbers(
    s: pd.Series,
    rs: Rows,
    column: str,
    units: pd.Series | str | None = None,
) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    text = s.astype("string")
    fast = pd.to_numeric(text.str.strip(), errors="coerce").astype("float64")
    fast = fast.where(np.isfinite(fast))
    done = fast.notna() | text.isna()
    result = fast.astype("float64")
    todo = ~done
    if todo.any():
        sub = text[todo]
        part = rs.subset(todo)
        if isinstance(units, pd.Series):
            keys = units[todo].astype(object)
            parsed = parse_column(
                sub,
                lambda k: parse_number(k[0], k[1]),
                part,
                column,
                number_fix(column),
                keys=keys,
            )
        else:
            unit = units
            parsed = parse_column(
                sub, lambda v: parse_number(v, unit), part, column, number_fix(column)
            )
        rs.merge(todo, part)
        result[todo] = pd.to_numeric(parsed, errors="coerce").astype("float64")
    return result


def number_fix(column: str) -> str:
    if column.endswith("_inr_crore") or column == "value":
        return (
            "Write a number such as 1,64,223 or 155386.5; amounts may say '₹1.5 lakh "
            "crore' or '250 cr'."
        )
    return "Write a plain number, such as 1,64,223 or 25.43."


def to_dates(s: pd.Series, rs: Rows, column: str) -> tuple[pd.Series, pd.Series]:
    """Parsed dates and a bool Series: True where only a month was given."""
    month_only = pd.Series(False, index=s.index)
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        return out.dt.normalize().astype("datetime64[ns]"), month_only
    text = s.astype("string")
    fast = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    todo = fast.isna() & text.notna()
    result = fast.astype("datetime64[ns]")
    if todo.any():
        sub = s[todo]
        part = rs.subset(todo)
        parsed = parse_column(
            sub,
            parse_date,
            part,
            column,
            "Write dates as YYYY-MM-DD (e.g. 2025-12-01) or DD/MM/YYYY (day first).",
        )
        rs.merge(todo, part)
        stamps = [None if v is None else v[0] for v in parsed]
        months = [False if v is None else bool(v[1]) for v in parsed]
        result[todo] = pd.to_datetime(pd.Series(stamps, index=sub.index)).astype("datetime64[ns]")
        month_only[todo] = months
    return result, month_only


def resolve_cities(
    frame: pd.DataFrame,
    index: CityIndex,
    rs: Rows,
    mask: pd.Series | None = None,
    id_col: str = "city_id",
    name_col: str = "city_name",
) -> tuple[pd.Series, pd.Series]:
    """Resolve (id, name) pairs to known city ids; unknown cities are row errors.

    Each distinct pair is resolved once, so large files cost one lookup per city.
    """
    ctx, table, bad, flagged, rows = rs.ctx, rs.table, rs.bad, rs.flagged, rs.numbers
    na = pd.Series(pd.NA, index=frame.index, dtype="string")
    ids = frame[id_col].astype("string") if id_col in frame else na
    names = frame[name_col].astype("string") if name_col in frame else na
    use = np.ones(len(frame), bool) if mask is None else mask.to_numpy(dtype=bool)
    keys = ids.fillna("\x00") + "\x1f" + names.fillna("\x00")
    results: dict[str, tuple[str | None, bool, tuple[str, ...], str]] = {}
    for key in pd.unique(keys[use]):
        raw_id, raw_name = (None if part == "\x00" else part for part in key.split("\x1f", 1))
        if raw_id is None and raw_name is None:
            results[key] = (None, False, (), "no city given")
            continue
        try:
            cid, via_alias, sugg = index.resolve(raw_id, raw_name)
            results[key] = (cid, via_alias, sugg, "")
        except ValueError as exc:
            results[key] = (None, False, (), str(exc))
    resolved = keys.map({k: v[0] for k, v in results.items()}).astype("string")
    resolved[~use] = pd.NA
    failed = use & resolved.isna().to_numpy()
    for pos in np.flatnonzero(failed):
        bad[pos] = True
        raw_id = None if pd.isna(ids.iat[pos]) else str(ids.iat[pos])
        raw_name = None if pd.isna(names.iat[pos]) else str(names.iat[pos])
        column = name_col if raw_id is None else id_col
        flagged.update((pos, c) for c in (column, *CITY_COLUMNS))
        _, _, sugg, err = results[keys.iat[pos]]
        shown = raw_name if raw_name is not None else raw_id
        if err == "no city given":
            fix = "Fill in the city's name or city_id."
        elif err:
            fix = "Check city_id and city_name."
        else:
            fix = did_you_mean(sugg)
        ctx.row_issue(
            "error",
            err or f"unknown city '{shown}'",
            row=int(rows.iat[pos]),
            column=column,
            table=table,
            value=shown,
            fix=fix,
        )
    aliases: dict[str, str] = {}
    for key, (cid, via_alias, _, _) in results.items():
        if cid is not None and via_alias:
            raw_id, raw_name = key.split("\x1f", 1)
            aliases[raw_name if raw_name != "\x00" else raw_id] = index.name_of[cid]
    alias_warning(
        ctx.report,
        ctx.file,
        "city",
        aliases,
        table=table,
        column=name_col if name_col in frame else id_col,
    )
    out_name = resolved.map(index.name_of).astype("string")
    return resolved, out_name


def resolve_states(s: pd.Series, rs: Rows, column: str) -> pd.Series:
    """Canonical state/UT names (aliases such as Orissa -> Odisha); unknown names are errors."""
    ctx, table, bad, flagged, rows = rs.ctx, rs.table, rs.bad, rs.flagged, rs.numbers
    values = s.astype("string")
    results = {raw: ctx.harmoniser.resolve("state", str(raw)) for raw in values.dropna().unique()}
    out = values.map({raw: r.canonical for raw, r in results.items()}).astype("string")
    failed = values.notna().to_numpy() & out.isna().to_numpy()
    for pos in np.flatnonzero(failed):
        raw = str(values.iat[pos])
        bad[pos] = True
        flagged.update((pos, c) for c in (column, *STATE_COLUMNS))
        sugg = results[raw].suggestions
        ctx.row_issue(
            "error",
            f"unknown state/UT '{raw}'",
            row=int(rows.iat[pos]),
            column=column,
            table=table,
            value=raw,
            fix=did_you_mean(sugg)
            if sugg
            else "Use the state/UT's current name, e.g. Odisha, Tamil Nadu, Delhi.",
        )
    aliases = {raw: r.canonical for raw, r in results.items() if r.canonical and r.via_alias}
    alias_warning(ctx.report, ctx.file, "state/UT", aliases, table=table, column=column)
    return out
