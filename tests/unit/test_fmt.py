"""Indian number formats: grouping, lakh/crore words, ₹ amounts, dates, ticks."""

import math

import numpy as np
import pandas as pd
import pytest

from smartcities import fmt, map_measures, maps

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1,000"),
        (100000, 0, "1,00,000"),
        (1234567.5, 1, "12,34,567.5"),
        (155386, 0, "1,55,386"),
        (-164223, 0, "-1,64,223"),
        (None, 0, "–"),
        (math.nan, 0, "–"),
        (pd.NA, 0, "–"),
    ],
)
def test_group(value, decimals, expected):
    assert fmt.group(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (155386, "₹1.55 lakh crore"),
        (9425, "₹9,425 crore"),
        (48000, "₹48,000 crore"),
        (12.5, "₹12.5 crore"),
        (None, "–"),
    ],
)
def test_inr_crore_compact(value, expected):
    assert fmt.inr_crore_compact(value) == expected


def test_inr_crore_full():
    assert fmt.inr_crore(155386) == "₹1,55,386 crore"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(150000, "1.5 lakh"), (25_000_000, "2.5 crore"), (8064, "8,064"), (100000, "1 lakh")],
)
def test_compact(value, expected):
    assert fmt.compact(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (7741, "count", "7,741"),
        (155386, "inr_crore", "₹1,55,386 crore"),
        (20410.14, "inr_crore", "₹20,410 crore"),
        (97.1, "inr_crore", "₹97.1 crore"),
        (1, "flag", "yes"),
        (0, "flag", "no"),
        (96.04, "pct", "96%"),
    ],
)
def test_value(value, unit, expected):
    assert fmt.value(value, unit) == expected


def test_as_on():
    assert fmt.as_on(pd.Timestamp("2025-12-01")) == "1 Dec 2025"
    assert fmt.as_on(None) == "date not known"


def test_ticks_cover_range_and_are_indian():
    ticks = fmt.nice_ticks(0, 164811)
    assert ticks[0] == 0 and ticks[-1] >= 164811
    assert len(ticks) <= 8
    labels = fmt.tick_labels(ticks, "inr_crore")
    assert "₹1,00,000 cr" in labels


@pytest.mark.parametrize(
    ("day", "basis", "text"),
    [
        ("2026-01-15", "as_on", "as on 15 Jan 2026"),
        ("2025-12-11", "reply", "reported 11 Dec 2025 (as-on date not stated)"),
        ("2026-01-08", "on_or_before", "on or before 8 Jan 2026"),
        ("2018-06-18", "reported", "as on 18 Jun 2018"),  # the ICCC table's basis
        ("2026-01-15", None, "as on 15 Jan 2026"),  # an upload without a basis
        ("2026-01-15", pd.NA, "as on 15 Jan 2026"),
        ("2026-01-15", "nonsense", "as on 15 Jan 2026"),
        (None, "reply", "date not known"),
    ],
)
def test_date_basis_wording(day, basis, text) -> None:
    assert fmt.dated(pd.Timestamp(day) if day else None, basis) == text


@pytest.mark.parametrize(
    ("day", "basis", "text"),
    [
        ("2026-01-15", "as_on", "2026-01-15"),
        ("2025-12-11", "reply", "2025-12-11 (reply)"),
        ("2026-01-08", "on_or_before", "2026-01-08 (by)"),
        (None, "as_on", ""),
    ],
)
def test_short_date_basis_sorts_by_date(day, basis, text) -> None:
    assert fmt.dated_short(pd.Timestamp(day) if day else None, basis) == text


EXTREMES = [1e28, -1e28, 1e300, float("inf"), float("-inf"), float("nan"), None, -5.5, 0, 1e15]


@pytest.mark.parametrize("v", EXTREMES)
@pytest.mark.parametrize(
    "formatter",
    [
        fmt.group,
        fmt.count,
        fmt.inr_crore,
        fmt.inr_crore_compact,
        fmt.compact,
        fmt.pct,
        lambda v: fmt.value(v, "count"),
        lambda v: fmt.value(v, "inr_crore"),
        lambda v: fmt.value(v, "pct"),
        lambda v: fmt.value(v, "flag"),
        lambda v: fmt.tick_labels([0 if v is None else v], "inr_crore")[0],
        lambda v: map_measures.hover_value(v, "inr_crore"),
        lambda v: map_measures.hover_values(pd.Series([v], dtype="float64"), "count")[0],
        lambda v: maps._short(0.0 if v is None else float(v), "inr_crore"),
    ],
)
def test_formatters_never_raise(formatter, v):
    """A value the schema lets through (or one computed from it) must not take a page down:
    1e28 made Babel raise, and the Overview and Mission progress crashed on it."""
    text = formatter(v)
    assert isinstance(text, str) and text


def test_extremes_read_sensibly():
    assert fmt.count(1e28) == "1e+28"
    assert fmt.count(float("inf")) == "∞" and fmt.count(float("nan")) == "–"
    assert fmt.inr_crore(-1500) == "₹-1,500 crore"
    assert fmt.count(99_99_99_99_99_999) == "99,99,99,99,99,999"
    assert fmt.nice_ticks(0, float("inf")) == [0.0]
    assert fmt.as_on("not a date") == "date not known"
    assert fmt.group("12,3") == "–"


def test_many_values_read_as_one_value_each() -> None:
    """fmt.values (the map's hover text for thousands of towns) skips Babel for counts and
    crore amounts: its text must be fmt.value's, extremes and Hindi included."""
    rng = np.random.default_rng(11)
    values = [
        *rng.gamma(1, 2000, 200),
        *rng.uniform(-150, 150, 100),
        0,
        0.005,
        99.995,
        100,
        155386,
        1.5e7,
        -1500,
        99_99_99_99_99_999,
        1e16,
        1e28,
        float("inf"),
        float("nan"),
        None,
        "12,3",
    ]
    for unit in ("inr_crore", "count", "pct", "flag"):
        for lang in ("en", "hi"):
            assert fmt.values(values, unit, lang) == [fmt.value(v, unit, lang) for v in values]
