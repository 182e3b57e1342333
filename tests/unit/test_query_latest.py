"""The latest table answers ``Engine.latest`` for the latest report exactly as the window query
(``latest_sql``) does: same rows, columns, dtypes, order and tie-breaking."""

from datetime import date

import pandas as pd
import pytest

from smartcities.dataset import PUBLIC, Dataset
from smartcities.load import load_public
from smartcities.query import Engine, Scope, latest_fast_sql, latest_sql
from tests.unit.test_query import p as row
from tests.unit.test_query import typed

pytestmark = pytest.mark.unit

ALL = "projects_completed_count"
ICCC = "iccc_operational_count"


def city(city_id: str, name: str, state: str, rnd: str) -> dict:
    return dict(
        city_id=city_id,
        city_name=name,
        state_ut=state,
        selection_round=rnd,
        selection_date="2016-01-28",
        latitude=20.0,
        longitude=80.0,
        source_url="s",
    )


CITIES = typed(
    "cities",
    [
        city("pune", "Pune", "Maharashtra", "Round 1"),
        city("nagpur", "Nagpur", "Maharashtra", "Round 2"),
        city("patna", "Patna", "Bihar", "Round 3"),
    ],
)

# Ties at the latest date and at the previous date (the first listed source wins both), series
# with one date only, a series whose rows are not in date order, and every level.
PROGRESS = typed(
    "progress",
    [
        row("2021-06-30", "national", "india", "India", None, ALL, 2734),
        row("2025-12-01", "national", "india", "India", None, ALL, 7741, "b"),
        row("2025-12-01", "national", "india", "India", None, ALL, 7700, "a"),
        row("2019-03-01", "national", "india", "India", None, ICCC, 13, "a"),
        row("2019-03-01", "national", "india", "India", None, ICCC, 15, "b"),
        row("2018-01-01", "national", "india", "India", None, ICCC, 9, "c"),
        row("2017-01-01", "national", "india", "India", None, ICCC, 5),
        row("2021-06-30", "round", "round-1", "Round 1", None, ALL, 1119),
        row("2022-06-30", "round", "round-2", "Round 2", None, ALL, 800),
        row("2023-07-01", "state", "bihar", "Bihar", "Bihar", ALL, 100),
        row("2025-12-01", "state", "maharashtra", "Maharashtra", "Maharashtra", ALL, 500),
        row("2022-01-01", "state", "maharashtra", "Maharashtra", "Maharashtra", ALL, 300, "x"),
        row("2022-01-01", "state", "maharashtra", "Maharashtra", "Maharashtra", ALL, 310, "y"),
        row("2021-08-11", "city", "patna", "Patna", "Bihar", ALL, 12),
        row("2025-12-01", "city", "pune", "Pune", "Maharashtra", ALL, 90),
        row("2023-01-01", "city", "pune", "Pune", "Maharashtra", ALL, 70),
        row("2023-01-01", "city", "pune", "Pune", "Maharashtra", ICCC, 1),
        row("2023-01-01", "city", "nagpur", "Nagpur", "Maharashtra", ALL, 40, "p"),
        row("2023-01-01", "city", "nagpur", "Nagpur", "Maharashtra", ALL, 41, "q"),
    ],
)

# (levels, metrics) pairs: each level alone, several, all; no metric filter, one, several.
NARROWING = (
    (None, None),
    (("national",), (ALL, ICCC)),
    (("round",), None),
    (("state",), (ALL,)),
    (("city",), None),
    (("state", "city"), (ICCC,)),
)


def scopes(cities: pd.DataFrame) -> list[Scope]:
    states = sorted(cities["state_ut"].dropna().astype(str).unique())
    rounds = sorted(cities["selection_round"].dropna().astype(str).unique())
    ids = sorted(cities["city_id"].dropna().astype(str).unique())
    out = [Scope(), Scope(state_ut="Nowhere"), Scope(round="Round 9"), Scope(city_id="nowhere")]
    out += [Scope(state_ut=s) for s in states[:4]]
    out += [Scope(round=r) for r in rounds]
    out += [Scope(city_id=c) for c in ids[:3]]
    out += [Scope(state_ut=states[0], round=r) for r in rounds[:3]]
    out += [Scope(state_ut=states[-1], city_id=ids[0]), Scope(round=rounds[-1], city_id=ids[-1])]
    return out


def window(engine: Engine, scope: Scope, **kw: tuple[str, ...] | None) -> pd.DataFrame:
    """The original query, bypassing the latest table."""
    return engine.query(*latest_sql(scope, **kw))


def assert_same(engine: Engine, cities: pd.DataFrame) -> int:
    """Fast path vs window query over every scope × levels × metrics; returns rows compared."""
    compared = 0
    for scope in scopes(cities):
        for levels, metrics in NARROWING:
            fast = engine.latest(scope, levels=levels, metrics=metrics)
            slow = window(engine, scope, levels=levels, metrics=metrics)
            pd.testing.assert_frame_equal(fast, slow, check_exact=True, obj=f"{scope} {levels}")
            compared += len(fast)
    return compared


def compacted(frame: pd.DataFrame) -> pd.DataFrame:
    """Text as categories, as the loader stores large tables (DuckDB sees them as ENUMs)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype("category")
    return out


@pytest.mark.parametrize("compact", [False, True], ids=["strings", "categories"])
def test_fast_path_matches_window_query(compact):
    progress = compacted(PROGRESS) if compact else PROGRESS
    eng = Engine(Dataset({"cities": CITIES, "progress": progress}, PUBLIC, "test"))
    try:
        assert assert_same(eng, CITIES) > 0
        assert eng._latest_uniform is True  # the fast path served the state and round filters
    finally:
        eng.close()


def test_fast_path_matches_window_query_on_public_record():
    ds = load_public()
    eng = Engine(ds)
    try:
        assert assert_same(eng, ds.cities) > 0
    finally:
        eng.close()


def test_ties_and_single_dates():
    eng = Engine(Dataset({"cities": CITIES, "progress": PROGRESS}, PUBLIC, "test"))
    try:
        nat = eng.latest(Scope(), levels=("national",)).set_index("metric")
        # Latest tie: the first listed source wins; previous date's tie likewise.
        assert nat.loc[ALL, "value"] == 7741 and nat.loc[ALL, "source_url"] == "b"
        assert nat.loc[ICCC, "value"] == 13 and nat.loc[ICCC, "prev_value"] == 9
        one = eng.latest(Scope(city_id="patna"))
        assert len(one) == 1 and pd.isna(one.iloc[0]["prev_value"])
        state = eng.latest(Scope(state_ut="Maharashtra"), levels=("state",)).iloc[0]
        assert state["value"] == 500 and state["prev_value"] == 300
        assert state["prev_source_url"] == "x"
    finally:
        eng.close()


def test_dated_scope_keeps_the_window_query():
    eng = Engine(Dataset({"cities": CITIES, "progress": PROGRESS}, PUBLIC, "test"))
    try:
        latest = eng.latest(Scope(as_of=date(2022, 1, 1)), levels=("national",))
        row_ = latest.set_index("metric").loc[ALL]
        assert row_["value"] == 2734 and pd.isna(row_["prev_value"])
        with pytest.raises(ValueError):
            latest_fast_sql(Scope(as_of=date(2022, 1, 1)))
    finally:
        eng.close()


def test_mixed_state_in_a_series_falls_back_to_the_window_query():
    # Pune's rows disagree on its state (possible in an upload without a cities table): a state
    # filter then selects part of the series, which only the window query gets right.
    mixed = PROGRESS.copy()
    mixed.loc[(mixed["area_id"] == "pune") & (mixed["value"] == 70), "state_ut"] = "Bihar"
    eng = Engine(Dataset({"cities": CITIES, "progress": mixed}, PUBLIC, "test"))
    try:
        assert assert_same(eng, CITIES) > 0
        assert eng._latest_uniform is False
        bihar = eng.latest(Scope(state_ut="Bihar"), levels=("city",), metrics=(ALL,))
        pune = bihar.set_index("area_id").loc["pune"]
        assert pune["value"] == 70  # Bihar's row for Pune, not Pune's latest overall
    finally:
        eng.close()


def test_fast_sql_has_no_values_inlined():
    scope = Scope(state_ut="Maharashtra", round="Round 1", city_id="pune")
    sql, params = latest_fast_sql(scope, levels=("city",), metrics=(ALL,))
    assert "Maharashtra" not in sql and "pune" not in sql and ALL not in sql
    assert sql.count("?") == len(params)
