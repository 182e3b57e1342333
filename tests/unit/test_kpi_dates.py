"""Headline cards say how sure their date is, and flag a running total that fell."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import metrics

pytestmark = pytest.mark.unit


def latest(metric: str, value: float, day: str, basis: object, prev: float | None = None):
    return pd.DataFrame(
        [
            {
                "metric": metric,
                "value": value,
                "as_of_date": pd.Timestamp(day),
                "date_basis": basis,
                "source_url": "https://b.example/x",
                "note": None,
                "prev_value": prev,
                "prev_as_of_date": pd.Timestamp("2025-03-31") if prev is not None else pd.NaT,
                "prev_date_basis": "as_on",
                "prev_source_url": "https://a.example/y",
            }
        ]
    )


@pytest.mark.parametrize(
    ("basis", "dated"),
    [
        ("as_on", "as on 15 Jan 2026"),
        ("reply", "reported 15 Jan 2026 (as-on date not stated)"),
        ("on_or_before", "on or before 15 Jan 2026"),
        (None, "as on 15 Jan 2026"),
    ],
)
def test_card_says_its_date_basis(basis, dated) -> None:
    k = metrics.kpi(
        latest("projects_completed_count", 156, "2026-01-15", basis), "projects_completed_count"
    )
    assert k.dated == dated
    assert k.date_basis == basis
    assert dated[1:] in k.detail, "the help text says it too"


@pytest.mark.parametrize(
    ("value", "prev", "flagged", "delta"),
    [
        (47458, 47459, True, "-₹1 crore since 31 Mar 2025"),
        (47459, 47459, False, "no change since 31 Mar 2025"),
        (47600, 47459, False, "+₹141 crore since 31 Mar 2025"),
    ],
)
def test_card_flags_a_running_total_that_fell(value, prev, flagged, delta) -> None:
    m = "central_funds_released_inr_crore"
    k = metrics.kpi(latest(m, value, "2025-12-01", "as_on", prev), m)
    assert (k.flag is not None) == flagged
    assert k.delta == delta
    if flagged:
        assert k.flag.startswith("Fell from ₹47,459 crore (as on 31 Mar 2025) to ₹47,458 crore")
        assert "a.example" in k.detail and "b.example" in k.detail, "the help says why"


def test_ratio_card_dates_both_figures_when_they_differ() -> None:
    rows = pd.concat(
        [
            latest("projects_completed_count", 55, "2026-01-08", "on_or_before"),
            latest("projects_taken_up_count", 55, "2025-03-04", "as_on"),
        ]
    )
    k = metrics.ratio_kpi(
        rows, "projects_completed_count", "projects_taken_up_count", key="p", label="p"
    )
    assert k.value == "100%"
    assert k.dated == "on or before 8 Jan 2026 and as on 4 Mar 2025"
    same = pd.concat(
        [
            latest("projects_completed_count", 55, "2026-01-08", "on_or_before"),
            latest("projects_taken_up_count", 55, "2026-01-08", "on_or_before"),
        ]
    )
    k = metrics.ratio_kpi(
        same, "projects_completed_count", "projects_taken_up_count", key="p", label="p"
    )
    assert k.dated == "on or before 8 Jan 2026"


@pytest.mark.parametrize(
    ("names", "areas", "text"),
    [
        (["A", "B"], ["A", "B"], "2 of 2 cities report this measure."),
        (["A"], ["A", "B", "C"], "1 of 3 cities report this measure. Not reported (2): B, C."),
        ([], ["A"], "0 of 1 cities report this measure. Not reported (1): A."),
    ],
)
def test_comparisons_count_what_is_not_reported(names, areas, text) -> None:
    bars = pd.DataFrame({"area_name": names, "value": [1.0] * len(names)})
    assert metrics.reporting_note(bars, areas, "cities") == text
