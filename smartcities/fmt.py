"""Indian number formatting: 3-then-2 digit grouping, lakh and crore, ₹ amounts.

Babel gives the grouping (``en_IN``); the compact words ("1.5 lakh", "₹53,175 crore") follow
how Indian officials write, which Babel's compact form ("53.18KCr") does not.

No formatter raises: a page must not fail on a value the schema let through (or one computed
from it). Missing and non-numeric values show "–", infinities "∞", and numbers beyond
:data:`HUGE` (where Babel's decimal context gives up) in scientific notation.

Functions take ``lang`` ("en" default, or "hi"). Hindi keeps Western digits and Indian grouping,
as Government of India documents do ("₹1,55,859 करोड़", "7,767"), writes लाख/करोड़, and dates
through Babel's ``hi_IN`` locale ("15 जनवरी 2026"); the words come from the message catalog.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from smartcities.i18n import DEFAULT_LANG, N_, translator

LAKH = 100_000
CRORE = 10_000_000
HUGE = 1e15  # beyond this, digit grouping is unreadable (and Babel fails from 1e28)


def _number(value: object) -> float | None:
    """``value`` as a float, or None when it is missing or not a number."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return None if math.isnan(v) else v


def _missing(value: object) -> bool:
    v = _number(value)
    return v is None or math.isinf(v)


def _odd(v: float) -> str:
    """Text for a number no grouping fits: infinite or beyond :data:`HUGE`."""
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return f"{v:.3g}"


def group(value: float | int | None, decimals: int = 0) -> str:
    """'1234567.5' -> '12,34,568' (decimals=0) or '12,34,567.5' (decimals=1). '–' if missing."""
    v = _number(value)
    if v is None:
        return "–"
    if math.isinf(v) or abs(v) >= HUGE:
        return _odd(v)
    fmt = "#,##,##0" + ("." + "#" * decimals if decimals else "")
    try:
        return format_decimal(round(v, decimals), format=fmt, locale="en_IN")
    except (ArithmeticError, ValueError):  # Babel's decimal context, should HUGE be wrong
        return _odd(v)


def count(value: float | int | None) -> str:
    """A count with Indian grouping: 8064 -> '8,064'; 1234567 -> '12,34,567'."""
    return group(value, 0)


# The Indian number words, in the catalog (glossary: लाख, करोड़).
_CRORE, _LAKH, _LAKH_CRORE, _CR = N_("crore"), N_("lakh"), N_("lakh crore"), N_("cr")


def _word(word: str, lang: str) -> str:
    return word if lang == DEFAULT_LANG else translator(lang)(word)


def inr_crore(value: float | None, decimals: int = 0, lang: str = DEFAULT_LANG) -> str:
    """An amount already in crore: 155386 -> '₹1,55,386 crore' (Hindi '₹1,55,386 करोड़')."""
    if _number(value) is None:
        return "–"
    return f"₹{group(value, decimals)} {_word(_CRORE, lang)}"


def inr_crore_compact(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """Crore amounts as officials say them: 155386 -> '₹1.55 lakh crore'; 9425 -> '₹9,425 crore'."""
    v = _number(value)
    if v is None:
        return "–"
    crore = _word(_CRORE, lang)
    if math.isinf(v) or abs(v) >= HUGE:
        return f"₹{_odd(v)} {crore}"
    if abs(v) >= LAKH:
        return f"₹{v / LAKH:.2f} {_word(_LAKH_CRORE, lang)}"
    if abs(v) >= 100:
        return f"₹{group(v)} {crore}"
    return f"₹{group(v, 2)} {crore}"


def compact(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    """A plain number in lakh/crore words: 150000 -> '1.5 lakh'; 25000000 -> '2.5 crore'."""
    if _missing(value):
        return group(value)
    v = float(value)  # type: ignore[arg-type]
    if abs(v) >= HUGE:
        return _odd(v)
    for size, word in ((CRORE, _CRORE), (LAKH, _LAKH)):
        if abs(v) >= size:
            text = f"{v / size:.2f}".rstrip("0").rstrip(".")
            return f"{text} {_word(word, lang)}"
    return group(v, 0 if float(v).is_integer() else 1)


def pct(value: float | None, decimals: int = 0) -> str:
    """A percentage: 96.04 -> '96%'."""
    v = _number(value)
    if v is None:
        return "–"
    if math.isinf(v) or abs(v) >= HUGE:
        return f"{_odd(v)}%"
    return f"{v:.{decimals}f}%"


_YES, _NO = N_("yes"), N_("no")


def value(v: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """Format a value in a metric's unit (count, inr_crore, flag, pct)."""
    x = _number(v)
    if unit == "inr_crore":
        return inr_crore(x, 0 if x is None or math.isinf(x) or x >= 100 else 2, lang)
    if unit == "flag":
        return "–" if x is None else _word(_YES if x >= 1 else _NO, lang)
    if unit == "pct":
        return pct(x)
    return group(x, 0 if x is None or math.isinf(x) or x.is_integer() else 2)


def _group_fast(v: float, decimals: int) -> str:
    """:func:`group`'s text for a finite value under :data:`HUGE`, without Babel's per-call cost
    (Python's rounding, as :func:`group`)."""
    v = round(v, decimals)
    whole, _, frac = f"{abs(v):.{decimals}f}".partition(".")
    head, tail = whole[:-3], whole[-3:]
    pairs = [head[max(i - 2, 0) : i] for i in range(len(head), 0, -2)][::-1]
    grouped = ",".join([*pairs, tail]) if head else tail
    frac = frac.rstrip("0")
    return ("-" if v < 0 else "") + grouped + (f".{frac}" if frac else "")


def values(vs: Iterable[object], unit: str, lang: str = DEFAULT_LANG) -> list[str]:
    """:func:`value` of many values (thousands of towns on a map), the same text, faster: counts
    and crore amounts are grouped without a Babel call per value."""
    crore = _word(_CRORE, lang)
    out = []
    for v in vs:
        x = _number(v)
        if x is None or math.isinf(x) or abs(x) >= HUGE or unit not in ("count", "inr_crore"):
            out.append(value(x, unit, lang))
        elif unit == "inr_crore":
            out.append(f"₹{_group_fast(x, 0 if x >= 100 else 2)} {crore}")
        else:
            out.append(_group_fast(x, 0 if x.is_integer() else 2))
    return out


_NOT_KNOWN = N_("date not known")


def as_on(d: date | datetime | pd.Timestamp | None, lang: str = DEFAULT_LANG) -> str:
    """'as on 1 Dec 2025'-style date text (the day without a leading zero); Hindi through
    Babel's hi_IN locale with the full month name, as official letters write it:
    '1 दिसंबर 2025'."""
    if d is None or d is pd.NaT or (isinstance(d, float) and math.isnan(d)):
        return _word(_NOT_KNOWN, lang)
    try:
        ts = pd.Timestamp(d)
    except (TypeError, ValueError, OverflowError):
        return _word(_NOT_KNOWN, lang)
    if ts is pd.NaT:
        return _word(_NOT_KNOWN, lang)
    if lang != DEFAULT_LANG:
        return format_date(ts.date(), "d MMMM y", locale=translator(lang).babel_locale)
    return f"{ts.day} {ts.strftime('%b %Y')}"


# How sure a date is, in words (schema.PROGRESS_DATE_BASES; the ICCC table's "reported" is a
# stage reported as on its date). Hindi wording in the catalog (glossary).
_BASIS_WORDS = {
    "as_on": N_("as on {d}"),
    "reported": N_("as on {d}"),
    "reply": N_("reported {d} (as-on date not stated)"),
    "on_or_before": N_("on or before {d}"),
}
_BASIS_SHORT = {"reply": " (reply)", "on_or_before": " (by)"}


def dated(
    d: date | datetime | pd.Timestamp | None, basis: object = "as_on", lang: str = DEFAULT_LANG
) -> str:
    """A figure's date with how sure it is: 'as on 15 Jan 2026', 'reported 11 Dec 2025 (as-on
    date not stated)', 'on or before 8 Jan 2026'. A missing basis reads as 'as on'.
    Hindi: '15 जनवरी 2026 की स्थिति के अनुसार'."""
    if d is None or d is pd.NaT or (isinstance(d, float) and math.isnan(d)) or pd.isna(d):
        return _word(_NOT_KNOWN, lang)
    key = basis if isinstance(basis, str) and basis in _BASIS_WORDS else "as_on"
    return _word(_BASIS_WORDS[key], lang).format(d=as_on(d, lang))


# The same markers in Hindi ("तक": by; "उत्तर": reply), as the coverage page's legend says.
_BASIS_SHORT_HI = {"reply": " (उत्तर)", "on_or_before": " (तक)"}


def dated_short(
    d: date | datetime | pd.Timestamp | None, basis: object = "as_on", lang: str = DEFAULT_LANG
) -> str:
    """A sortable form for dense tables: '2026-01-15', '2026-01-08 (by)' (on or before),
    '2025-12-11 (reply)' (dated by the reply); '' when there is no date."""
    if d is None or pd.isna(d):
        return ""
    marks = _BASIS_SHORT_HI if lang == "hi" else _BASIS_SHORT
    suffix = marks.get(basis, "") if isinstance(basis, str) else ""
    return pd.Timestamp(d).strftime("%Y-%m-%d") + suffix


def nice_ticks(vmin: float, vmax: float, n: int = 5) -> list[float]:
    """Round tick positions covering [vmin, vmax] (for pre-formatted Indian tick labels)."""
    lo, hi = min(0.0, float(vmin)), float(vmax)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0]
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(n, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t < hi + step:
        ticks.append(round(t, 10))
        t += step
    return ticks


def tick_labels(ticks: Iterable[float], unit: str, lang: str = DEFAULT_LANG) -> list[str]:
    """Indian-format tick text for an axis in a metric's unit."""
    out = []
    for t in ticks:
        if unit == "inr_crore":
            out.append(f"₹{group(t)} {_word(_CR, lang)}")
        elif not math.isfinite(float(t)):
            out.append(group(t))
        else:
            out.append(group(t, 0 if float(t).is_integer() else 1))
    return out
