"""What a map can show: the option tokens offered for the data in hand, their labels, and the
hover text of many values (moved out of maps.py; tested here directly)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartcities import fmt, map_measures
from smartcities.map_measures import AS_OF, NO_DATA

pytestmark = pytest.mark.unit


def values() -> pd.DataFrame:
    cities = pd.DataFrame(
        {
            "city_id": ["pune", "surat"],
            "selection_round": ["Round 1", "Round 1"],
            "selection_date": pd.to_datetime(["2016-01-28"] * 2),
        }
    )
    out = map_measures.city_values(cities)
    out["projects_completed_inr_crore"] = [155386.0, np.nan]
    out["projects_completed_inr_crore" + AS_OF] = pd.Timestamp("2025-12-01")
    out["iccc_operational_flag"] = [1.0, 0.0]
    out["funds_utilised_pct"] = [np.nan, np.nan]  # no value anywhere: not offered
    return out


def test_city_options_offer_categories_then_measures_with_data() -> None:
    v = values()
    assert map_measures.city_colour_options(v) == [
        "iccc",
        "round",
        "projects_completed_inr_crore",
        "iccc_operational_flag",
    ]
    # A yes/no flag can colour a point but not size it.
    assert map_measures.city_size_options(v) == ["projects_completed_inr_crore"]


def test_colour_choices_follow_the_view() -> None:
    v = values()
    tidy = pd.DataFrame(
        {
            "state_ut": ["Goa", "Goa", "Bihar"],
            "measure": ["smart_cities_count", "funds_released_inr_crore", "iccc_operational_count"],
            "value": [1.0, 5.0, 4.0],
        }
    )
    assert map_measures.colour_choices("cities", v, tidy) == map_measures.city_colour_options(v)
    for view in ("states", "boundaries"):
        assert map_measures.colour_choices(view, v, tidy) == [
            "iccc",
            "cities",
            "funds_released_inr_crore",
        ]


def test_labels_of_the_options() -> None:
    assert map_measures.labeller("cities")("iccc") == "ICCC stage"
    assert map_measures.labeller("states")("iccc") == map_measures.state_label("iccc")
    assert map_measures.labeller("states")("iccc") != "ICCC stage"
    assert map_measures.size_label("none") == "Same size"
    assert map_measures.size_label("iccc_cost_inr_crore") == "ICCC cost (₹ crore)"
    assert map_measures.shade_label("none") == "No shading"
    assert map_measures.shade_label("cities") == map_measures.state_label("cities")
    assert map_measures.measure_unit("cities") == "count"
    assert map_measures.measure_unit("x_inr_crore") == "inr_crore"


def test_hover_values_say_no_data_where_a_value_is_missing() -> None:
    got = map_measures.hover_values([155386.0, None, float("nan"), float("inf"), 12.5], "inr_crore")
    assert got == ["₹1,55,386 crore", NO_DATA, NO_DATA, NO_DATA, fmt.value(12.5, "inr_crore")]
    assert map_measures.hover_values(pd.Series([7767.0, 0.5]), "count") == ["7,767", "0.5"]
