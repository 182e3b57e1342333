"""City progress derived from a project list, and reconciled with reported figures."""

import numpy as np
import pandas as pd
import pytest

from smartcities.derive import DERIVED_SOURCE, derive_city_progress
from smartcities.load import Source, load_sources

pytestmark = pytest.mark.unit

PROJECTS_CSV = (
    "project_id,city_id,project_name,cost_inr_crore,stage,tendered_date,work_order_date,"
    "completed_date\n"
    """P1,pune,Smart roads,"1,200",completed,01/04/2017,01/10/2017,31/03/2020
P2,pune,ICCC,300,work_order_issued,01/06/2018,01/12/2018,
P3,pune,Parks,50,tendered,01/01/2021,,
P4,pune,Dropped one,999,dropped,01/01/2018,,
P5,indore,Solar,80,completed,01/01/2017,01/06/2017,01/06/2019
"""
)


def projects() -> pd.DataFrame:
    result = load_sources([Source("mis.csv", PROJECTS_CSV.encode())])
    assert result.dataset is not None, result.report.to_frame()
    return result.dataset.table("projects")


@pytest.mark.parametrize(
    ("as_of", "metric", "expected"),
    [
        ("2016-12-31", "projects_tendered_count", 0),
        ("2018-12-31", "projects_tendered_count", 2),
        ("2018-12-31", "work_orders_issued_count", 2),
        ("2018-12-31", "work_orders_issued_inr_crore", 1500),
        ("2020-06-30", "projects_completed_count", 1),
        ("2020-06-30", "projects_completed_inr_crore", 1200),
        ("2021-06-30", "projects_tendered_count", 3),
        ("2021-06-30", "projects_tendered_inr_crore", 1550),
    ],
)
def test_cumulative_by_stage_date_excluding_dropped(as_of, metric, expected):
    out = derive_city_progress(projects(), [pd.Timestamp(as_of)], ["pune"])
    value = out.loc[out["metric"] == metric, "value"].iloc[0]
    assert value == expected


def test_upload_of_projects_only_gets_derived_city_progress():
    result = load_sources([Source("mis.csv", PROJECTS_CSV.encode())])
    progress = result.dataset.table("progress")
    derived = progress[progress["source_url"] == DERIVED_SOURCE]
    assert set(derived.loc[derived["level"] == "city", "area_id"]) == {"pune", "indore"}
    # No state or national figures are reported either: they are derived (sums of the cities).
    assert set(derived.loc[derived["level"] == "state", "area_id"]) == {
        "maharashtra",
        "madhya-pradesh",
    }
    assert set(derived.loc[derived["level"] == "national", "area_id"]) == {"india"}
    latest = (
        derived[derived["area_id"] == "pune"].sort_values("as_of_date").groupby("metric").tail(1)
    )
    assert latest.set_index("metric").loc["projects_completed_count", "value"] == 1
    assert any("derived from the projects table" in i.message for i in result.report.warnings)


def test_reported_figure_that_disagrees_is_warned_not_overwritten():
    progress = (
        "as_of_date,level,city,metric,value,source_url\n"
        "2021-06-30,city,Pune,projects_completed_count,5,https://example.org/r\n"
    )
    result = load_sources(
        [Source("mis.csv", PROJECTS_CSV.encode()), Source("p.csv", progress.encode())]
    )
    assert result.dataset is not None
    rows = result.dataset.table("progress")
    pune = rows[(rows["area_id"] == "pune") & (rows["metric"] == "projects_completed_count")]
    assert pune["value"].tolist() == [5]  # the reported figure stands
    assert any("projects table gives 1" in i.message for i in result.report.warnings)


def _brute_force(projects: pd.DataFrame, as_of: pd.Timestamp, city: str) -> dict[str, float]:
    """The rule in the module docstring, row by row: a project counts at a stage when its stage
    is that one or later, on the stage's date, else its last update, else the file's latest."""
    latest = projects["updated_on"].max()
    out = {}
    for metric, stages, dates in [
        (
            "projects_tendered",
            {"tendered", "work_order_issued", "completed"},
            ["tendered_date", "work_order_date", "completed_date"],
        ),
        (
            "work_orders_issued",
            {"work_order_issued", "completed"},
            ["work_order_date", "completed_date"],
        ),
        ("projects_completed", {"completed"}, ["completed_date"]),
    ]:
        n, cost = 0, 0.0
        for row in projects[projects["city_id"] == city].itertuples():
            if row.stage not in stages:
                continue
            when = next(
                (getattr(row, c) for c in [*dates, "updated_on"] if pd.notna(getattr(row, c))),
                latest,
            )
            if pd.notna(when) and when <= as_of:
                n += 1
                cost += 0 if pd.isna(row.cost_inr_crore) else row.cost_inr_crore
        out[f"{metric}_count"], out[f"{metric}_inr_crore"] = n, cost
    return out


def test_cumulative_figures_match_the_rule_row_by_row_on_random_projects():
    rng = np.random.default_rng(7)
    n = 400
    day = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="D")

    def maybe(dates, p):
        return pd.Series(dates).where(rng.random(n) > p)

    projects = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "city_id": rng.choice(["pune", "indore", "surat"], n),
            "stage": rng.choice(
                ["proposed", "tendered", "work_order_issued", "completed", "dropped"], n
            ),
            "cost_inr_crore": pd.Series(rng.uniform(1, 500, n).round(2)).where(rng.random(n) > 0.1),
            "tendered_date": maybe(day, 0.3),
            "work_order_date": maybe(day + pd.Timedelta(days=90), 0.4),
            "completed_date": maybe(day + pd.Timedelta(days=700), 0.5),
            "updated_on": maybe(day + pd.Timedelta(days=800), 0.5),
        }
    )
    # The file's latest update belongs to a city not asked for: it still dates undated stages.
    projects.loc[0, ["city_id", "updated_on"]] = ["surat", pd.Timestamp("2026-01-01")]
    dates = [
        pd.Timestamp(d)
        for d in ("2017-06-30", "2019-03-31", "2022-12-31", "2025-06-30", "2026-06-30")
    ]
    out = derive_city_progress(projects, dates, ["pune", "indore"])
    assert len(out) == 2 * len(dates) * 6
    for city in ("pune", "indore"):
        for as_of in dates:
            got = out[(out["city_id"] == city) & (out["as_of_date"] == as_of)]
            expected = _brute_force(projects, as_of, city)
            assert dict(zip(got["metric"], got["value"], strict=True)) == pytest.approx(expected)
