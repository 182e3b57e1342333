"""Normalising raw tables: header names, Indian numbers, day-first dates, city and state names.

Input is a :class:`~smartcities.readers.RawTable` (text cells, or typed Parquet columns);
output is a frame with exactly the contract's columns, in the schema's order and dtypes, plus a
``_row`` column holding each row's spreadsheet row number in its file (header = row 1).
Problems become report issues on their row; the row is marked bad and later dropped. Nothing
here guesses silently: a month-only date is set to the 1st *and* the note says so; a date is
always read day-first (Indian usage), never month-first; an unknown city is an error with the
nearest known names as a suggestion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from smartcities import dataset as ds
from smartcities import gmis
from smartcities.names import Harmoniser, clean_text, match_key, slugify
from smartcities.report import Report
from smartcities.schema import LEVELS, METRICS, ROUNDS, TABLES, Field, Table, pandas_dtype

# Cells meaning "no value". Note: official tables sometimes write "Nil" for zero; it is read
# as missing here rather than guessed to be 0.
PLACEHOLDERS = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "n.a",
        "n. a.",
        "-",
        "--",
        "–",
        "—",
        "nil",
        "null",
        "none",
        "nan",
        "#n/a",
        "not available",
        "..",
        "...",
        "?",
    }
)
MAX_ISSUES_PER_KIND = 50  # per file, column and message; the rest are counted in one issue

# ------------------------------------------------------------------------------- headers

# Synonyms valid in every table (keys are header_key() forms).
_HEADER_SYNONYMS: dict[str, str] = {
    "city": "city_name",
    "city_nm": "city_name",
    "name_of_city": "city_name",
    "name_of_the_city": "city_name",
    "smart_city": "city_name",
    "smart_city_name": "city_name",
    "name_of_smart_city": "city_name",
    "name_of_the_smart_city": "city_name",
    "cityid": "city_id",
    "city_code": "city_id",
    "city_slug": "city_id",
    "state": "state_ut",
    "state_ut": "state_ut",
    "state_uts": "state_ut",
    "state_or_ut": "state_ut",
    "state_name": "state_ut",
    "name_of_state": "state_ut",
    "name_of_the_state": "state_ut",
    "name_of_state_ut": "state_ut",
    "name_of_the_state_ut": "state_ut",
    "state_union_territory": "state_ut",
    "ut": "state_ut",
    "round": "selection_round",
    "round_of_selection": "selection_round",
    "selected_in_round": "selection_round",
    "selected_on": "selection_date",
    "date_of_selection": "selection_date",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "long": "longitude",
    "source": "source_url",
    "source_link": "source_url",
    "url": "source_url",
    "link": "source_url",
    "reference": "source_url",
    "notes": "note",
    "remarks": "note",
    "remark": "note",
    "comment": "note",
    "comments": "note",
}

# Synonyms that depend on the table ("date" is a different column in each).
_TABLE_SYNONYMS: dict[str, dict[str, str]] = {
    "progress": {
        "date": "as_of_date",
        "as_on": "as_of_date",
        "as_of": "as_of_date",
        "as_on_date": "as_of_date",
        "date_as_on": "as_of_date",
        "reporting_date": "as_of_date",
        "area": "area_name",
        "name": "area_name",
        "indicator": "metric",
        "measure": "metric",
        "metric_name": "metric",
        "figure": "value",
        "units": "unit",
    },
    "iccc": {
        "date": "stage_date",
        "date_reported": "stage_date",
        "status": "stage",
        "iccc_status": "stage",
        "iccc_stage": "stage",
        "basis": "date_basis",
        "cost": "cost_inr_crore",
        "iccc_cost": "cost_inr_crore",
    },
    "events": {
        "date": "event_date",
        "description": "event",
        "milestone": "event",
        "event_name": "event",
        "title": "event",
        "type": "category",
        "kind": "category",
    },
    "projects": {
        "id": "project_id",
        "project_code": "project_id",
        "project_no": "project_id",
        "name": "project_name",
        "project": "project_name",
        "title": "project_name",
        "name_of_project": "project_name",
        "name_of_the_project": "project_name",
        "cost": "cost_inr_crore",
        "project_cost": "cost_inr_crore",
        "amount": "cost_inr_crore",
        "status": "stage",
        "tender_date": "tendered_date",
        "date_tendered": "tendered_date",
        "date_of_tender": "tendered_date",
        "wo_date": "work_order_date",
        "work_order_issued_date": "work_order_date",
        "date_of_work_order": "work_order_date",
        "completion_date": "completed_date",
        "date_completed": "completed_date",
        "date_of_completion": "completed_date",
    },
    "cities": {
        "name": "city_name",
        "date": "selection_date",
        "name_at_selection": "selection_name",
        "selected_as": "selection_name",
    },
}

_CRORE_SUFFIXES = (
    "_in_inr_crore",
    "_in_rs_crore",
    "_rs_in_crore",
    "_inr_in_crore",
    "_in_crore",
    "_rs_crore",
    "_inr_cr",
    "_rs_cr",
    "_in_cr",
    "_crore",
    "_crores",
    "_cr",
    "_inr",
)


def header_key(raw: object) -> str:
    """Header text to a snake-case key: 'As On Date ' -> 'as_on_date', 'Cost (₹ cr)' ->
    'cost_inr_cr'."""
    text = clean_text(str(raw)).lower()
    text = text.replace("₹", " inr ").replace("&", " and ").replace("%", " pct ")
    text = re.sub(r"\brs\b\.?", " rs ", text)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _label_synonyms(table: Table) -> dict[str, str]:
    return {header_key(f.label): f.name for f in table.fields}


def canonical_column(raw: object, table: str | None = None) -> str:
    """The contract column a header means (or its snake-case key when it means none)."""
    key = header_key(raw)
    tables = [TABLES[table]] if table else list(TABLES.values())
    names = {f.name for t in tables for f in t.fields}
    if key in names:
        return key
    if table and key in _TABLE_SYNONYMS.get(table, {}):
        return _TABLE_SYNONYMS[table][key]
    if key in _HEADER_SYNONYMS:
        return _HEADER_SYNONYMS[key]
    for t in tables:
        labels = _label_synonyms(t)
        if key in labels:
            return labels[key]
    for suffix in _CRORE_SUFFIXES:
        if key.endswith(suffix):
            candidate = key[: -len(suffix)] + "_inr_crore"
            if candidate in names:
                return candidate
            base = key[: -len(suffix)]
            for syn in ([_TABLE_SYNONYMS.get(table, {})] if table else []) + [_HEADER_SYNONYMS]:
                if syn.get(base, "").endswith("_inr_crore"):
                    return syn[base]
    return key


# ------------------------------------------------------------------------------- metrics

_METRIC_SYNONYMS: dict[str, str] = {
    "funds_released": "central_funds_released_inr_crore",
    "central_funds_released": "central_funds_released_inr_crore",
    "central_assistance_released": "central_funds_released_inr_crore",
    "funds_utilised": "funds_utilised_inr_crore",
    "central_funds_utilised": "funds_utilised_inr_crore",
    "completed_projects": "projects_completed_count",
    "completed": "projects_completed_count",
    "tendered": "projects_tendered_count",
    "work_orders": "work_orders_issued_count",
    "work_orders_issued": "work_orders_issued_count",
    "ongoing_projects": "projects_ongoing_count",
    "iccc_operational": "iccc_operational_count",
    "iccc_operationalised": "iccc_operational_count",
    "iccc_functional": "iccc_operational_count",
    "operational_iccc": "iccc_operational_count",
    "operational_iccc_count": "iccc_operational_count",
    "iccc_operational_cities": "iccc_operational_count",
}


def canonical_metric(raw: object) -> str | None:
    """Metric name from a cell or a wide column header; legacy names accepted
    (``projects_completed_cr`` -> ``projects_completed_inr_crore``, ``projects_completed`` ->
    ``projects_completed_count``). None when it is no known metric."""
    key = header_key(raw).replace("utilized", "utilised")
    if key in METRICS:
        return key
    if key in _METRIC_SYNONYMS:
        return _METRIC_SYNONYMS[key]
    for suffix in (*_CRORE_SUFFIXES, "_value", "_amount"):
        if key.endswith(suffix):
            base = key[: -len(suffix)]
            if base + "_inr_crore" in METRICS:
                return base + "_inr_crore"
            syn = _METRIC_SYNONYMS.get(base, "")
            if syn.endswith("_count") and syn[: -len("_count")] + "_inr_crore" in METRICS:
                return syn[: -len("_count")] + "_inr_crore"
            if syn.endswith("_inr_crore"):
                return syn
    for suffix in ("_no", "_nos", "_number", "_num"):
        if key.endswith(suffix) and key[: -len(suffix)] + "_count" in METRICS:
            return key[: -len(suffix)] + "_count"
    for unit in ("_count", "_flag", "_pct"):
        if key + unit in METRICS:
            return key + unit
    return None


def metric_suggestions(raw: str) -> list[str]:
    return difflib.get_close_matches(header_key(raw), list(METRICS), n=3, cutoff=0.6)


# ------------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INDIAN_GROUPING = re.compile(r"\d{1,2}(,\d{2})*,\d{3}")
_WESTERN_GROUPING = re.compile(r"\d{1,3}(,\d{3})+")
_WORDS = (
    ("lakh crores", "lakh_crore"),
    ("lakh crore", "lakh_crore"),
    ("lac crore", "lakh_crore"),
    ("lakh cr", "lakh_crore"),
    ("thousand crores", "thousand_crore"),
    ("thousand crore", "thousand_crore"),
    ("crores", "crore"),
    ("crore", "crore"),
    ("cr.", "crore"),
    ("cr", "crore"),
    ("lakhs", "lakh"),
    ("lakh", "lakh"),
    ("lacs", "lakh"),
    ("lac", "lakh"),
    ("thousand", "thousand"),
    ("million", "million"),
    ("mn", "million"),
    ("billion", "billion"),
    ("bn", "billion"),
    ("trillion", "trillion"),
    ("%", "pct"),
)
# Multipliers into the column's unit: amounts are in ₹ crore, counts are plain numbers.
_CRORE_MULTIPLIERS = {
    "lakh_crore": 1e5,
    "thousand_crore": 1e3,
    "crore": 1.0,
    "lakh": 0.01,
    "million": 0.1,
    "billion": 100.0,
    "trillion": 1e5,
}
_COUNT_MULTIPLIERS = {
    "lakh_crore": 1e12,
    "thousand_crore": 1e10,
    "crore": 1e7,
    "lakh": 1e5,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
_YES = {"yes", "y", "true", "1", "1.0", "हाँ", "हां"}
_NO = {"no", "n", "false", "0", "0.0", "नहीं"}


def is_placeholder(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return clean_text(str(value)).lower() in PLACEHOLDERS


def parse_number(text: object, unit: str | None = None) -> float | None:
    """A number as officials write it, in the column's unit; None for a placeholder.

    Accepts Indian and Western digit grouping ('1,64,223', '164,223'), '₹', 'Rs', 'Rs.',
    'INR', '/-', 'crore'/'cr'/'Cr.', 'lakh crore' (for amounts in ₹ crore, '1.5 lakh crore' is
    150000), 'lakh' (50 lakh rupees = 0.5 crore; for counts 1 lakh = 100000), spaces and
    parentheses for negatives. Raises ValueError for anything else.
    """
    if is_placeholder(text):
        return None
    raw = clean_text(str(text))
    s = raw.lower()
    if unit == "flag":
        if s in _YES:
            return 1.0
        if s in _NO:
            return 0.0
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = s.replace("₹", " ").replace("/-", " ")
    s = re.sub(r"^(rs\.?|inr)\s*", "", s.strip())
    s = re.sub(r"\s*(rs\.?|inr)$", "", s).strip()
    if s.startswith("-") or s.startswith("−"):
        negative, s = not negative, s[1:].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    if unit == "degrees":
        s = s.replace("°", " ").strip()
        if s[-1:] in ("n", "e", "s", "w") and s[:-1].strip()[-1:].isdigit():
            if s[-1] in ("s", "w"):
                negative = not negative
            s = s[:-1].strip()
    word = None
    for text_word, key in _WORDS:
        if s.endswith(text_word) and (
            len(s) == len(text_word) or not s[-len(text_word) - 1].isalpha()
        ):
            word, s = key, s[: -len(text_word)].strip()
            break
    s = re.sub(r"^(rs\.?|inr)\s*", "", s).strip()
    digits = re.sub(r"(?<=\d)[\s\u202f\u2009](?=\d)", "", s)
    if "," in digits:
        integer = digits.split(".")[0]
        if not (_INDIAN_GROUPING.fullmatch(integer) or _WESTERN_GROUPING.fullmatch(integer)):
            raise ValueError(f"'{raw}' has unclear digit grouping")
        digits = digits.replace(",", "")
    if not _NUMBER.fullmatch(digits):
        raise ValueError(f"'{raw}' is not a number")
    number = float(digits)
    if word == "pct":
        if unit not in (None, "pct"):
            raise ValueError(f"'{raw}' is a percentage, but this column is not in per cent")
    elif word is not None:
        table = _CRORE_MULTIPLIERS if unit == "inr_crore" else _COUNT_MULTIPLIERS
        if word not in table:
            raise ValueError(f"'{raw}': cannot convert '{word}' into this column's unit")
        number *= table[word]
    return -number if negative else number


# ------------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_D_MON_Y = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?[-/ .,]*({_MONTH_RE})\.?[-/ .,]*(\d{{4}}|\d{{2}})"
)
_MON_D_Y = re.compile(rf"({_MONTH_RE})\.?[-/ ]*(\d{{1,2}})(?:st|nd|rd|th)?,?[-/ ]+(\d{{4}})")
_MON_Y = re.compile(rf"({_MONTH_RE})\.?[-/ ,']*(\d{{4}}|\d{{2}})")
_ISO_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")
_M_Y = re.compile(r"(\d{1,2})[-/.](\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_RANGE = (36526, 73050)  # 2000-01-01 .. 2099-12-31


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if len(text) == 2 else y


def _make(year: int, month: int, day: int, raw: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(date(year, month, day))
    except ValueError as exc:
        raise ValueError(f"'{raw}' is not a real date (day-month-year)") from exc


def parse_date(text: object) -> tuple[pd.Timestamp | None, bool]:
    """A date as Indian sources write it: (timestamp, month_only). None for a placeholder.

    Accepts ISO (2025-12-01), day-first DD/MM/YYYY, DD-MM-YYYY and DD.MM.YYYY (never
    month-first), DD-Mon-YYYY, '1 Dec 2025', 'Dec 1, 2025', month-only 'Dec 2025', 'December
    2025' and '12/2025' (set to the 1st, month_only=True), and Excel serial day numbers
    (2000-2099 only). Raises ValueError for impossible or unreadable dates.
    """
    if isinstance(text, date):  # also datetime and pd.Timestamp
        stamp = pd.Timestamp(text)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        return stamp.normalize(), False
    if is_placeholder(text):
        return None, False
    raw = clean_text(str(text))
    s = raw.lower()
    if m := _ISO.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw), False
    if m := _DMY.fullmatch(s):
        return _make(_year(m[3]), int(m[2]), int(m[1]), raw), False
    if m := _D_MON_Y.fullmatch(s):
        return _make(_year(m[3]), _MONTHS[m[2]], int(m[1]), raw), False
    if m := _MON_D_Y.fullmatch(s):
        return _make(int(m[3]), _MONTHS[m[1]], int(m[2]), raw), False
    if m := _MON_Y.fullmatch(s):
        return _make(_year(m[2]), _MONTHS[m[1]], 1, raw), True
    if m := _ISO_MONTH.fullmatch(s):
        return _make(int(m[1]), int(m[2]), 1, raw), True
    if m := _M_Y.fullmatch(s):
        return _make(int(m[2]), int(m[1]), 1, raw), True
    if _SERIAL.fullmatch(s):
        serial = int(float(s))
        if SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + pd.Timedelta(days=serial), False
        raise ValueError(f"'{raw}' looks like an Excel day number outside 2000-2099")
    raise ValueError(f"'{raw}' is not a date this loader reads")


# ------------------------------------------------------------------------------- categories

_CATEGORY_SYNONYMS: dict[str, dict[str, str]] = {
    "selection_round": {
        "r1": "Round 1",
        "roundi": "Round 1",
        "round1": "Round 1",
        "1": "Round 1",
        "ft": "Fast Track",
        "fasttrackround": "Fast Track",
        "roundii": "Round 2",
        "r2": "Round 2",
        "2": "Round 2",
        "roundiii": "Round 3",
        "r3": "Round 3",
        "3": "Round 3",
        "roundiv": "Round 4",
        "r4": "Round 4",
        "4": "Round 4",
    },
    "level": {
        "india": "national",
        "allindia": "national",
        "country": "national",
        "nation": "national",
        "ut": "state",
        "stateut": "state",
        "stateorut": "state",
        "unionterritory": "state",
        "smartcity": "city",
        "selectionround": "round",
    },
    "stage": {
        "tender": "tendered",
        "tenderstage": "tendered",
        "tenderissued": "tendered",
        "attenderstage": "tendered",
        "workorder": "work_order_issued",
        "workorderissued": "work_order_issued",
        "wo": "work_order_issued",
        "woissued": "work_order_issued",
        "underimplementation": "work_order_issued",
        "grounded": "work_order_issued",
        "inprogress": "work_order_issued",
        "ongoing": "work_order_issued",
        "operational": "operational",
        "functional": "operational",
        "live": "operational",
        "operationalised": "operational",
        "operationalized": "operational",
        "complete": "completed",
        "done": "completed",
        "cancelled": "dropped",
        "canceled": "dropped",
        "withdrawn": "dropped",
        "shelved": "dropped",
    },
    "date_basis": {
        "ason": "as_on",
        "asof": "as_on",
        "asondate": "as_on",
        "replydate": "reply",
        "datedbyreply": "reply",
        "reportdate": "reply",
        "upperbound": "on_or_before",
        "onorbefore": "on_or_before",
        "by": "on_or_before",
        "before": "on_or_before",
        "atthelatest": "on_or_before",
    },
    "component": {
        "abd": "area_based",
        "areabased": "area_based",
        "areabaseddevelopment": "area_based",
        "pancity": "pan_city",
        "pcs": "pan_city",
        "pancitysolution": "pan_city",
        "pancitysolutions": "pan_city",
    },
    "unit": {
        "number": "count",
        "numbers": "count",
        "no": "count",
        "nos": "count",
        "crore": "inr_crore",
        "cr": "inr_crore",
        "rscrore": "inr_crore",
        "rscr": "inr_crore",
        "₹crore": "inr_crore",
        "inrcr": "inr_crore",
        "percent": "pct",
        "%": "pct",
        "yesno": "flag",
    },
}


def category_value(f: Field, raw: str, table: str = "") -> str:
    """Map a category cell onto the field's allowed values, tolerant of case and spacing.
    Returns the cleaned text unchanged when nothing matches (validation then reports it)."""
    key = match_key(raw)
    allowed = f.allowed or ()
    for a in allowed:
        if key == match_key(a):
            return a
    synonym = _CATEGORY_SYNONYMS.get(f.name, {}).get(key)
    if synonym in allowed:
        return synonym
    if f.name == "stage" and table == "iccc" and key in ("completed", "complete"):
        return "operational"
    # An ICCC stage "as on" a date is what the ICCC table calls reported on that date.
    if (
        f.name == "date_basis"
        and table == "iccc"
        and _CATEGORY_SYNONYMS["date_basis"].get(key, key) in ("as_on", "ason")
    ):
        return "reported"
    return raw


# ------------------------------------------------------------------------------- context


@dataclass
class Context:
    """What normalising one file needs: where to report, and which cities are known."""

    file: str
    report: Report
    cities: pd.DataFrame | None = None  # cities that references must match
    reference: pd.DataFrame | None = None  # reference cities (fills uploaded cities tables)
    _index: _CityIndex | None = field(default=None, repr=False)
    _counts: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    @property
    def harmoniser(self) -> Harmoniser:
        return self.city_index.harmoniser

    @property
    def city_index(self) -> _CityIndex:
        if self._index is None:
            self._index = _CityIndex.build(self.cities)
        return self._index

    def row_issue(
        self,
        severity: str,
        message: str,
        *,
        row: int | None,
        column: str,
        table: str,
        value: object = "",
        fix: str = "",
    ) -> None:
        """Report a row issue, at most MAX_ISSUES_PER_KIND of each kind per column."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            value = ""
        kind = (severity, column, _kind(message))
        n = self._counts.get(kind, 0)
        self._counts[kind] = n + 1
        if n < MAX_ISSUES_PER_KIND:
            self.report.add(
                severity,
                self.file,
                message,
                row=row,
                column=column,
                table=table,
                value=value,
                fix=fix,
            )

    def flush(self, table: str) -> None:
        """Add one issue per kind that went over the cap, saying how many were left out."""
        for (severity, column, kind), n in self._counts.items():
            if n > MAX_ISSUES_PER_KIND:
                self.report.add(
                    severity,
                    self.file,
                    f"{n - MAX_ISSUES_PER_KIND} more row(s) with the same problem: {kind}",
                    column=column,
                    table=table,
                )
        self._counts.clear()


def _kind(message: str) -> str:
    return re.sub(r"'[^']*'", "'…'", message)


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


# ------------------------------------------------------------------------------- detection

_WIDE_ID_COLUMNS = {
    "as_of_date",
    "level",
    "area_id",
    "area_name",
    "state_ut",
    "city_id",
    "city_name",
    "source_url",
    "note",
    "unit",
}


def map_headers(columns: Iterable[object], table: str) -> dict[str, str]:
    """Raw header -> contract column for one table (first match wins; others unmapped)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    names = _accepted(table)
    for raw in columns:
        canon = canonical_column(raw, table)
        if canon in names and canon not in used:
            out[str(raw)] = canon
            used.add(canon)
    return out


def wide_metric_columns(columns: Iterable[object]) -> dict[str, str]:
    """Raw header -> metric, for the columns of a wide progress table."""
    out: dict[str, str] = {}
    for raw in columns:
        if canonical_column(raw, "progress") in _WIDE_ID_COLUMNS | {"metric", "value"}:
            continue
        metric = canonical_metric(raw)
        if metric is not None and metric not in out.values():
            out[str(raw)] = metric
    return out


def input_missing(table: str, mapped: set[str], wide: bool = False) -> list[str]:
    """Required input columns absent from a header (derivable columns are not required)."""
    need: list[str | tuple[str, ...]]
    if table == "cities":
        need = [("city_name", "city_id")]
    elif table == "progress":
        need = ["as_of_date"] if wide else ["as_of_date", "metric", "value"]
    elif table == "iccc":
        need = [("city_id", "city_name"), "stage", "stage_date"]
    elif table == "projects":
        cost = ("cost_inr_crore", "work_order_cost_inr_crore", "estimated_cost_inr_crore")
        need = ["project_id", ("city_id", "city_name"), "project_name", cost, "stage"]
    else:
        need = ["event_date", "event", "category"]
    missing = []
    for n in need:
        options = n if isinstance(n, tuple) else (n,)
        if not any(o in mapped for o in options):
            missing.append(" or ".join(options))
    return missing


def _accepted(table: str) -> set[str]:
    """Columns a table's files may carry: its own, plus city_id/city_name for city refs."""
    return set(TABLES[table].columns) | ({"city_id", "city_name"} if table != "events" else set())


def detect_table(columns: list[str]) -> str | None:
    """Which contract table a header belongs to, or None.

    Each recognised column counts 1 divided by the number of tables that have it, so columns
    only one table has (``stage_date``, ``latitude``, ``metric``) decide, and shared ones
    (``city_id``, ``source_url``) only break ties; wide progress files count each metric
    column. At equal score a table whose required columns are all present wins. A table is
    returned when it is complete or matches at least two columns (so the loader can say
    which columns are missing); otherwise None.
    """
    share: dict[str, int] = {}
    for name in TABLES:
        for col in _accepted(name):
            share[col] = share.get(col, 0) + 1
    best: tuple[float, int, int, str] | None = None
    for name in TABLES:
        mapped = set(map_headers(columns, name).values())
        score = sum(1 / share[c] for c in mapped)
        count = len(mapped)
        wide = False
        if name == "progress" and "metric" not in mapped:
            metrics = wide_metric_columns(columns)
            if metrics:
                wide = True
                score += len(metrics)
                count += len(metrics)
        complete = not input_missing(name, mapped, wide)
        candidate = (round(score, 6), int(complete), count, name)
        if best is None or candidate[:3] > best[:3]:
            best = candidate
    if best is None:
        return None
    _, complete, count, name = best
    return name if complete or count >= 2 else None


# ------------------------------------------------------------------------------- cleaning


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
        values[wide] = _map_unique(values[wide], clean_text)
    return values.astype("string")


def _clean_series(s: pd.Series) -> pd.Series:
    """Text cells cleaned (invisible chars, spaces), placeholders as missing, dtype string."""
    values = clean_series(s)
    return values.mask(values.str.lower().isin(PLACEHOLDERS)).astype("string")


def _map_unique(s: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value."""
    values = s.astype("string")
    mapping = {u: func(str(u)) for u in values.dropna().unique()}
    return values.map(mapping).astype("string")


def _clean_text_keep(s: pd.Series) -> pd.Series:
    """Free text: cleaned, only empty cells are missing ('NA' in a note stays 'NA')."""
    values = clean_series(s)
    return values.mask(values == "").astype("string")


_FREE_TEXT = {"note", "event", "project_name"}


def _parse_column(
    s: pd.Series,
    parse: Callable[[object], object],
    ctx: Context,
    rows: pd.Series,
    column: str,
    table: str,
    fix: str,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    keys: pd.Series | None = None,
) -> pd.Series:
    """Apply ``parse`` to each distinct value; failures become row errors."""
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


def _to_numbers(
    s: pd.Series,
    ctx: Context,
    rows: pd.Series,
    column: str,
    table: str,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
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
        if isinstance(units, pd.Series):
            keys = units[todo].astype(object)
            parsed = _parse_column(
                sub,
                lambda k: parse_number(k[0], k[1]),
                ctx,
                rows[todo],
                column,
                table,
                _number_fix(column),
                bad_sub := np.zeros(len(sub), bool),
                flags := set(),
                keys=keys,
            )
        else:
            unit = units
            parsed = _parse_column(
                sub,
                lambda v: parse_number(v, unit),
                ctx,
                rows[todo],
                column,
                table,
                _number_fix(column),
                bad_sub := np.zeros(len(sub), bool),
                flags := set(),
            )
        positions = np.flatnonzero(todo.to_numpy(dtype=bool, na_value=False))
        bad[positions[bad_sub]] = True
        flagged.update((int(positions[p]), c) for p, c in flags)
        result[todo] = pd.to_numeric(parsed, errors="coerce").astype("float64")
    return result


def _number_fix(column: str) -> str:
    if column.endswith("_inr_crore") or column == "value":
        return (
            "Write a number such as 1,64,223 or 155386.5; amounts may say '₹1.5 lakh "
            "crore' or '250 cr'."
        )
    return "Write a plain number, such as 1,64,223 or 25.43."


def _to_dates(
    s: pd.Series,
    ctx: Context,
    rows: pd.Series,
    column: str,
    table: str,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
) -> tuple[pd.Series, pd.Series]:
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
        parsed = _parse_column(
            sub,
            parse_date,
            ctx,
            rows[todo],
            column,
            table,
            "Write dates as YYYY-MM-DD (e.g. 2025-12-01) or DD/MM/YYYY (day first).",
            bad_sub := np.zeros(len(sub), bool),
            flags := set(),
        )
        positions = np.flatnonzero(todo.to_numpy(dtype=bool, na_value=False))
        bad[positions[bad_sub]] = True
        flagged.update((int(positions[p]), c) for p, c in flags)
        stamps = [None if v is None else v[0] for v in parsed]
        months = [False if v is None else bool(v[1]) for v in parsed]
        result[todo] = pd.to_datetime(pd.Series(stamps, index=sub.index)).astype("datetime64[ns]")
        month_only[todo] = months
    return result, month_only


# ------------------------------------------------------------------------------- cities


@dataclass
class _CityIndex:
    """Known cities, for resolving ids and names."""

    ids: dict[str, str]  # lower-case id -> id
    name_of: dict[str, str]  # id -> name
    state_of: dict[str, str]  # id -> state
    id_of: dict[str, str]  # canonical name -> id
    harmoniser: Harmoniser

    @classmethod
    def build(cls, cities: pd.DataFrame | None) -> _CityIndex:
        if cities is None or cities.empty:
            return cls({}, {}, {}, {}, ds.harmoniser(None))
        ids = cities["city_id"].astype(str).tolist()
        names = cities["city_name"].astype(str).tolist()
        states = (
            cities["state_ut"].astype(str).tolist() if "state_ut" in cities else [""] * len(ids)
        )
        return cls(
            {i.lower(): i for i in ids},
            dict(zip(ids, names, strict=True)),
            dict(zip(ids, states, strict=True)),
            dict(zip(names, ids, strict=True)),
            ds.harmoniser(cities),
        )

    @property
    def empty(self) -> bool:
        return not self.ids

    def resolve(
        self, city_id: str | None, city_name: str | None
    ) -> tuple[str | None, bool, tuple[str, ...]]:
        """(city_id, via_alias, suggestions) for a row's id and/or name."""
        suggestions: list[str] = []
        if city_id:
            known = self.ids.get(city_id.lower())
            if known is not None:
                if city_name:
                    by_name = self.harmoniser.resolve("city", city_name)
                    if by_name.canonical and self.id_of.get(by_name.canonical) != known:
                        raise ValueError(
                            f"city_id '{city_id}' is {self.name_of[known]}, but city_name "
                            f"says '{city_name}'"
                        )
                return known, False, ()
            res = self.harmoniser.resolve("city", city_id)
            if res.canonical:
                return self.id_of[res.canonical], res.via_alias, ()
            suggestions += list(res.suggestions)
            suggestions += difflib.get_close_matches(city_id.lower(), list(self.ids), 3, 0.75)
        if city_name:
            res = self.harmoniser.resolve("city", city_name)
            if res.canonical:
                return self.id_of[res.canonical], res.via_alias, ()
            suggestions = list(res.suggestions) + suggestions
        return None, False, tuple(dict.fromkeys(suggestions))


# Columns derived from a resolved city or state: empty when the name was not resolved.
_CITY_COLUMNS = ("city_id", "city_name", "area_id", "area_name", "state_ut")
_STATE_COLUMNS = ("state_ut", "area_id", "area_name")


def _did_you_mean(suggestions: Iterable[str]) -> str:
    items = list(suggestions)
    if not items:
        return (
            "Use a city from the cities table (the 100 Smart Cities unless your upload "
            "adds its own), or add the spelling to data/aliases.csv."
        )
    return "Did you mean " + " or ".join(items[:3]) + "?"


def _resolve_cities(
    frame: pd.DataFrame,
    index: _CityIndex,
    ctx: Context,
    table: str,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
    mask: pd.Series | None = None,
    id_col: str = "city_id",
    name_col: str = "city_name",
) -> tuple[pd.Series, pd.Series]:
    """Resolve (id, name) pairs to known city ids; unknown cities are row errors.

    Each distinct pair is resolved once, so large files cost one lookup per city.
    """
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
        flagged.update((pos, c) for c in (column, *_CITY_COLUMNS))
        _, _, sugg, err = results[keys.iat[pos]]
        shown = raw_name if raw_name is not None else raw_id
        if err == "no city given":
            fix = "Fill in the city's name or city_id."
        elif err:
            fix = "Check city_id and city_name."
        else:
            fix = _did_you_mean(sugg)
        ctx.row_issue(
            "error",
            err or f"unknown city '{shown}'",
            row=int(rows.iat[pos]),
            column=column,
            table=table,
            value=shown,
            fix=fix,
        )
    aliases = {}
    for key, (cid, via_alias, _, _) in results.items():
        if cid is not None and via_alias:
            raw_id, raw_name = key.split("\x1f", 1)
            aliases[raw_name if raw_name != "\x00" else raw_id] = index.name_of[cid]
    if aliases:
        pairs = ", ".join(f"{a} → {c}" for a, c in list(aliases.items())[:10])
        ctx.report.warning(
            ctx.file,
            f"city names matched through the alias table: {pairs}",
            table=table,
            column=name_col if name_col in frame else id_col,
        )
    out_name = resolved.map(index.name_of).astype("string")
    return resolved, out_name


def _resolve_states(
    s: pd.Series,
    ctx: Context,
    table: str,
    column: str,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
) -> pd.Series:
    """Canonical state/UT names (aliases such as Orissa -> Odisha); unknown names are errors."""
    values = s.astype("string")
    results = {raw: ctx.harmoniser.resolve("state", str(raw)) for raw in values.dropna().unique()}
    out = values.map({raw: r.canonical for raw, r in results.items()}).astype("string")
    failed = values.notna().to_numpy() & out.isna().to_numpy()
    for pos in np.flatnonzero(failed):
        raw = str(values.iat[pos])
        bad[pos] = True
        flagged.update((pos, c) for c in (column, *_STATE_COLUMNS))
        sugg = results[raw].suggestions
        ctx.row_issue(
            "error",
            f"unknown state/UT '{raw}'",
            row=int(rows.iat[pos]),
            column=column,
            table=table,
            value=raw,
            fix=_did_you_mean(sugg)
            if sugg
            else "Use the state/UT's current name, e.g. Odisha, Tamil Nadu, Delhi.",
        )
    aliases = {raw: r.canonical for raw, r in results.items() if r.canonical and r.via_alias}
    if aliases:
        pairs = ", ".join(f"{a} → {c}" for a, c in list(aliases.items())[:10])
        ctx.report.warning(
            ctx.file,
            f"state/UT names matched through the alias table: {pairs}",
            table=table,
            column=column,
        )
    return out


def _state_ids() -> dict[str, str]:
    states = ds.states()
    return dict(zip(states["state_ut"], states["state_id"], strict=True))


# ------------------------------------------------------------------------------- main


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
    rows = frame["_row"]
    bad = np.zeros(len(frame), bool)
    flagged: set[tuple[int, str]] = set()

    # Text columns first: cleaned, placeholders missing.
    for col in list(frame.columns):
        if col == "_row":
            continue
        f = _field(t, col)
        typed = f is not None and f.dtype in ("float", "int", "date")
        if typed or (col == "value" and table == "progress"):
            continue
        if col in _FREE_TEXT:
            frame[col] = _clean_text_keep(frame[col])
        else:
            frame[col] = _clean_series(frame[col])
    for f in t.fields:
        if f.dtype == "category" and f.name in frame:
            if f.name == "metric":
                continue
            frame[f.name] = _map_unique(frame[f.name], lambda v, f=f: category_value(f, v, table))

    if table == "cities":
        frame = _cities(frame, ctx, bad, flagged, rows)
    elif table == "progress":
        frame = _progress(frame, ctx, bad, flagged, rows)
        # A figure given without a date basis is "as on" its date (the data dictionary says so).
        basis = frame.get("date_basis", pd.Series(pd.NA, index=frame.index, dtype="string"))
        frame["date_basis"] = basis.fillna("as_on").astype("string")
    elif table in ("iccc", "projects"):
        frame = _city_refs(frame, ctx, table, bad, flagged, rows)
        if table == "iccc":
            # A stage reported on a date is what a plain "stage, date" file says.
            basis = frame.get("date_basis", pd.Series(pd.NA, index=frame.index, dtype="string"))
            frame["date_basis"] = basis.fillna("reported").astype("string")

    # Typed columns.
    for f in t.fields:
        if f.name not in frame or f.name == "value" and table == "progress":
            continue
        if f.dtype in ("float", "int"):
            frame[f.name] = _to_numbers(
                frame[f.name], ctx, rows, f.name, table, bad, flagged, units=f.unit
            )
        elif f.dtype == "date":
            frame[f.name], month_only = _to_dates(
                frame[f.name], ctx, rows, f.name, table, bad, flagged
            )
            _month_only_note(frame, month_only, f.name, ctx, table)

    if table == "projects":
        frame = _projects(frame, ctx, bad, flagged, rows, start)
    if table == "cities" and ctx.reference is not None:
        frame = _fill_from_reference(frame, ctx.reference)
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
    return Normalised(name, table, out, bad, flagged)


def _projects(
    frame: pd.DataFrame,
    ctx: Context,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
    start: int,
) -> pd.DataFrame:
    """Projects (any layout): cost and its basis, dates the mission rules out, state names,
    and rows kept when only optional detail is wrong (see :mod:`smartcities.gmis`)."""
    frame = gmis.fill_cost(frame)
    for pos in np.flatnonzero(frame["cost_inr_crore"].isna().to_numpy()):
        if (int(pos), "cost_inr_crore") in flagged:
            continue
        bad[pos] = True
        flagged.add((int(pos), "cost_inr_crore"))
        given = [c for c in ("work_order_cost_inr_crore", "estimated_cost_inr_crore") if c in frame]
        ctx.row_issue(
            "error",
            ("no cost: " + " and ".join(given) + " are empty" if given else "cost is empty")
            + "; row not used",
            row=int(rows.iat[pos]),
            column=given[-1] if given else "cost_inr_crore",
            table="projects",
            fix="Give the project's cost in ₹ crore (the estimated cost will do).",
        )
    frame = gmis.date_window_errors(frame, ctx.file, ctx.report)
    gmis.canonical_states(frame, ctx.harmoniser, ctx.file, ctx.report)
    if "state_ut" in frame and not ctx.city_index.empty:
        city_state = frame["city_id"].map(ctx.city_index.state_of).astype("string")
        clash = (frame["state_ut"].notna() & city_state.notna()) & (frame["state_ut"] != city_state)
        for pos in np.flatnonzero(clash.to_numpy(dtype=bool, na_value=False)):
            ctx.row_issue(
                "warning",
                f"state '{frame['state_ut'].iat[pos]}' is not the state of "
                f"{frame['city_id'].iat[pos]} ({city_state.iat[pos]}); the city's state is used",
                row=int(rows.iat[pos]),
                column="state_ut",
                table="projects",
                value=frame["state_ut"].iat[pos],
                fix="Check the state or the city of this project.",
            )
    gmis.keep_rows_with_optional_errors(bad, flagged, rows, ctx.report, ctx.file, start)
    return frame


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


def _text_warnings(frame: pd.DataFrame, t: Table, ctx: Context, table: str) -> None:
    """Formula-like or HTML cells are kept as text; say so once per column."""
    for f in t.fields:
        if f.dtype not in ("string", "category") or f.name not in frame:
            continue
        s = frame[f.name].astype("string")
        formula = s.str.startswith(("=", "@", "+", "-")).fillna(False).astype(bool)
        if formula.any():
            formula[formula] = s[formula].str.match(r"^[=@]|^[+\-][^\d\s.,]", na=False)
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


# ------------------------------------------------------------------------------- per table


def _cities(
    frame: pd.DataFrame,
    ctx: Context,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
) -> pd.DataFrame:
    """Cities table: canonical names via the reference and aliases; ids derived if absent."""
    ref = _CityIndex.build(ctx.reference)
    if "state_ut" in frame:
        frame["state_ut"] = _resolve_states(
            frame["state_ut"], ctx, "cities", "state_ut", bad, flagged, rows
        )
    has_id = "city_id" in frame
    names = (
        frame["city_name"]
        if "city_name" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    ids = frame["city_id"] if has_id else pd.Series(pd.NA, index=frame.index, dtype="string")
    out_id, out_name = ids.copy(), names.copy()
    aliases: dict[str, str] = {}
    for pos in range(len(frame)):
        raw_id = None if pd.isna(ids.iat[pos]) else str(ids.iat[pos])
        raw_name = None if pd.isna(names.iat[pos]) else str(names.iat[pos])
        row = int(rows.iat[pos])
        by_id = ref.ids.get(raw_id.lower()) if raw_id else None
        by_name = None
        if raw_name and not ref.empty:
            res = ref.harmoniser.resolve("city", raw_name)
            if res.canonical:
                by_name = ref.id_of[res.canonical]
                if res.via_alias:
                    aliases[raw_name] = res.canonical
            elif res.suggestions and by_id is None:
                ctx.row_issue(
                    "warning",
                    f"'{raw_name}' is not in the reference list of Smart Cities; kept as a "
                    "new city",
                    row=row,
                    column="city_name",
                    table="cities",
                    value=raw_name,
                    fix=_did_you_mean(res.suggestions) + " If so, correct the name.",
                )
        if by_id and by_name and by_id != by_name:
            bad[pos] = True
            flagged.update({(pos, "city_id"), (pos, "city_name")})
            ctx.row_issue(
                "error",
                f"city_id '{raw_id}' is {ref.name_of[by_id]} in the reference list, but "
                f"city_name says '{raw_name}'",
                row=row,
                column="city_name",
                table="cities",
                value=raw_name,
                fix="Correct the city_id or the city_name.",
            )
            continue
        cid = by_id or by_name
        if cid is not None:
            out_name.iat[pos] = ref.name_of[cid]
            if raw_id is None or raw_id.lower() == cid.lower():
                out_id.iat[pos] = cid
            else:
                ctx.row_issue(
                    "warning",
                    f"city_id '{raw_id}' differs from the reference id '{cid}' of "
                    f"{ref.name_of[cid]}; merged with the public record, they count as two "
                    "cities",
                    row=row,
                    column="city_id",
                    table="cities",
                    value=raw_id,
                    fix=f"Use city_id '{cid}' unless the difference is intended.",
                )
        elif raw_id is None and raw_name is not None:
            out_id.iat[pos] = slugify(raw_name)
    if aliases:
        pairs = ", ".join(f"{a} → {c}" for a, c in list(aliases.items())[:10])
        ctx.report.warning(
            ctx.file,
            f"city names matched through the alias table: {pairs}",
            table="cities",
            column="city_name",
        )
    frame["city_id"] = out_id.astype("string")
    frame["city_name"] = out_name.astype("string")
    return frame


def _fill_from_reference(frame: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Uploaded cities: take missing state, round, date and coordinates from the reference."""
    ref = reference.set_index("city_id")
    known = frame["city_id"].isin(ref.index)
    if not known.any():
        return frame
    for col in (
        "city_name",
        "state_ut",
        "selection_round",
        "selection_date",
        "latitude",
        "longitude",
        "selection_name",
    ):
        if col not in ref:
            continue
        values = frame["city_id"].map(ref[col])
        if col not in frame:
            frame[col] = values.where(known)
            continue
        gap = frame[col].isna() & known
        if gap.any():
            frame.loc[gap, col] = values[gap]
    return frame


def _city_refs(
    frame: pd.DataFrame,
    ctx: Context,
    table: str,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
) -> pd.DataFrame:
    index = ctx.city_index
    if index.empty:
        if "city_id" not in frame:
            frame["city_id"] = _map_unique(frame["city_name"], slugify)
        return frame
    cid, _ = _resolve_cities(frame, index, ctx, table, bad, flagged, rows)
    frame["city_id"] = cid
    return frame


def _progress(
    frame: pd.DataFrame,
    ctx: Context,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
) -> pd.DataFrame:
    """Progress: metric names, area resolution by level, units from the metric, values."""
    n = len(frame)

    # Metric.
    metric = frame["metric"].astype("string")
    canon = _map_unique(metric, lambda v: canonical_metric(v) or f"?{v}")
    for pos in np.flatnonzero(
        canon.fillna("").str.startswith("?").to_numpy() | canon.isna().to_numpy()
    ):
        raw = metric.iat[pos]
        bad[pos] = True
        flagged.update({(pos, "metric"), (pos, "unit"), (pos, "value")})
        if pd.isna(raw):
            ctx.row_issue(
                "error",
                "metric is empty",
                row=int(rows.iat[pos]),
                column="metric",
                table="progress",
                fix="Name the measure, e.g. projects_completed_count.",
            )
            continue
        sugg = metric_suggestions(str(raw))
        ctx.row_issue(
            "error",
            f"unknown metric '{raw}'",
            row=int(rows.iat[pos]),
            column="metric",
            table="progress",
            value=raw,
            fix=("Did you mean " + " or ".join(sugg) + "?")
            if sugg
            else "Use a metric from the data dictionary, e.g. projects_completed_count.",
        )
    canon = canon.where(~canon.fillna("").str.startswith("?"), metric)
    frame["metric"] = canon.astype("string")
    metric_unit = frame["metric"].map({m: METRICS[m].unit for m in METRICS}).astype("string")

    # Unit: from the metric; a given unit must agree.
    if "unit" in frame:
        given = frame["unit"].astype("string")
        clash = given.notna() & metric_unit.notna() & (given != metric_unit.astype("string"))
        for pos in np.flatnonzero(clash.to_numpy(dtype=bool, na_value=False)):
            bad[pos] = True
            flagged.add((pos, "unit"))
            ctx.row_issue(
                "error",
                f"unit '{given.iat[pos]}' does not fit metric {frame['metric'].iat[pos]}",
                row=int(rows.iat[pos]),
                column="unit",
                table="progress",
                value=given.iat[pos],
                fix=f"The unit of this metric is '{metric_unit.iat[pos]}' (or leave it empty).",
            )
        frame["unit"] = given.where(given.notna(), metric_unit.astype("string"))
    else:
        frame["unit"] = metric_unit.astype("string")

    # Value, in the metric's unit.
    frame["value"] = _to_numbers(
        frame["value"],
        ctx,
        rows,
        "value",
        "progress",
        bad,
        flagged,
        units=metric_unit.astype(object).where(metric_unit.notna(), None),
    )

    # Area.
    frame = _areas(frame, ctx, bad, flagged, rows)
    assert len(frame) == n
    return frame


def _areas(
    frame: pd.DataFrame,
    ctx: Context,
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
) -> pd.DataFrame:
    """Level, area_id, area_name and state_ut for each progress row."""
    na = pd.Series(pd.NA, index=frame.index, dtype="string")
    level = frame["level"] if "level" in frame else na.copy()
    area_id = frame["area_id"] if "area_id" in frame else na.copy()
    area_name = frame["area_name"] if "area_name" in frame else na.copy()
    city_id = frame["city_id"] if "city_id" in frame else na.copy()
    city_name = frame["city_name"] if "city_name" in frame else na.copy()
    state = frame["state_ut"] if "state_ut" in frame else na.copy()

    # Fill in a missing level from what the row names.
    has_city = city_id.notna() | city_name.notna()
    inferred = pd.Series(
        np.where(
            has_city,
            "city",
            np.where(
                area_id.notna() | area_name.notna(),
                "",
                np.where(state.notna(), "state", "national"),
            ),
        ),
        index=frame.index,
        dtype="string",
    )
    level = level.where(level.notna(), inferred)
    index = ctx.city_index
    harm = ctx.harmoniser
    rounds = {match_key(r): r for r in ROUNDS} | {match_key(slugify(r)): r for r in ROUNDS}
    # Area given without a level: work out which kind of area it names.
    for pos in np.flatnonzero((level == "").to_numpy(dtype=bool, na_value=False)):
        raw = area_name.iat[pos] if pd.notna(area_name.iat[pos]) else area_id.iat[pos]
        key = match_key(str(raw))
        if key in ("india", "allindia", "national", "total", "indiatotal"):
            level.iat[pos] = "national"
        elif key in rounds:
            level.iat[pos] = "round"
        elif harm.resolve("state", str(raw)).canonical:
            level.iat[pos] = "state"
        else:
            level.iat[pos] = "city"

    out_id = area_id.astype("string").copy()
    out_name = area_name.astype("string").copy()
    out_state = state.astype("string").copy()

    # Cities.
    is_city = (level == "city").to_numpy(dtype=bool, na_value=False)
    if is_city.any():
        tmp = pd.DataFrame(
            {
                "area_id": city_id.where(city_id.notna(), area_id),
                "area_name": city_name.where(city_name.notna(), area_name),
            }
        )
        if index.empty:
            ids = tmp["area_id"].where(
                tmp["area_id"].notna(),
                _map_unique(tmp["area_name"], slugify),
            )
            out_id[is_city] = ids[is_city]
            names = tmp["area_name"].where(tmp["area_name"].notna(), tmp["area_id"])
            out_name[is_city] = names[is_city]
        else:
            cid, cname = _resolve_cities(
                tmp,
                index,
                ctx,
                "progress",
                bad,
                flagged,
                rows,
                mask=pd.Series(is_city, index=frame.index),
                id_col="area_id",
                name_col="area_name",
            )
            out_id[is_city] = cid[is_city]
            out_name[is_city] = cname[is_city]
            states = cid.map(index.state_of)
            fill = pd.Series(is_city, index=frame.index) & out_state.isna()
            out_state[fill] = states[fill].astype("string")

    # States: resolve the name, derive the id.
    is_state = (level == "state").to_numpy(dtype=bool, na_value=False)
    if is_state.any():
        state_ids = _state_ids()
        raw = area_name.where(area_name.notna(), state).where(lambda s: s.notna(), area_id)
        names = _resolve_states(
            raw.where(pd.Series(is_state, index=frame.index)),
            ctx,
            "progress",
            "area_name",
            bad,
            flagged,
            rows,
        )
        out_name[is_state] = names[is_state]
        out_id[is_state] = names.map(state_ids).astype("string")[is_state]
        out_state[is_state] = names[is_state]

    # The state of city rows, where given, is canonicalised too.
    if is_city.any() and "state_ut" in frame:
        given = state.where(pd.Series(is_city, index=frame.index))
        if given.notna().any():
            resolved = _resolve_states(given, ctx, "progress", "state_ut", bad, flagged, rows)
            mask = pd.Series(is_city, index=frame.index) & given.notna()
            out_state[mask] = resolved[mask]

    # Rounds.
    is_round = (level == "round").to_numpy(dtype=bool, na_value=False)
    for pos in np.flatnonzero(is_round):
        raw = area_name.iat[pos] if pd.notna(area_name.iat[pos]) else area_id.iat[pos]
        found = rounds.get(match_key(str(raw))) or _CATEGORY_SYNONYMS["selection_round"].get(
            match_key(str(raw))
        )
        if found is None:
            bad[pos] = True
            flagged.update({(pos, "area_name"), (pos, "area_id")})
            ctx.row_issue(
                "error",
                f"unknown selection round '{raw}'",
                row=int(rows.iat[pos]),
                column="area_name",
                table="progress",
                value=raw,
                fix="Use one of: " + ", ".join(ROUNDS) + ".",
            )
            continue
        out_id.iat[pos] = slugify(found)
        out_name.iat[pos] = found

    # National.
    is_nat = (level == "national").to_numpy(dtype=bool, na_value=False)
    out_id[is_nat] = out_id[is_nat].fillna("india")
    out_name[is_nat] = out_name[is_nat].fillna("India")

    # An unknown level is reported by validation; the area cannot be checked without it.
    unknown = ~level.isin(list(LEVELS)).to_numpy(dtype=bool)
    for pos in np.flatnonzero(unknown):
        flagged.update({(int(pos), "area_id"), (int(pos), "area_name")})

    frame["level"] = level.astype("string")
    frame["area_id"] = out_id.astype("string")
    frame["area_name"] = out_name.astype("string")
    frame["state_ut"] = out_state.astype("string")
    return frame.drop(columns=[c for c in ("city_id", "city_name") if c in frame])
