"""The SYNTHETIC generator: contract-valid tables, calibrated to the real national record."""

import time

import numpy as np
import pandas as pd
import pytest

from smartcities.config import BUNDLED_DATA
from smartcities.dataset import SYNTHETIC
from smartcities.names import slugify
from smartcities.schema import TABLES, pandas_dtype, pandera_schema
from smartcities.synthetic import generate, synthetic_dataset

pytestmark = pytest.mark.unit

URL = "synthetic:smartcities.synthetic seed=0"
SUMMED = {  # city metric -> metric of its national/state sums
    "projects_tendered_count": "projects_tendered_count",
    "projects_tendered_inr_crore": "projects_tendered_inr_crore",
    "work_orders_issued_count": "work_orders_issued_count",
    "work_orders_issued_inr_crore": "work_orders_issued_inr_crore",
    "projects_completed_count": "projects_completed_count",
    "projects_completed_inr_crore": "projects_completed_inr_crore",
    "central_funds_released_inr_crore": "central_funds_released_inr_crore",
    "funds_utilised_inr_crore": "funds_utilised_inr_crore",
    "projects_taken_up_count": "projects_taken_up_count",
    "projects_taken_up_inr_crore": "projects_taken_up_inr_crore",
    "iccc_operational_flag": "iccc_operational_count",
}
CHAINS = [
    ("projects_completed_count", "work_orders_issued_count"),
    ("work_orders_issued_count", "projects_tendered_count"),
    ("projects_completed_inr_crore", "work_orders_issued_inr_crore"),
    ("work_orders_issued_inr_crore", "projects_tendered_inr_crore"),
    ("funds_utilised_inr_crore", "central_funds_released_inr_crore"),
]


@pytest.fixture(scope="module")
def t100():
    return generate(100, seed=0)


@pytest.fixture(scope="module")
def monthly():
    return generate(12, seed=3, monthly=True)


@pytest.fixture(scope="module")
def real_national():
    """The real national figures, read straight from the bundled CSV (largest of duplicates)."""
    p = pd.read_csv(BUNDLED_DATA / "progress.csv", parse_dates=["as_of_date"])
    p = p[p["level"] == "national"]
    return p.groupby(["metric", "as_of_date"])["value"].max()


def city_sums(progress):
    city = progress[progress["level"] == "city"]
    return (
        city.assign(metric=city["metric"].map(SUMMED))
        .groupby(["metric", "as_of_date"])["value"]
        .sum()
    )


def expected(real_national, n):
    exp = real_national[real_national.index.get_level_values("metric").isin(SUMMED.values())]
    exp = exp * (n / 100)
    counts = exp.index.get_level_values("metric").str.endswith("_count")
    exp[counts] = np.round(exp[counts])
    return exp


def wide(progress, level="city"):
    rows = progress[progress["level"] == level]
    return rows.pivot_table(index=["area_id", "as_of_date"], columns="metric", values="value")


# ------------------------------------------------------------------------------ the contract


@pytest.mark.parametrize("name", ["cities", "progress", "iccc", "projects", "events"])
def test_tables_follow_the_contract(t100, name):
    frame = t100[name]
    table = TABLES[name]
    assert list(frame.columns) == table.columns
    for field in table.fields:
        assert str(frame[field.name].dtype) == pandas_dtype(field), field.name
    pandera_schema(table).validate(frame)
    key = list(table.key)
    assert not frame.duplicated(key).any()


def test_extra_towns_validate_and_lie_in_india():
    tables = generate(160, seed=1)
    cities = tables["cities"]
    pandera_schema(TABLES["cities"]).validate(cities)
    pandera_schema(TABLES["progress"]).validate(tables["progress"])
    real = pd.read_csv(BUNDLED_DATA / "cities.csv")
    states = set(pd.read_csv(BUNDLED_DATA / "states.csv")["state_ut"])
    assert cities["city_id"].head(100).tolist() == real["city_id"].tolist()
    extra = cities.iloc[100:]
    assert extra["city_name"].iloc[0] == "Synthetic Town 0101"
    assert extra["city_id"].iloc[-1] == "synthetic-town-0160"
    assert set(extra["state_ut"]) <= states
    assert extra["selection_round"].isna().all()
    assert extra["latitude"].between(6.0, 37.5).all()
    assert extra["longitude"].between(68.0, 97.5).all()
    # Jittered around a real city of the same state: within about 3 degrees of one.
    for row in extra.itertuples():
        same = real[real["state_ut"] == row.state_ut]
        if not same.empty:
            d = np.hypot(same["latitude"] - row.latitude, same["longitude"] - row.longitude)
            assert d.min() < 3.0, row.city_name


# ---------------------------------------------------------------------------- calibration


def test_city_sums_equal_the_real_national_figures(t100, real_national):
    city = t100["progress"][t100["progress"]["level"] == "city"]
    on_date = city[
        (city["metric"] == "projects_completed_count")
        & (city["as_of_date"] == pd.Timestamp("2025-12-01"))
    ]
    assert len(on_date) == 100
    assert on_date["value"].sum() == 7741
    exp = expected(real_national, 100)
    got = city_sums(t100["progress"]).reindex(exp.index)
    assert got.notna().all(), got[got.isna()]
    np.testing.assert_allclose(got.to_numpy(), exp.to_numpy(), rtol=1e-9)


def test_calibration_scales_with_the_number_of_cities(real_national):
    tables = generate(300, seed=5)
    sums = city_sums(tables["progress"])
    assert sums[("projects_completed_count", pd.Timestamp("2025-12-01"))] == 7741 * 3
    assert sums[("iccc_operational_count", pd.Timestamp("2024-11-15"))] == 300
    exp = expected(real_national, 300)
    np.testing.assert_allclose(sums.reindex(exp.index).to_numpy(), exp.to_numpy(), rtol=1e-9)


def test_national_and_state_rows_are_the_city_sums(t100):
    progress = t100["progress"]
    sums = city_sums(progress)
    national = progress[progress["level"] == "national"].set_index(["metric", "as_of_date"])
    assert (national["area_id"] == "india").all()
    np.testing.assert_allclose(national["value"].reindex(sums.index).to_numpy(), sums.to_numpy())

    city = progress[progress["level"] == "city"].assign(
        metric=lambda f: f["metric"].map(SUMMED),
        area_id=lambda f: f["state_ut"].map(slugify),
    )
    by_state = city.groupby(["area_id", "metric", "as_of_date"])["value"].sum()
    state = progress[progress["level"] == "state"].set_index(["area_id", "metric", "as_of_date"])
    assert len(state) == len(by_state)
    np.testing.assert_allclose(
        state["value"].reindex(by_state.index).to_numpy(), by_state.to_numpy()
    )


def test_iccc_dates_follow_the_real_rollout(t100, real_national):
    iccc = t100["iccc"]
    operational = iccc[iccc["stage"] == "operational"]
    assert operational["city_id"].is_unique and len(operational) == 100
    assert operational["stage_date"].min() >= pd.Timestamp("2018-01-01")
    assert operational["stage_date"].max() <= pd.Timestamp("2024-12-31")
    for day, count in real_national["iccc_operational_count"].items():
        assert (operational["stage_date"] <= day).sum() == count, day
    stages = iccc.pivot(index="city_id", columns="stage", values="stage_date")
    assert (stages["tendered"] <= stages["work_order_issued"]).all()
    assert (stages["work_order_issued"] <= stages["operational"]).all()


# ----------------------------------------------------------------------- shape of the paths


def test_stages_are_ordered_in_every_city_and_date(t100, monthly):
    for tables in (t100, monthly):
        w = wide(tables["progress"])
        for lower, upper in CHAINS:
            both = w[[lower, upper]].dropna()
            assert len(both) > 0
            over = both[lower] > both[upper] * (1 + 1e-9) + 1e-9
            assert not over.any(), (lower, upper, both[over].head())


def test_city_paths_only_fall_where_the_national_path_falls(monthly):
    progress = monthly["progress"]
    national = progress[progress["level"] == "national"].pivot(
        index="as_of_date", columns="metric", values="value"
    )
    city = progress[progress["level"] == "city"]
    checked = 0
    for metric, summed in SUMMED.items():
        paths = city[city["metric"] == metric].pivot(
            index="as_of_date", columns="area_id", values="value"
        )
        rising = (national[summed].reindex(paths.index).diff() >= 0).to_numpy()
        falls = (paths.diff() < -1e-9).to_numpy()[rising]
        assert not falls.any(), metric
        checked += int(rising.sum())
    assert checked > 1000


def test_monthly_rows_cover_every_month_end_and_stay_calibrated(monthly, real_national):
    city = monthly["progress"][monthly["progress"]["level"] == "city"]
    month_ends = pd.date_range("2016-01-31", "2025-12-31", freq="ME")
    for metric in ("projects_completed_count", "funds_utilised_inr_crore", "iccc_operational_flag"):
        rows = city[city["metric"] == metric]
        per_city = rows[rows["as_of_date"].isin(month_ends)].groupby("area_id").size()
        assert len(per_city) == 12 and (per_city == 120).all(), metric
    exp = expected(real_national, 12)
    got = city_sums(monthly["progress"]).reindex(exp.index)
    np.testing.assert_allclose(got.to_numpy(), exp.to_numpy(), rtol=1e-9)


# -------------------------------------------------------------------------------- projects


def test_projects_are_consistent(t100):
    projects = t100["projects"]
    assert 7000 <= len(projects) <= 9000
    assert projects["project_id"].is_unique
    assert set(projects["city_id"]) <= set(t100["cities"]["city_id"])
    assert (projects["cost_inr_crore"] > 0).all()
    assert projects["project_name"].str.startswith("Synthetic project ").all()
    t, w, c = projects["tendered_date"], projects["work_order_date"], projects["completed_date"]
    assert (w.isna() | (t <= w)).all()
    assert (c.isna() | (w <= c)).all()
    assert (w.isna() | t.notna()).all() and (c.isna() | w.notna()).all()
    stage = projects["stage"]
    assert (c.notna() == (stage == "completed")).all()
    assert ((stage == "work_order_issued") == (w.notna() & c.isna())).all()
    assert ((stage == "tendered") == (t.notna() & w.isna())).all()
    assert ((stage == "dropped") == t.isna()).all()
    assert "ICCC" in set(projects["sector"])
    assert set(projects["component"]) == {"area_based", "pan_city"}


def test_projects_add_up_to_the_city_completed_counts(t100):
    projects = t100["projects"]
    progress = t100["progress"]
    completed = progress[
        (progress["level"] == "city") & (progress["metric"] == "projects_completed_count")
    ]
    for day in completed["as_of_date"].unique()[::4]:
        from_projects = projects[projects["completed_date"] <= day].groupby("city_id").size()
        reported = completed[completed["as_of_date"] == day].set_index("area_id")["value"]
        pd.testing.assert_series_equal(
            from_projects.reindex(reported.index, fill_value=0).astype(float),
            reported,
            check_names=False,
        )


@pytest.mark.parametrize(
    ("metric", "column"),
    [
        ("projects_tendered_count", "tendered_date"),
        ("work_orders_issued_count", "work_order_date"),
        ("projects_completed_count", "completed_date"),
    ],
)
def test_project_dates_follow_the_real_national_counts(t100, real_national, metric, column):
    # Projects never un-happen, so compare where the real series is at its highest so far.
    series = real_national[metric]
    at_peak = series[series >= series.cummax()]
    assert len(at_peak) >= 8
    dates = t100["projects"][column]
    for day, count in at_peak.items():
        assert (dates <= day).sum() == count, day


def test_projects_per_city_sets_the_number_of_rows():
    projects = generate(20, seed=2, projects_per_city=30)["projects"]
    assert len(projects) == 600
    pandera_schema(TABLES["projects"]).validate(projects)
    assert projects["completed_date"].notna().mean() > 0.8


# ------------------------------------------------------------------- labels and determinism


def test_everything_is_labelled_synthetic(t100):
    for name in ("cities", "progress", "iccc", "projects"):
        assert (t100[name]["source_url"] == URL).all(), name
    for name in ("cities", "progress", "iccc"):
        assert (t100[name]["note"] == "SYNTHETIC").all(), name
    assert t100["events"].empty
    ds = synthetic_dataset(30, seed=0)
    assert ds.kind == SYNTHETIC and ds.is_synthetic
    assert ds.label.startswith("SYNTHETIC") and "not real" in ds.label
    assert "30 cities" in ds.label
    assert len(ds.cities) == 30


def test_same_seed_same_data_other_seed_other_data(t100):
    again = generate(100, seed=0)
    for name, frame in t100.items():
        pd.testing.assert_frame_equal(frame, again[name])
    other = generate(100, seed=1)
    assert (other["cities"]["city_id"] == t100["cities"]["city_id"]).all()
    assert not other["progress"]["value"].equals(t100["progress"]["value"])
    assert not other["projects"]["city_id"].equals(t100["projects"]["city_id"])
    assert (other["progress"]["source_url"] == "synthetic:smartcities.synthetic seed=1").all()


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        generate(0)
    with pytest.raises(ValueError):
        generate(10, projects_per_city=-1)


def test_500_cities():
    tables = generate(500, seed=0)
    assert len(tables["cities"]) == 500
    assert len(tables["projects"]) > 35_000


@pytest.mark.slow
def test_500_cities_are_fast():
    started = time.perf_counter()
    generate(500, seed=0)
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, f"took {elapsed:.1f} s"
