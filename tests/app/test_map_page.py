"""The Map page (/map): renders through the router and on its own, reads ?view= and ?colour=,
follows the sidebar filters, and turns bad links and bad boundary files into messages."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import streamlit as st
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from smartcities import boundaries, maps

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    st.cache_data.clear()
    monkeypatch.delenv(boundaries.BOUNDARY_ENV, raising=False)


def routed(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/map.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def standalone(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def cities_plotted(figure: dict) -> set[str]:
    rows = (row for t in figure["data"] if t.get("customdata") for row in t["customdata"])
    return {row[0] for row in rows if row[0] != maps.STATE_PICK}


def test_renders_through_the_router_with_every_city() -> None:
    at = routed()
    assert not at.exception
    assert at.title[0].value == "Map: All India"
    (figure,) = figures(at)
    assert len(cities_plotted(figure)) == 100
    assert {t["type"] for t in figure["data"]} == {"scatter"}, "offline by default"
    assert "http" not in json.dumps(figure)
    assert at.radio(key="map_view").value == "cities"
    assert any(c.value.startswith("100 cities shown") for c in at.caption)
    assert any(maps.DISCLAIMER in c.value for c in at.caption)
    assert len(at.main.dataframe[0].value) == 100
    assert "view" not in at.query_params, "defaults stay out of the URL"


def test_renders_on_its_own() -> None:
    at = standalone()
    assert not at.exception
    assert len(cities_plotted(figures(at)[0])) == 100


def test_states_view_shows_the_tile_grid() -> None:
    at = routed(view="states", colour="cities")
    assert not at.exception and not at.warning
    (figure,) = figures(at)
    assert [t["type"] for t in figure["data"]].count("heatmap") == 2
    codes = [a["text"] for a in figure["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert len(codes) == 36 and "<b>TN</b><br>11" in codes
    assert at.selectbox(key="map_colour").value == "cities"
    assert len(at.main.dataframe[0].value) == 36


def test_widgets_write_only_non_defaults_to_the_url() -> None:
    at = standalone()
    at.radio(key="map_view").set_value("states").run()
    assert not at.exception
    assert at.query_params["view"] == "states"
    at.radio(key="map_view").set_value("cities").run()
    at.selectbox(key="map_colour").set_value("round").run()
    assert "view" not in at.query_params
    legend = [t["name"] for t in figures(at)[0]["data"]]
    assert "Round 1 (20)" in legend


def test_bad_view_in_the_link_warns_and_shows_the_default() -> None:
    at = routed(view="zzz")
    assert not at.exception
    assert any("zzz" in w.value for w in at.warning)
    assert at.radio(key="map_view").value == "cities"
    assert len(cities_plotted(figures(at)[0])) == 100


def test_state_filter_reduces_the_cities_plotted() -> None:
    at = routed(state="gujarat", colour="round")
    assert not at.exception
    plotted = cities_plotted(figures(at)[0])
    assert 0 < len(plotted) < 100
    assert {"ahmedabad", "surat"} <= plotted
    assert "Gujarat" in at.title[0].value


def test_boundaries_view_without_a_file_explains_what_to_do() -> None:
    at = routed(view="boundaries")
    assert not at.exception
    assert any(boundaries.BOUNDARY_ENV in i.value for i in at.info)
    assert not figures(at)


def test_boundary_file_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes = gpd.GeoDataFrame(
        {"st_nm": ["Orissa", "Tamil Nadu", "Atlantis"]},
        geometry=[box(84, 18, 87, 22), box(77, 8, 80, 13), box(60, 10, 62, 12)],
        crs=4326,
    )
    path = tmp_path / "states.geojson"
    shapes.to_file(path)
    monkeypatch.setenv(boundaries.BOUNDARY_ENV, str(path))
    at = routed(view="boundaries", colour="cities")
    assert not at.exception
    assert any("Atlantis" in w.value for w in at.warning)
    (figure,) = figures(at)
    fills = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert len(fills) == 3 and any(t["name"].startswith("Tamil Nadu: 11") for t in fills)
    at.radio(key="map_view").set_value("cities").run()
    assert not at.exception
    outline = [t for t in figures(at)[0]["data"] if not t.get("customdata")]
    assert len(outline) == 1, "the city map draws the configured boundaries too"


def test_broken_boundary_file_is_an_error_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text("this is not geojson", encoding="utf-8")
    monkeypatch.setenv(boundaries.BOUNDARY_ENV, str(path))
    at = routed(view="boundaries")
    assert not at.exception
    assert any("not a GeoJSON" in e.value for e in at.error)


def test_default_view_is_india_with_its_states_offline() -> None:
    at = routed()
    assert not at.exception
    (figure,) = figures(at)
    fills = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert len(fills) == 36, "India's 36 states/UTs drawn under the cities"
    rings = [t for t in figure["data"] if t.get("legendgroup") == "uts"]
    assert len(rings) == 1 and len(rings[0]["customdata"]) == len(maps.SMALL_UTS)
    assert at.selectbox(key="map_shade").value == "none"
    assert at.radio(key="map_basemap").value == "none"
    assert any("DataMeet" in c.value for c in at.caption), "the note names the source"
    assert "http" not in json.dumps(figure)
    assert "shade" not in at.query_params


def test_shade_from_the_url_and_a_bad_one_warns() -> None:
    at = routed(shade="cities")
    assert not at.exception and not at.warning
    assert at.selectbox(key="map_shade").value == "cities"
    (figure,) = figures(at)
    assert figure["layout"]["legend2"]["title"]["text"] == "States/UTs: Smart Cities"
    bad = routed(shade="nonsense")
    assert not bad.exception and bad.warning
    assert bad.selectbox(key="map_shade").value == "none"


def test_state_filter_zooms_the_map_to_that_state() -> None:
    at = routed(state="punjab")
    assert not at.exception
    (figure,) = figures(at)
    xr = figure["layout"]["xaxis"]["range"]
    assert xr[1] - xr[0] < 8 and len(cities_plotted(figure)) == 3
