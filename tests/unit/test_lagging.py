"""Cities needing attention: each rule, from what the data says and nothing else."""

import pandas as pd
import pytest

from smartcities.metrics import LAG_RULES, lagging_cities

pytestmark = pytest.mark.unit

CITIES = pd.DataFrame(
    {
        "city_id": ["a", "b", "c", "d"],
        "city_name": ["A", "B", "C", "D"],
        "state_ut": ["S", "S", "T", "T"],
        "selection_round": ["Round 1"] * 4,
    }
)
ICCC = pd.DataFrame(
    {"city_id": ["a", "b", "c"], "stage": ["operational", "operational", "tendered"]}
)
D = pd.Timestamp("2025-12-01")


def latest(rows):
    return pd.DataFrame(
        [
            {"area_id": a, "metric": m, "value": v, "as_of_date": D, "source_url": f"u-{a}"}
            for a, m, v in rows
        ]
    )


def test_each_rule_and_nothing_else():
    city_latest = latest(
        [
            ("a", "projects_ongoing_count", 12),
            ("a", "projects_completed_count", 40),
            ("b", "projects_ongoing_count", 0),
            ("b", "projects_completed_count", 0),
            ("c", "funds_utilised_inr_crore", 50),
            ("c", "central_funds_released_inr_crore", 100),
            ("d", "funds_utilised_inr_crore", 90),
            ("d", "central_funds_released_inr_crore", 100),
            ("zz", "projects_completed_count", 0),  # not in scope: ignored
        ]
    )
    out = lagging_cities(CITIES, ICCC, city_latest, D)
    got = set(zip(out["city_id"], out["reason"], out["figure"]))
    assert got == {
        ("c", LAG_RULES[0], "–"),
        ("d", LAG_RULES[0], "–"),
        ("a", LAG_RULES[1], "12 ongoing"),
        ("b", LAG_RULES[2], "0 completed"),
        ("c", LAG_RULES[3], "50%"),
    }
    assert out.loc[out["city_id"] == "a", "source_url"].iloc[0] == "u-a"
    assert list(out.columns) == [
        "city_id",
        "city_name",
        "state_ut",
        "selection_round",
        "reason",
        "figure",
        "as_of_date",
        "source_url",
    ]


def test_no_data_no_exceptions():
    empty = latest([])
    out = lagging_cities(
        CITIES,
        ICCC.iloc[0:0],
        empty.reindex(columns=["area_id", "metric", "value", "as_of_date", "source_url"]),
        None,
    )
    assert out.empty
