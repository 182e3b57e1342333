"""Query layer: filter scopes become parameterised SQL that selects the right rows."""

from datetime import date

import pandas as pd
import pytest

from smartcities.dataset import PUBLIC, Dataset
from smartcities.query import Engine, Scope, cities_sql, latest_sql, progress_sql
from smartcities.schema import TABLES, pandas_dtype

pytestmark = pytest.mark.unit


def typed(name: str, rows: list[dict]) -> pd.DataFrame:
    table = TABLES[name]
    frame = pd.DataFrame(rows, columns=table.columns)
    for f in table.fields:
        frame[f.name] = frame[f.name].astype(pandas_dtype(f))
    return frame


CITIES = typed(
    "cities",
    [
        dict(
            city_id="pune",
            city_name="Pune",
            state_ut="Maharashtra",
            selection_round="Round 1",
            selection_date="2016-01-28",
            latitude=18.5,
            longitude=73.8,
            source_url="s",
        ),
        dict(
            city_id="nagpur",
            city_name="Nagpur",
            state_ut="Maharashtra",
            selection_round="Round 2",
            selection_date="2016-09-20",
            latitude=21.1,
            longitude=79.0,
            source_url="s",
        ),
        dict(
            city_id="patna",
            city_name="Patna",
            state_ut="Bihar",
            selection_round="Round 3",
            selection_date="2017-06-23",
            latitude=25.6,
            longitude=85.1,
            source_url="s",
        ),
    ],
)


def p(d, level, area_id, area_name, state, metric, value, src="s"):
    return dict(
        as_of_date=d,
        level=level,
        area_id=area_id,
        area_name=area_name,
        state_ut=state,
        metric=metric,
        value=value,
        unit="count",
        source_url=src,
    )


PROGRESS = typed(
    "progress",
    [
        p("2021-06-30", "national", "india", "India", None, "projects_completed_count", 2734),
        p("2025-12-01", "national", "india", "India", None, "projects_completed_count", 7741),
        p("2019-03-01", "national", "india", "India", None, "iccc_operational_count", 13, "a"),
        p("2019-03-01", "national", "india", "India", None, "iccc_operational_count", 15, "b"),
        p("2021-06-30", "round", "round-1", "Round 1", None, "projects_completed_count", 1119),
        p("2023-07-01", "state", "bihar", "Bihar", "Bihar", "projects_completed_count", 100),
        p(
            "2025-12-01",
            "state",
            "maharashtra",
            "Maharashtra",
            "Maharashtra",
            "projects_completed_count",
            500,
        ),
        p("2021-08-11", "city", "patna", "Patna", "Bihar", "projects_completed_count", 12),
        p("2025-12-01", "city", "pune", "Pune", "Maharashtra", "projects_completed_count", 90),
    ],
)


@pytest.fixture(scope="module")
def engine():
    ds = Dataset({"cities": CITIES, "progress": PROGRESS}, PUBLIC, "test")
    eng = Engine(ds)
    yield eng
    eng.close()


@pytest.mark.parametrize(
    ("scope", "expected_ids"),
    [
        (Scope(), {"pune", "nagpur", "patna"}),
        (Scope(state_ut="Maharashtra"), {"pune", "nagpur"}),
        (Scope(round="Round 1"), {"pune"}),
        (Scope(state_ut="Maharashtra", round="Round 2"), {"nagpur"}),
        (Scope(city_id="patna"), {"patna"}),
        (Scope(state_ut="Bihar", round="Round 1"), set()),
        (Scope(state_ut="x'; DROP TABLE cities; --"), set()),
    ],
)
def test_cities_scope(engine, scope, expected_ids):
    assert set(engine.cities(scope)["city_id"]) == expected_ids


@pytest.mark.parametrize(
    ("scope", "expected_areas"),
    [
        (Scope(), {"india", "round-1", "bihar", "maharashtra", "patna", "pune"}),
        (Scope(state_ut="Bihar"), {"india", "round-1", "bihar", "patna"}),
        (Scope(round="Round 1"), {"india", "round-1", "bihar", "maharashtra", "pune"}),
        (Scope(city_id="pune"), {"pune"}),
        (Scope(as_of=date(2021, 12, 31)), {"india", "round-1", "patna"}),
        (Scope(state_ut="Maharashtra", as_of=date(2021, 1, 1)), {"india"}),
    ],
)
def test_progress_scope(engine, scope, expected_areas):
    assert set(engine.progress(scope)["area_id"]) == expected_areas


def test_sql_has_no_values_inlined():
    scope = Scope(state_ut="Maharashtra", round="Round 1", city_id="pune", as_of=date(2024, 1, 1))
    for sql, params in (cities_sql(scope), progress_sql(scope), latest_sql(scope)):
        assert "Maharashtra" not in sql and "pune" not in sql and "2024" not in sql
        assert sql.count("?") == len(params)


def test_latest_and_previous(engine):
    latest = engine.latest(Scope(), levels=("national",))
    row = latest[latest["metric"] == "projects_completed_count"].iloc[0]
    assert row["value"] == 7741
    assert row["prev_value"] == 2734
    assert pd.Timestamp(row["prev_as_of_date"]) == pd.Timestamp("2021-06-30")


def test_latest_respects_as_of(engine):
    latest = engine.latest(Scope(as_of=date(2022, 1, 1)), levels=("national",))
    row = latest[latest["metric"] == "projects_completed_count"].iloc[0]
    assert row["value"] == 2734 and pd.isna(row["prev_value"])


def test_two_sources_same_date_first_wins(engine):
    latest = engine.latest(Scope(), levels=("national",), metrics=("iccc_operational_count",))
    assert len(latest) == 1 and latest.iloc[0]["value"] == 13
    series = engine.series(Scope(), ("iccc_operational_count",), level="national")
    assert series["value"].tolist() == [13]


def test_report_dates(engine):
    dates = engine.report_dates()
    assert dates[0] == pd.Timestamp("2019-03-01") and dates[-1] == pd.Timestamp("2025-12-01")


def test_results_are_cached_and_callers_cannot_corrupt_the_cache(engine):
    first = engine.cities(Scope(state_ut="Maharashtra"))
    first["city_id"] = "tampered"
    again = engine.cities(Scope(state_ut="Maharashtra"))
    assert set(again["city_id"]) == {"pune", "nagpur"}
    assert len(engine._cache) >= 1


def test_memo_computes_once_per_engine(engine):
    calls = []

    def compute():
        calls.append(1)
        return 42

    assert engine.memo("answer", compute) == 42
    assert engine.memo("answer", compute) == 42
    assert calls == [1]


def test_city_order_is_total_when_names_repeat():
    # Two towns of one name in one state (common at national scale): the order must not
    # depend on the file's row order, or a download and the table on screen could differ.
    twin = CITIES.iloc[[0]].assign(city_id="pune-2")
    orders = []
    for frame in (pd.concat([CITIES, twin]), pd.concat([twin, CITIES])):
        eng = Engine(Dataset({"cities": frame.reset_index(drop=True)}, PUBLIC, "t"))
        try:
            orders.append(list(eng.cities(Scope())["city_id"]))
        finally:
            eng.close()
    assert orders[0] == orders[1] == ["patna", "nagpur", "pune", "pune-2"]
