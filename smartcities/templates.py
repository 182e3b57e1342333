"""Empty CSV templates for each table of the contract, for people bringing their own data.

A template is the header row only, taken from :mod:`smartcities.schema`, so it can never drift
from what the loader checks. The zip bundles every template with the data dictionary
(``docs/data-dictionary.md``; generated from the schema when that file is absent) and a short
README, so a user has the columns and their meaning in one download. Pure functions: bytes
out, no Streamlit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from smartcities.config import ROOT
from smartcities.schema import METRICS, TABLES, Table

DICTIONARY_PATH = ROOT / "docs" / "data-dictionary.md"
ZIP_NAME = "smartcities-templates.zip"
# A fixed timestamp keeps the zip byte-identical from one run to the next (reproducible).
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def template_name(table: str) -> str:
    """File name of a table's template; the loader detects the table by columns, not name."""
    return f"{table}.csv"


def template_csv(table: str | Table) -> bytes:
    """The header row of a table, as UTF-8 CSV (no data rows, so nothing can be mistaken)."""
    spec = TABLES[table] if isinstance(table, str) else table
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(spec.columns)
    return buf.getvalue().encode("utf-8")


def templates() -> dict[str, bytes]:
    """Every table's template, keyed by file name, in the contract's order."""
    return {template_name(name): template_csv(name) for name in TABLES}


def _readme() -> str:
    lines = [
        "# Smart Cities Mission dashboard: data templates",
        "",
        "One CSV per table, header row only. Fill in rows and load the files on the",
        "'Your data' page. Files are recognised by their columns, so the names may change.",
        "Dates are YYYY-MM-DD; amounts are in rupees crore; Indian digit grouping",
        "(1,23,456) is accepted. Keep each file UTF-8 ('CSV UTF-8' in Excel).",
        "",
        "## Tables",
        "",
    ]
    for t in TABLES.values():
        required = ", ".join(t.required_columns)
        optional = " (optional table)" if t.optional_table else ""
        lines.append(f"- `{template_name(t.name)}`: {t.title}{optional}. {t.description}")
        lines.append(f"  Required columns: {required}. Key: {', '.join(t.key)}.")
    lines += ["", "## Progress metrics (the `metric` column)", ""]
    lines += [f"- `{m.name}` ({m.unit}): {m.description}" for m in METRICS.values()]
    lines += [
        "",
        "The full data dictionary (types, units, allowed values) is in `data-dictionary.md`.",
        "",
    ]
    return "\n".join(lines)


def dictionary_text(path: Path | None = DICTIONARY_PATH) -> str | None:
    """The data dictionary: the committed file, else generated from the schema, else None."""
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8")
    try:
        from smartcities import dictionary
    except ImportError:  # the generator is optional; the templates stand on their own
        return None
    return dictionary.markdown()


def templates_zip(dictionary: Path | None = DICTIONARY_PATH) -> bytes:
    """All templates, a README and the data dictionary, as one zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)

        for name, data in templates().items():
            put(name, data)
        put("README.md", _readme().encode("utf-8"))
        text = dictionary_text(dictionary)
        if text is not None:
            put("data-dictionary.md", text.encode("utf-8"))
    return buf.getvalue()
