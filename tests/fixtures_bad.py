"""Bad input files as bytes, for the app tests and the browser tests of the upload page.

Each case is a :class:`Case`: the file name to upload, its bytes, and what the validation
report must say about it (the worst severity, and the column and row it names where the
problem is in one cell). The browser tests write these bytes to a temporary folder and upload
them through the real widget; the app tests hand them to AppTest's file uploader. Nothing here
touches the disk.

Row numbers follow the loader: the header is row 1, the first data row is row 2 (a
spreadsheet's numbering).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field

from smartcities.schema import PROGRESS

SOURCE = "https://example.org/pune-scm-report"
# as_of_date, level, area_id, ... source_url, note: a file without the optional date_basis
# (its figures load as "as on" their date).
PROGRESS_HEADER = [c for c in PROGRESS.columns if c != "date_basis"]


@dataclass(frozen=True)
class Case:
    """One uploadable file and the report row it must produce."""

    id: str  # pytest id
    name: str  # file name as uploaded
    data: bytes
    severity: str  # worst severity expected in the report: "error" or "warning"
    message: str  # a fragment of the expected message (case-insensitive)
    column: str = ""  # column the issue names ("" when the whole file is refused)
    row: int | None = None  # row the issue names (header = 1)
    env: dict[str, str] = field(default_factory=dict)  # SMARTCITIES_* limits to set
    usable: bool = False  # True when the load still yields a data set (bad rows dropped)


# ------------------------------------------------------------------------------ good files


def _csv(rows: list[list[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue()


def progress_rows(*rows: list[object]) -> list[list[object]]:
    """A long progress table (contract header) with the given data rows."""
    return [list(PROGRESS_HEADER), *[list(r) for r in rows]]


def pune_row(
    metric: str = "projects_completed_count",
    value: object = "120",
    *,
    date: str = "2024-03-31",
    name: str = "Pune",
    note: str = "",
    source: str = SOURCE,
) -> list[object]:
    unit = "inr_crore" if metric.endswith("_inr_crore") else "count"
    return [date, "city", "", name, "Maharashtra", metric, value, unit, source, note]


def good_progress_csv() -> bytes:
    """Two valid long-form rows for Pune."""
    return _csv(
        progress_rows(
            pune_row("work_orders_issued_count", "150"),
            pune_row("projects_completed_count", "120"),
        )
    ).encode()


def good_pune_wide_csv() -> bytes:
    """A city progress file as a city office might keep it: wide, day-first dates, Indian
    digit grouping (1,02,345.5) and a 'Rs crore' header. Two report dates for Pune."""
    return _csv(
        [
            [
                "As on",
                "City",
                "State",
                "Projects tendered",
                "Work orders issued",
                "Projects completed",
                "Projects tendered (Rs crore)",
                "Source",
            ],
            ["31/03/2023", "Pune", "Maharashtra", "160", "140", "90", "1,02,345.5", SOURCE],
            ["31/03/2024", "Pune", "Maharashtra", "175", "150", "120", "1,12,000", SOURCE],
        ]
    ).encode()


def good_parquet() -> bytes:
    """The good long progress rows as Parquet (all text columns, as an export might be)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = progress_rows(pune_row())
    table = pa.table({col: [str(r[i]) for r in rows[1:]] for i, col in enumerate(rows[0])})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    """A real Excel workbook (what 'saved as .csv' in name only looks like)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in progress_rows(pune_row()):
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------ bad files


def empty() -> Case:
    return Case("empty", "empty.csv", b"", "error", "empty")


def header_only() -> Case:
    return Case(
        "header-only", "header_only.csv", _csv(progress_rows()).encode(), "error", "no data rows"
    )


def wrong_delimiter() -> Case:
    """Semicolons (European Excel): read, with a warning saying so."""
    text = _csv(progress_rows(pune_row()), delimiter=";")
    return Case("semicolon", "semicolon.csv", text.encode(), "warning", "semicolon", usable=True)


def utf16() -> Case:
    """UTF-16 (Excel's 'Unicode text'), tab separated: read, with a warning on the tabs."""
    text = _csv(progress_rows(pune_row()), delimiter="\t")
    return Case("utf16", "unicode.txt", text.encode("utf-16"), "warning", "tab", usable=True)


def cp1252() -> Case:
    """Windows-1252 (Excel's plain 'CSV' on Windows) with an en dash and a rupee-less note."""
    text = _csv(progress_rows(pune_row(note="Phase – 1 café")))
    return Case(
        "cp1252", "windows.csv", text.encode("cp1252"), "warning", "windows-1252", usable=True
    )


def excel_as_csv() -> Case:
    return Case("xlsx-as-csv", "progress.csv", xlsx_bytes(), "error", "excel")


def csv_as_parquet() -> Case:
    text = _csv(progress_rows(pune_row()))
    return Case(
        "csv-as-parquet",
        "progress.parquet",
        text.encode(),
        "warning",
        "named .parquet",
        usable=True,
    )


def truncated_parquet() -> Case:
    data = good_parquet()
    return Case("truncated-parquet", "cut.parquet", data[: len(data) // 2], "error", "truncated")


def duplicate_rows() -> Case:
    """The same row twice: the repeat is dropped with a warning naming the first."""
    text = _csv(progress_rows(pune_row(), pune_row()))
    return Case(
        "duplicate-row",
        "dupes.csv",
        text.encode(),
        "warning",
        "exact duplicate",
        column="as_of_date",
        row=3,
        usable=True,
    )


def duplicate_keys() -> Case:
    """Same key (date, area, metric, source), other value: the later row is an error."""
    text = _csv(progress_rows(pune_row(value="120"), pune_row(value="125")))
    return Case(
        "duplicate-key",
        "dupkeys.csv",
        text.encode(),
        "error",
        "duplicate key",
        column="as_of_date",
        row=3,
        usable=True,
    )


def unknown_city() -> Case:
    """'Visakapatnam' (a misspelling of Visakhapatnam): an error with a suggestion."""
    text = _csv(progress_rows(pune_row(), pune_row(name="Visakapatnam")))
    return Case(
        "unknown-city",
        "vizag.csv",
        text.encode(),
        "error",
        "visakapatnam",
        column="area_name",
        row=3,
        usable=True,
    )


def impossible_date() -> Case:
    text = _csv(progress_rows(pune_row(), pune_row(date="31/02/2024")))
    return Case(
        "impossible-date",
        "feb31.csv",
        text.encode(),
        "error",
        "not a real date",
        column="as_of_date",
        row=3,
        usable=True,
    )


def negative_count() -> Case:
    text = _csv(progress_rows(pune_row(), pune_row("work_orders_issued_count", "-5")))
    return Case(
        "negative",
        "negative.csv",
        text.encode(),
        "error",
        "negative",
        column="value",
        row=3,
        usable=True,
    )


def completed_over_work_orders() -> Case:
    text = _csv(
        progress_rows(
            pune_row("work_orders_issued_count", "100"),
            pune_row("projects_completed_count", "130"),
        )
    )
    return Case(
        "completed-gt-work-orders",
        "stages.csv",
        text.encode(),
        "warning",
        "exceed",
        column="value",
        row=3,
        usable=True,
    )


def gzip_bomb(mb: int = 8) -> Case:
    """A few KB that unpack to ``mb`` MB of one repeated row; refused under a 1 MB limit."""
    header = ",".join(PROGRESS_HEADER) + "\n"
    row = ",".join(str(c) for c in pune_row()) + "\n"
    body = header + row * (mb * 2**20 // len(row))
    return Case(
        "gzip-bomb",
        "bomb.csv.gz",
        gzip.compress(body.encode(), 9),
        "error",
        "bomb",
        env={"SMARTCITIES_MAX_DECOMPRESSED_MB": "1"},
    )


def formula_and_html() -> Case:
    """Spreadsheet formula and script text in free-text cells: kept as inert text.

    The note and the source are free text, so the file loads; the report warns about the
    formula-looking cell, and every page must show both strings as text, never run them.
    """
    text = _csv(
        progress_rows(
            pune_row(note='=HYPERLINK("http://evil")'),
            pune_row("work_orders_issued_count", "150", note="<script>alert(1)</script>"),
        )
    )
    return Case(
        "formula-html",
        "hostile.csv",
        text.encode(),
        "warning",
        "formula",
        column="note",
        row=2,
        usable=True,
    )


def nul_and_zero_width() -> Case:
    """NUL bytes and zero-width spaces inside cells: removed, with warnings."""
    text = _csv(progress_rows(pune_row(name="Pu\u200bne"), pune_row("work_orders_issued_count")))
    data = text.encode().replace(b"Maharashtra", b"Maha\x00rashtra", 1)
    return Case("nul-zero-width", "nul.csv", data, "warning", "nul", usable=True)


def unknown_columns() -> Case:
    text = "foo,bar,baz\n1,2,3\n"
    return Case("unknown-columns", "mystery.csv", text.encode(), "error", "do not match")


ALL = (
    empty,
    header_only,
    wrong_delimiter,
    utf16,
    cp1252,
    excel_as_csv,
    csv_as_parquet,
    truncated_parquet,
    duplicate_rows,
    duplicate_keys,
    unknown_city,
    impossible_date,
    negative_count,
    completed_over_work_orders,
    gzip_bomb,
    formula_and_html,
    nul_and_zero_width,
    unknown_columns,
)


def all_cases() -> list[Case]:
    """Every bad-file case, freshly built."""
    return [make() for make in ALL]
