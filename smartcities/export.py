"""Downloads: the rows of a view written as CSV, Excel, Parquet or a documented zip.

Which rows a view holds is :mod:`smartcities.query` (:func:`~smartcities.query.view_sql`); the
words that go with them (citation, README, file names) are :mod:`smartcities.export_text`; the
buttons that offer them are :mod:`smartcities.ui.downloads`. Column names are the schema's
(stable, no display labels) and dates are ISO.

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
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd

from smartcities import dictionary
from smartcities.export_text import distinct_sources, readme
from smartcities.formula import FORMULA_PREFIXES

# Text that is just a number ("-5", "+2.5") cannot run as a formula; it is left alone.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet's 1,048,576 is the header


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
