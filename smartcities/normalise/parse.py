"""One cell at a time: placeholders, numbers as officials write them, day-first dates, and
category values.

Nothing here guesses silently: a month-only date is flagged as such, a date is always read
day-first (Indian usage), never month-first, and what cannot be read raises ValueError with a
message the load report shows on the cell's row.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from smartcities.names import clean_text, match_key
from smartcities.normalise.synonyms import value_synonyms
from smartcities.schema import Field

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


def category_value(f: Field, raw: str, table: str = "") -> str:
    """Map a category cell onto the field's allowed values, tolerant of case and spacing.
    Returns the cleaned text unchanged when nothing matches (validation then reports it)."""
    key = match_key(raw)
    allowed = f.allowed or ()
    for a in allowed:
        if key == match_key(a):
            return a
    synonym = value_synonyms(f.name).get(key)
    if synonym in allowed:
        return synonym
    if f.name == "stage" and table == "iccc" and key in ("completed", "complete"):
        return "operational"
    # An ICCC stage "as on" a date is what the ICCC table calls reported on that date.
    if (
        f.name == "date_basis"
        and table == "iccc"
        and value_synonyms("date_basis").get(key, key) in ("as_on", "ason")
    ):
        return "reported"
    return raw
