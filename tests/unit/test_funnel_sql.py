"""The funnel breakdown in SQL (what the Mission progress page draws) equals the pandas page
model it replaced, which holds every project's columns: at a million projects that frame
took the server to 2 GB."""

import numpy as np
import pandas as pd
import pytest

from smartcities import projects_view
from smartcities.dataset import Dataset
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def engine() -> Engine:
    rng = np.random.default_rng(3)
    n = 600
    cities = pd.DataFrame(
        {
            "city_id": ["pune", "indore", "surat", "agra"],
            "city_name": ["Pune", "Indore", "Surat", "Agra"],
            "state_ut": ["Maharashtra", "Madhya Pradesh", "Gujarat", "Uttar Pradesh"],
            "selection_round": ["Round 1", "Round 1", "Round 1", "Round 3"],
        }
    )
    day = pd.Timestamp("2016-06-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")

    def maybe(values, p):
        return pd.Series(values).where(rng.random(n) > p)

    projects = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "city_id": rng.choice(cities["city_id"], n),
            "project_name": "x",
            "state_ut": None,
            "stage": rng.choice(
                ["dpr", "tendered", "work_order_issued", "completed", "dropped"], n
            ),
            "sector": maybe(rng.choice(["Roads", "Water", "Energy"], n), 0.15),
            "component": maybe(rng.choice(["area_based", "pan_city", "other"], n), 0.2),
            "cost_inr_crore": maybe(rng.uniform(1, 300, n).round(2), 0.1),
            "tendered_date": maybe(day, 0.3),
            "work_order_date": maybe(day + pd.Timedelta(days=120), 0.4),
            "completed_date": maybe(day + pd.Timedelta(days=600), 0.5),
            "updated_on": maybe(day + pd.Timedelta(days=700), 0.5),
        }
    )
    e = Engine(Dataset({"cities": cities, "projects": projects}, "synthetic", "random projects"))
    yield e
    e.close()


@pytest.mark.parametrize("by", ["sector", "component"])
@pytest.mark.parametrize("unit", ["count", "inr_crore"])
@pytest.mark.parametrize("as_of", [None, "2018-06-30", "2021-12-31"])
@pytest.mark.parametrize("scope", [Scope(), Scope(round="Round 1"), Scope(city_id="agra")])
def test_sql_breakdown_equals_the_pandas_model(engine, by, unit, as_of, scope):
    as_of = pd.Timestamp(as_of) if as_of else None
    expected = projects_view.funnel_breakdown(engine.projects(scope), by, unit, as_of)
    got = projects_view.funnel_from_sums(engine.funnel_breakdown(scope, by, unit, as_of), by)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert not got.empty


def test_has_projects(engine):
    assert engine.has_projects(Scope())
    assert not engine.has_projects(Scope(state_ut="Kerala"))
