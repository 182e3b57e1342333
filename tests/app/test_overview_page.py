"""The Overview, the page officials read first: its cards, tables, chart, the cities needing
attention and the filters, through the router (as a visitor opens it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def overview(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str):  # noqa: ANN201 (an AppTest element)
    found = [m for m in at.metric if m.proto.label == label]
    assert found, f"no card {label!r}: {[m.proto.label for m in at.metric]}"
    return found[0]


def table_with(at: AppTest, *columns: str):  # noqa: ANN201
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, f"no table with {columns}"
    return found[0]


def test_national_cards_with_dates_changes_and_sources() -> None:
    at = overview()
    assert at.title[0].value == "Smart Cities Mission: All India"
    assert len(at.metric) >= 6
    share = metric(at, "Share of ₹48,000 cr released")
    assert share.value.endswith("%") and 0 < float(share.value.rstrip("%")) <= 100
    utilised = metric(at, "Central funds utilised (%)")
    assert 0 < float(utilised.value.rstrip("%")) <= 100  # utilised / released, not the inverse
    for m in at.metric:
        assert "Source:" in m.proto.help or "Needs both" in m.proto.help
    changes = [m.proto.delta for m in at.metric if m.proto.delta]
    assert changes and all(d[0] in "+-" or d.startswith("no change") for d in changes)
    assert any(c.value.startswith("As on ") for c in at.caption)


def test_round_and_state_tables_and_the_lagging_cities() -> None:
    at = overview()
    rounds = table_with(at, "area_name", "cities_selected_count")
    assert rounds["area_name"].tolist()[0] == "Round 1"
    states = table_with(at, "area_name", "central_funds_released_inr_crore")
    assert states["area_name"].is_monotonic_increasing
    lagging = table_with(at, "city_name", "reason", "figure")
    assert len(lagging) > 0 and lagging["reason"].notna().all()
    [chart] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert chart["layout"]["title"]["text"] == "Cities with an exception, by reason"
    assert sum(chart["data"][0]["x"]) == len(lagging)  # one bar count per row of the table


def test_state_filter_narrows_title_cards_and_cities() -> None:
    national = overview()
    at = overview(state="bihar")
    assert at.title[0].value == "Smart Cities Mission: Bihar"
    lagging = table_with(at, "city_name", "state_ut", "reason")
    assert set(lagging["state_ut"]) == {"Bihar"}
    assert len(lagging) < len(table_with(national, "city_name", "reason"))
    assert any("Smart Cities in this selection" in c.value for c in at.caption)


def test_a_selection_without_headline_figures_says_so() -> None:
    at = overview(state="lakshadweep")
    assert not at.metric
    assert any("No headline figures have been reported for Lakshadweep" in i.value for i in at.info)


def test_synthetic_sample_is_watermarked() -> None:
    at = overview(dataset="synthetic")
    assert any("SYNTHETIC" in w.value for w in at.warning)
    assert any("SYNTHETIC" in w.value for w in at.sidebar.warning)
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.spec)["layout"]["title"]["text"].startswith("[SYNTHETIC]")


def test_a_date_in_the_past_shows_older_figures() -> None:
    latest = metric(overview(), "Projects completed").value
    past = overview(as_of="2019-03-31")
    assert any("31 Mar 2019" in c.value for c in past.caption)
    older = [m for m in past.metric if m.proto.label == "Projects completed"]
    assert not older or older[0].value != latest
