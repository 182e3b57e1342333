"""The ICCC page's model: what its cards and every tab draw on, from the bundled record."""

from __future__ import annotations

import pytest

from smartcities import iccc
from smartcities.load import load_public
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def engine() -> Engine:
    engine = Engine(load_public())
    yield engine
    engine.close()


def test_all_india_model(engine: Engine) -> None:
    model = iccc.build(engine, Scope())
    assert not model.filtered
    assert len(model.cities) == 100 and len(model.status) == 100
    assert set(model.national_rows["metric"]) <= set(iccc.ICCC_STAGE_METRICS)
    assert set(model.operational["metric"]) == {"iccc_operational_count"}
    assert model.operational["value"].max() == 100
    # The national figures of the first source and the others' for the same dates, nothing lost.
    assert len(model.primary) + len(model.others) == len(model.national_rows)
    assert (model.bounded["date_basis"] == "on_or_before").all()
    assert len(model.bounded) == 91  # the cities known only from "all 100 operational"


def test_a_filter_narrows_the_cities_not_the_national_series(engine: Engine) -> None:
    everything = iccc.build(engine, Scope())
    bihar = iccc.build(engine, Scope(state_ut="Bihar"))
    assert bihar.filtered
    assert len(bihar.cities) == 4 and set(bihar.status["state_ut"]) == {"Bihar"}
    assert bihar.national_rows.equals(everything.national_rows)
    assert bihar.national_latest.equals(everything.national_latest)
