"""The reviewed spellings the loader accepts for columns, metrics and category values.

They are data, not code (``data/synonyms/*.csv``, described in its README): adding a spelling is
a reviewed one-line change there. Each file is read once. A spelling is stored in any form;
it is keyed here the way the loader looks it up (:func:`~smartcities.normalise.headers.header_key`
for column and metric headers, :func:`~smartcities.names.match_key` for cell values).
"""

from __future__ import annotations

import csv
import re
from functools import cache

from smartcities.config import BUNDLED_DATA
from smartcities.names import clean_text, match_key

SYNONYMS = BUNDLED_DATA / "synonyms"


def header_key(raw: object) -> str:
    """Header text to a snake-case key: 'As On Date ' -> 'as_on_date', 'Cost (₹ cr)' ->
    'cost_inr_cr'."""
    text = clean_text(str(raw)).lower()
    text = text.replace("₹", " inr ").replace("&", " and ").replace("%", " pct ")
    text = re.sub(r"\brs\b\.?", " rs ", text)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of one synonym file, cells stripped."""
    with (SYNONYMS / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def column_synonyms() -> dict[str, dict[str, str]]:
    """Table ('' = every table) -> header_key(spelling) -> contract column."""
    out: dict[str, dict[str, str]] = {}
    for row in read_rows("columns.csv"):
        out.setdefault(row["table"], {})[header_key(row["spelling"])] = row["column"]
    return out


def header_synonyms() -> dict[str, str]:
    """Spellings valid in every table."""
    return column_synonyms().get("", {})


def table_synonyms(table: str | None) -> dict[str, str]:
    """Spellings that depend on the table ("date" is a different column in each)."""
    return column_synonyms().get(table, {}) if table else {}


@cache
def metric_synonyms() -> dict[str, str]:
    """header_key(spelling) -> metric, for metric names in cells and wide column headers."""
    return {header_key(r["spelling"]): r["metric"] for r in read_rows("metrics.csv")}


@cache
def _value_synonyms() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in read_rows("values.csv"):
        out.setdefault(row["column"], {})[match_key(row["spelling"])] = row["value"]
    return out


def value_synonyms(column: str) -> dict[str, str]:
    """match_key(spelling) -> allowed value, for one category column."""
    return _value_synonyms().get(column, {})
