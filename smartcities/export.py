"""Downloads: the rows of the current view as CSV, Excel, Parquet or a documented zip.

A download is the current view in another format (design principle 9): :func:`view_sql` is the
SQL of the rows of one table for a filter scope, and the Data page both shows and exports
exactly those rows. The page's rerun only counts them, fetches the first
:data:`DISPLAY_ROWS` and lists their sources (the same SQL wrapped as a subquery); the whole
view is read only when a download is asked for. Column names are the schema's (stable, no
display labels) and dates are ISO.

Spreadsheet formula injection (OWASP "CSV injection"): a text cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return would be run as a formula by Excel or LibreOffice when
a CSV is opened. CSV and Excel exports therefore prefix such text with an apostrophe; numbers
(negative ones included) stay numbers. Parquet is read by code, not spreadsheets, so it keeps
every value exact. The Excel writer is also told never to turn strings into formulas or links.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from smartcities import dictionary, fmt
from smartcities.provenance import BOUNDARY_CREDIT
from smartcities.query import (
    Engine,
    Params,
    Scope,
    cities_sql,
    iccc_sql,
    progress_sql,
    projects_sql,
)
from smartcities.safe import escape, is_web_url
from smartcities.schema import TABLES

TABLE_ORDER: tuple[str, ...] = ("progress", "cities", "iccc", "projects", "events")
# ASCII and their fullwidth forms (＝ ＋ － ＠): spreadsheets in CJK locales read those as
# formula starts too.
FORMULA_PREFIXES: tuple[str, ...] = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
# Text that is just a number ("-5", "+2.5") cannot run as a formula; it is left alone.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet's 1,048,576 is the header
_SAFE_PART = re.compile(r"[^A-Za-z0-9-]+")


# ---------------------------------------------------------------- which rows


def events_sql(scope: Scope) -> tuple[str, Params]:
    """Mission events up to the scope's date (events are national: area filters don't apply)."""
    if scope.as_of:
        return (
            "SELECT * FROM events WHERE event_date <= ? ORDER BY event_date, _row",
            [pd.Timestamp(scope.as_of).to_pydatetime()],
        )
    return "SELECT * FROM events ORDER BY event_date, _row", []


# More rows than this are not drawn in the browser's table; downloads always hold the whole
# view, and the page says how many rows the preview leaves out. Every row sent is serialised,
# sent and laid out on each rerun: at 100 synthetic cities (21,000 progress rows) a 50,000-row
# preview made the page open in ~1.9 s against ~1.5 s for 5,000 rows (median of 5 opens).
DISPLAY_ROWS = 5_000


def view_sql(
    table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """The SQL of the rows of ``table`` for a filter scope: what the Data page shows and exports.

    ``metrics`` narrows the progress table to some metrics (ignored for other tables). Every
    other query of the page wraps this one, so the count, the rows shown, the sources and the
    downloads cannot disagree about which rows the view holds.
    """
    if table == "progress":
        return progress_sql(scope, metrics=metrics or None)
    if table == "cities":
        return cities_sql(scope)
    if table == "iccc":
        return iccc_sql(scope)
    if table == "projects":
        return projects_sql(scope)
    if table == "events":
        return events_sql(scope)
    raise KeyError(table)


# The view's final ORDER BY: column names only, optionally ASC/DESC and NULLS FIRST/LAST, up to
# the end of the text (so not inside a subquery, and never followed by LIMIT or OFFSET).
_SORT_KEY = r"[A-Za-z_][\w.]*(?:\s+(?:ASC|DESC))?(?:\s+NULLS\s+(?:FIRST|LAST))?"
_FINAL_ORDER_BY = re.compile(rf"\s+ORDER\s+BY\s+{_SORT_KEY}(?:\s*,\s*{_SORT_KEY})*\s*$", re.I)


def unordered(sql: str) -> str:
    """The view's SQL without its final ORDER BY, for a count or a group-by over it.

    DuckDB keeps a subquery's sort even under an aggregate, and at millions of rows the sort is
    most of the cost (about 0.5 s of a 0.55 s count at 5.7 M rows). The order cannot change
    which rows there are; SQL that does not end in a plain ORDER BY is returned unchanged
    (still right, only slower).
    """
    return _FINAL_ORDER_BY.sub("", sql)


def count_sql(
    table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """How many rows the view holds (column ``n``), without reading them."""
    inner, params = view_sql(table, scope, metrics=metrics)
    return f"SELECT count(*) AS n FROM ({unordered(inner)}) AS v", params


def head_sql(
    table: str, scope: Scope, limit: int, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """The first ``limit`` rows of the view, in the view's order.

    DuckDB keeps a subquery's ORDER BY under a plain LIMIT (it plans the two as one top-N
    sort), so these are the first rows of the full view; a unit test holds it to that.
    """
    inner, params = view_sql(table, scope, metrics=metrics)
    return f"SELECT * FROM ({inner}) AS v LIMIT ?", [*params, max(int(limit), 0)]


def sources_sql(
    table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """The distinct ``source_url`` values of the view with their row counts (``n_rows``).

    Most-cited first, then by URL, so the order is stable; rows without a source are left out.
    """
    inner, params = view_sql(table, scope, metrics=metrics)
    sql = (
        f"SELECT source_url, count(*) AS n_rows FROM ({unordered(inner)}) AS v "
        "WHERE source_url IS NOT NULL GROUP BY source_url ORDER BY n_rows DESC, source_url"
    )
    return sql, params


def view_rows(
    engine: Engine, table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """All rows of ``table`` for a filter scope (the downloads; the page shows the first ones)."""
    return engine.query(*view_sql(table, scope, metrics=metrics))


@dataclass(frozen=True)
class View:
    """One table under one filter scope, as the Data page shows and exports it.

    Each method runs one query over :func:`view_sql`, so a rerun can count the rows, read the
    first ones and list the sources without reading the whole view. A page hands
    :meth:`rows` to the download buttons rather than the rows themselves: a button keeps its
    callable for the session, and a view of millions of rows should not be held that long.
    """

    engine: Engine
    table: str
    scope: Scope
    metrics: tuple[str, ...] | None = None

    def rows(self) -> pd.DataFrame:
        """All rows of the view (what the downloads hold)."""
        return view_rows(self.engine, self.table, self.scope, metrics=self.metrics)

    def count(self) -> int:
        """How many rows :meth:`rows` would return."""
        sql, params = count_sql(self.table, self.scope, metrics=self.metrics)
        return int(self.engine.query(sql, params)["n"].iloc[0])

    def head(self, limit: int) -> pd.DataFrame:
        """The first ``limit`` rows of :meth:`rows`, read without the rest."""
        return self.engine.query(*head_sql(self.table, self.scope, limit, metrics=self.metrics))

    def sources(self) -> pd.DataFrame:
        """The distinct sources of :meth:`rows`: ``source_url`` and ``n_rows``."""
        return self.engine.query(*sources_sql(self.table, self.scope, metrics=self.metrics))


def view_tables(
    engine: Engine,
    scope: Scope,
    names: Iterable[str],
    *,
    metrics: tuple[str, ...] | None = None,
) -> dict[str, pd.DataFrame]:
    """Several tables for the same scope (the content of the data package zip)."""
    return {name: view_rows(engine, name, scope, metrics=metrics) for name in names}


# ---------------------------------------------------------------- neutralising formulas


def neutralise_text(value: object) -> object:
    """Prefix a formula-like text value with an apostrophe; leave everything else alone."""
    if not isinstance(value, str):
        return value
    # Leading spaces are skipped by some spreadsheets before a formula starts.
    head = value.lstrip(" \u3000")
    if head.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(head):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with formula-like text prefixed in every text column (numbers untouched)."""
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[col] = series.map(neutralise_text, na_action="ignore")
    return out


def _iso_dates(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as YYYY-MM-DD text (times are never meaningful in this data)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


# ---------------------------------------------------------------- formats


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV, header of schema column names, ISO dates, formulas neutralised."""
    text = neutralise(_iso_dates(df)).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def to_parquet_bytes(df: pd.DataFrame, *, metadata: Mapping[str, str] | None = None) -> bytes:
    """Parquet with values exactly as loaded; ``metadata`` goes in the file's key-value store."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    if metadata:
        merged = dict(table.schema.metadata or {})
        merged.update({k.encode(): v.encode() for k, v in metadata.items()})
        table = table.replace_schema_metadata(merged)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "Data"
    return cleaned[:31]


def to_excel_bytes(df: pd.DataFrame, *, sheet_name: str, notes: Mapping[str, object]) -> bytes:
    """An .xlsx with the rows on one sheet and an "About" sheet (citation, filters, data set).

    Text is written as text (never formulas or links), formula-like text is prefixed, dates are
    real date cells shown as YYYY-MM-DD.
    """
    if len(df) > EXCEL_MAX_ROWS:
        raise ValueError(
            f"{len(df):,} rows do not fit on an Excel sheet ({EXCEL_MAX_ROWS:,} at most); "
            "use CSV or Parquet."
        )
    about = pd.DataFrame({"item": list(notes), "value": [str(v) for v in notes.values()]})
    buf = io.BytesIO()
    with pd.ExcelWriter(
        buf,
        engine="xlsxwriter",
        date_format="yyyy-mm-dd",
        datetime_format="yyyy-mm-dd",
        engine_kwargs={
            "options": {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            }
        },
    ) as writer:
        data_sheet = _sheet_name(sheet_name)
        if data_sheet.lower() == "about":
            data_sheet = "Data"
        neutralise(df).to_excel(writer, sheet_name=data_sheet, index=False)
        neutralise(about).to_excel(writer, sheet_name="About", index=False)
        writer.sheets[data_sheet].freeze_panes(1, 0)
        writer.sheets["About"].set_column(0, 0, 22)
        writer.sheets["About"].set_column(1, 1, 110)
    return buf.getvalue()


# ---------------------------------------------------------------- names and provenance


def file_stem(
    table: str,
    *,
    filters: Mapping[str, str],
    as_of: date | datetime | pd.Timestamp | None,
    synthetic: bool = False,
    extra: Sequence[str] = (),
) -> str:
    """A stable, safe file name stem: ``smartcities_progress_bihar_2025-12-01``.

    ``filters`` are the URL parameters of the view (slugs), so the name says what was chosen;
    synthetic data is marked ``SYNTHETIC`` so a file can't be mistaken for the public record.
    """
    parts = ["smartcities"]
    if synthetic:
        parts.append("SYNTHETIC")
    parts.append(table)
    values = [v for k, v in filters.items() if k not in ("as_of", "dataset") and v]
    values += list(extra)
    parts += [_SAFE_PART.sub("-", v).strip("-")[:60] for v in values] or ["all"]
    if as_of is not None:
        parts.append(pd.Timestamp(as_of).date().isoformat())
    return "_".join(p for p in parts if p)


def cite(
    citation: str,
    *,
    dataset_label: str,
    as_of: date | datetime | pd.Timestamp | None,
    accessed: date | None = None,
    synthetic: bool = False,
) -> str:
    """The citation for a view: base citation, data set, data vintage and access date.

    Synthetic data gets a warning in the citation itself, so a copied citation carries it.
    """
    vintage = pd.Timestamp(as_of).date().isoformat() if as_of is not None else "latest"
    when = (accessed or datetime.now(UTC).date()).isoformat()
    text = f"{citation} Data set: {dataset_label}; figures as on {vintage}; accessed {when}."
    if synthetic:
        text = "SYNTHETIC DATA, NOT REAL FIGURES: do not cite as fact. " + text
    return text


def view_text(
    place: str,
    *,
    chosen_as_of: date | None,
    latest: date | datetime | pd.Timestamp | None,
    metric_labels: Sequence[str] = (),
) -> str:
    """The filters of a view in words, for the page, README, Excel and datapackage."""
    if chosen_as_of is not None:
        when = f"figures reported on or before {fmt.as_on(chosen_as_of)}"
    elif latest is not None:
        when = f"all dates up to the latest report ({fmt.as_on(latest)})"
    else:
        when = "all dates"
    text = f"{place}; {when}"
    if metric_labels:
        text += "; metrics: " + ", ".join(metric_labels)
    return text


def distinct_sources(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Distinct ``source_url`` values across tables, in order of first appearance."""
    seen: dict[str, None] = {}
    for frame in tables.values():
        if "source_url" in frame.columns:
            for url in frame["source_url"].dropna():
                seen.setdefault(str(url), None)
    return list(seen)


def readme(
    tables: Mapping[str, pd.DataFrame],
    *,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
    sources: Sequence[str],
) -> str:
    """README.md of the data package: what the view is, how to cite it, licence, sources."""
    synthetic = kind == "synthetic"
    head = (
        "# SYNTHETIC DATA: Smart Cities Mission export"
        if synthetic
        else ("# Smart Cities Mission dashboard export")
    )
    lines = [head, ""]
    if synthetic:
        lines += [
            "**SYNTHETIC DATA. These figures were generated for demonstration and are NOT real "
            "figures for any city. Do not cite them as facts.**",
            "",
        ]
    lines += [
        f"- Data set: {escape(dataset_label)} ({dictionary.KIND_DESCRIPTIONS.get(kind, kind)})",
        f"- View (filters): {escape(filters_text)}",
        "- Files:",
        *[f"  - `{name}.csv`: {len(frame):,} rows" for name, frame in tables.items()],
        "  - `datapackage.json`: Frictionless Data Package describing every column",
        "  - `data-dictionary.md`: the data dictionary in words",
        "",
        "Column names are stable and match the data dictionary; dates are YYYY-MM-DD; amounts "
        "are in ₹ crore. Text cells that began with `=`, `+`, `-`, `@`, a tab or a carriage "
        "return carry a leading apostrophe so spreadsheets do not run them as formulas.",
        "",
        "## How to cite",
        "",
        citation,
        "",
        "## Licence",
        "",
        dictionary.licence_note(kind),
        *[f"\n{lic['title']}: {lic['path']}" for lic in dictionary.licenses(kind)],
        "",
        f"Maps in the dashboard: {BOUNDARY_CREDIT}.",
        "",
        f"## Sources ({len(sources)})",
        "",
        # Web addresses as they are (a reader follows them); anything else in a code span, so
        # a `javascript:` or Markdown-link value cannot become a link in a README viewer.
        *[f"- {s}" if is_web_url(s) else f"- `{_code(s)}`" for s in sources],
        "",
    ]
    return "\n".join(lines)


def _code(text: str) -> str:
    """Text for a one-line Markdown code span (no backticks or line breaks to end it early)."""
    return " ".join(text.replace("`", "'").split())


def data_package_zip(
    tables: Mapping[str, pd.DataFrame],
    *,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
    sources: Sequence[str] | None = None,
    created: datetime | None = None,
) -> bytes:
    """A zip of the view: each table as CSV, ``datapackage.json``, README.md, data dictionary.

    ``sources`` defaults to the distinct ``source_url`` values of the tables.
    """
    sources = list(sources) if sources is not None else distinct_sources(tables)
    stamp = (created or datetime.now(UTC)).astimezone(UTC)
    package = dictionary.datapackage(
        tables,
        kind=kind,
        dataset_label=dataset_label,
        sources=sources,
        filters_text=filters_text,
        created=stamp,
    )
    members: list[tuple[str, bytes]] = [
        (f"{name}.csv", to_csv_bytes(frame)) for name, frame in tables.items()
    ]
    members += [
        ("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")),
        (
            "README.md",
            readme(
                tables,
                dataset_label=dataset_label,
                kind=kind,
                filters_text=filters_text,
                citation=citation,
                sources=sources,
            ).encode("utf-8"),
        ),
        ("data-dictionary.md", dictionary.markdown().encode("utf-8")),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in members:
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, payload)
    return buf.getvalue()


# ---------------------------------------------------------------- download buttons


@dataclass(frozen=True)
class Download:
    """One download offered for a view; ``data`` builds the bytes only when asked."""

    key: str
    label: str
    data: Callable[[], bytes]
    file_name: str
    mime: str
    icon: str
    help: str = ""
    disabled: bool = False

    def button_args(self, key_prefix: str) -> dict[str, object]:
        """Keyword arguments for ``st.download_button`` (kept here so pages stay short)."""
        return {
            "label": self.label,
            "data": self.data,
            "file_name": self.file_name,
            "mime": self.mime,
            "key": f"{key_prefix}{self.key}",
            "icon": self.icon,
            "help": self.help,
            "disabled": self.disabled,
        }


def about_notes(
    *,
    table: str,
    n_rows: int,
    n_sources: int,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
) -> dict[str, object]:
    """The "About" sheet of an Excel download: what the rows are and how to cite them.

    The counts are passed in (the page has them from SQL) so the notes need no rows.
    """
    return {
        "Table": f"{table}: {TABLES[table].title}",
        "Data set": f"{dataset_label} ({kind})"
        + (" SYNTHETIC, NOT REAL" if kind == "synthetic" else ""),
        "Filters": filters_text,
        "Rows": n_rows,
        "Citation": citation,
        "Distinct sources": n_sources,
        "Licence": dictionary.licence_note(kind),
        "Column definitions": "docs/data-dictionary.md, or datapackage.json in the zip download",
    }


def downloads(
    rows: Callable[[], pd.DataFrame],
    *,
    n_rows: int,
    n_sources: int,
    table: str,
    stem: str,
    zip_stem: str,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
    package: Callable[[], bytes],
) -> list[Download]:
    """The four downloads of a view: the rows as CSV, Excel and Parquet, and the zip package.

    ``rows`` reads the whole view (e.g. :meth:`View.rows`) and is called only when a file is
    built; ``n_rows`` and ``n_sources`` are the view's counts, for the About sheet and for
    disabling Excel above a sheet's size, so offering the buttons reads no rows.
    """
    notes = about_notes(
        table=table,
        n_rows=n_rows,
        n_sources=n_sources,
        dataset_label=dataset_label,
        kind=kind,
        filters_text=filters_text,
        citation=citation,
    )
    return [
        *file_downloads(
            rows, stem=stem, sheet_name=table, notes=notes, citation=citation, n_rows=n_rows
        ),
        Download(
            "zip",
            "Data package (zip)",
            package,
            f"{zip_stem}.zip",
            "application/zip",
            ":material/folder_zip:",
            "Every table under the same filters, as CSV, with "
            "datapackage.json, README (citation, licence, sources) and data dictionary.",
        ),
    ]


def file_downloads(
    rows: Callable[[], pd.DataFrame],
    *,
    stem: str,
    sheet_name: str,
    notes: Mapping[str, object],
    citation: str,
    n_rows: int = 0,
) -> list[Download]:
    """The rows of a view as CSV, Excel (with an About sheet) and Parquet; ``rows`` is called
    only when a file is built. ``n_rows`` over a sheet's size disables Excel."""
    too_big = n_rows > EXCEL_MAX_ROWS
    return [
        Download(
            "csv",
            "CSV",
            lambda: to_csv_bytes(rows()),
            f"{stem}.csv",
            "text/csv",
            ":material/csv:",
            "UTF-8, ISO dates, formula-like text neutralised.",
        ),
        Download(
            "xlsx",
            "Excel",
            lambda: to_excel_bytes(rows(), sheet_name=sheet_name, notes=notes),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ":material/table_view:",
            f"More than {EXCEL_MAX_ROWS:,} rows do not fit on a sheet: use CSV or Parquet."
            if too_big
            else "With an About sheet: citation, filters and data set.",
            disabled=too_big,
        ),
        Download(
            "parquet",
            "Parquet",
            lambda: to_parquet_bytes(rows(), metadata={"citation": citation}),
            f"{stem}.parquet",
            "application/vnd.apache.parquet",
            ":material/database:",
            "Exact values and types, for code.",
        ),
    ]
