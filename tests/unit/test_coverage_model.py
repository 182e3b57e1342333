"""The Data coverage page's model (smartcities.coverage): the age bands a cell is coloured by,
the summary's counts and medians, the grids of the bundled record, and the once-per-selection
cache.

Rules broken on purpose once, each failing here: a band's upper bound made inclusive
(test_age_bands), the median replaced by the mean (test_summary_arithmetic), a stated date
counted from every basis (test_summary_arithmetic)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from smartcities import coverage
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit
AS_OF = pd.Timestamp("2026-01-15")


@pytest.mark.parametrize(
    ("months", "band"),
    [
        (0.0, 0),
        (5.99, 0),
        (6.0, 1),
        (11.99, 1),
        (12.0, 2),
        (23.99, 2),
        (24.0, 3),
        (120.0, 3),
        (math.nan, None),
        (None, None),
    ],
)
def test_age_bands(months, band) -> None:
    assert coverage.age_band(months) == band
    colour = coverage.band_colour(months)
    if band is None:
        assert colour == ""
    else:
        assert coverage.AGE_BANDS[band][2] in colour and "color: #1f2933" in colour


def long_rows(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    """(area_id, measure, age in months, date basis) rows of the coverage's long table."""
    return pd.DataFrame(
        {
            "area_id": [r[0] for r in rows],
            "measure": [r[1] for r in rows],
            "age_months": [r[2] for r in rows],
            "date_basis": [r[3] for r in rows],
            "as_of_date": [AS_OF - pd.Timedelta(days=30 * r[2]) for r in rows],
        }
    )


def test_summary_arithmetic() -> None:
    done = "projects_completed_count"
    long = long_rows(
        ("a", done, 1.0, "as_on"),
        ("b", done, 3.0, "reply"),
        ("c", done, 30.0, "on_or_before"),
        ("a", "projects_taken_up_count", 2.0, "as_on"),
    )
    lines = coverage.summary_lines(long, 10)
    # Completion: 3 cities of 10, median 3 months (not the mean, 11.3), 1 of 3 with a stated date.
    assert lines[0] == (
        "3 of 10 cities have a completion figure (a count, a value or 'all completed'); the "
        "median one is 3 months old; 1 of 3 carry a stated 'as on' date."
    )
    table = coverage.summary_frame(long, 10).set_index("Measure")
    assert table.loc["Projects completed", "Cities with a figure"] == "3 of 10"
    assert table.loc["Projects completed", "Median age"] == "3 months"
    assert table.loc["Projects completed", "With a stated 'as on' date"] == "1 of 3"
    assert table.loc["Projects taken up", "Cities with a figure"] == "1 of 10"
    assert table.loc["Completed (₹ crore)", "Median age"] == "–"


def test_a_measure_nobody_reports() -> None:
    lines = coverage.summary_lines(long_rows(), 100)
    assert lines[0].startswith("None of the 100 cities has a completion figure")


def test_grids_of_the_public_record(public_engine: Engine) -> None:
    model = coverage.build(public_engine, Scope(), AS_OF)
    assert model.n_cities == 100
    assert len(model.city_grid) == 100 and model.city_grid.shape == model.city_ages.shape
    assert model.state_grid.shape == model.state_ages.shape
    assert model.state_grid["Smart Cities"].sum() == 100, "every city counted in its state"
    assert len(model.summary) == 1 + len(coverage.MEASURES)
    bihar = coverage.build(public_engine, Scope(state_ut="Bihar"), AS_OF)
    assert bihar.n_cities == 4 and list(bihar.state_grid["State/UT"]) == ["Bihar"]


def test_the_model_is_built_once_per_selection(public_engine: Engine) -> None:
    first = coverage.cached(public_engine, Scope(round="Round 2"), AS_OF)
    assert coverage.cached(public_engine, Scope(round="Round 2"), AS_OF) is first
    assert coverage.cached(public_engine, Scope(round="Round 3"), AS_OF) is not first
    assert coverage.cached(public_engine, Scope(round="Round 2"), AS_OF, "hi") is not first
    checks = coverage.cached_checks(public_engine, Scope())
    assert coverage.cached_checks(public_engine, Scope()) is checks
    assert {"falls", "conflicts"} <= set(checks)
