"""The bundled map of India (data/boundaries/) and the figures drawn from it: 36 states/UTs
named as in data/states.csv, neighbours that meet, India's boundary as officially depicted,
every city inside its own state, offline figures, small UTs clickable, a locator map."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from smartcities import boundaries, map_view, maps
from smartcities.dataset import states
from smartcities.load import load_public
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit

AS_OF = pd.Timestamp("2025-12-01")
COMMON = {"title": "Test map", "source": "test", "as_of": AS_OF}
KM = 1 / 111.32  # a kilometre in degrees of latitude


@pytest.fixture(scope="module")
def public() -> map_view.MapData:
    dataset = load_public()
    return map_view.gather(Engine(dataset), Scope(), dataset.latest_as_of(), states())


@pytest.fixture(scope="module")
def shapes() -> pd.Series:
    return boundaries.bundled_states().set_index("state_ut").geometry


# ---------------------------------------------------------------- the bundled file


def test_exactly_one_shape_per_state_and_ut() -> None:
    frame = boundaries.bundled_states()
    assert len(frame) == 36
    assert frame["state_ut"].is_unique
    assert sorted(frame["state_ut"]) == sorted(states()["state_ut"])
    codes = dict(zip(states()["state_ut"], states()["iso_code"], strict=True))
    assert all(codes[n] == c for n, c in zip(frame["state_ut"], frame["iso_code"], strict=True))
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


def test_bundled_files_are_small() -> None:
    total = sum(p.stat().st_size for p in boundaries.BUNDLED_DIR.glob("*.geojson"))
    assert total < 1_000_000, f"{total:,} bytes"


def test_neighbours_still_meet_after_simplification(shapes: pd.Series) -> None:
    assert shapely.coverage_is_valid(shapes.to_numpy()), "no overlaps, shared edges identical"
    for a, b in [
        ("Punjab", "Haryana"),
        ("Chandigarh", "Punjab"),
        ("Chandigarh", "Haryana"),
        ("Delhi", "Haryana"),
        ("Delhi", "Uttar Pradesh"),
        ("Ladakh", "Jammu and Kashmir"),
        ("Ladakh", "Himachal Pradesh"),
        ("Telangana", "Andhra Pradesh"),
        ("Goa", "Maharashtra"),
        ("Puducherry", "Tamil Nadu"),
        ("Dadra and Nagar Haveli and Daman and Diu", "Gujarat"),
        ("Sikkim", "West Bengal"),
    ]:
        shared = shapely.intersection(shapes[a].boundary, shapes[b].boundary)
        assert shapely.length(shared) > 0.01, f"{a} and {b} do not share a border"
    # The outline is the union of the states: no gaps between them.
    union = shapely.union_all(shapes.to_numpy())
    outline = boundaries.bundled_outline()
    assert shapely.area(shapely.symmetric_difference(union, outline)) < 0.01


@pytest.mark.parametrize(
    ("place", "lon", "lat", "state"),
    [
        ("Gilgit", 74.31, 35.92, "Ladakh"),
        ("Aksai Chin", 79.5, 35.2, "Ladakh"),
        ("Siachen", 77.1, 35.4, "Ladakh"),
        ("Leh", 77.58, 34.16, "Ladakh"),
        ("Srinagar", 74.80, 34.08, "Jammu and Kashmir"),
        ("Jammu", 74.86, 32.73, "Jammu and Kashmir"),
        ("Tawang", 91.86, 27.59, "Arunachal Pradesh"),
        ("Silvassa", 73.01, 20.27, "Dadra and Nagar Haveli and Daman and Diu"),
        ("Daman", 72.84, 20.41, "Dadra and Nagar Haveli and Daman and Diu"),
        ("Bhubaneswar", 85.82, 20.30, "Odisha"),
    ],
)
def test_india_as_officially_depicted(
    shapes: pd.Series, place: str, lon: float, lat: float, state: str
) -> None:
    point = shapely.Point(lon, lat)
    assert shapely.intersects(boundaries.bundled_outline(), point), f"{place} outside India"
    assert shapely.distance(shapes[state], point) < 2 * KM, f"{place} not in {state}"


def test_outline_reaches_the_northernmost_claim() -> None:
    minx, miny, maxx, maxy = shapely.bounds(boundaries.bundled_outline())
    assert maxy > 37.0 and maxx > 97.3 and miny < 7.0 and minx < 68.5


def test_every_city_inside_india_and_its_own_state(shapes: pd.Series) -> None:
    cities = load_public().cities
    points = shapely.points(cities["longitude"], cities["latitude"])
    outside = shapely.distance(points, boundaries.bundled_outline())
    assert (outside < 1 * KM).all(), cities.loc[outside >= 1 * KM, "city_name"].tolist()
    own = [shapely.distance(p, shapes[s]) for p, s in zip(points, cities["state_ut"], strict=True)]
    far = [n for n, d in zip(cities["city_name"], own, strict=True) if d > 1 * KM]
    assert far == [], f"cities outside their own state/UT: {far}"


def test_provenance_records_sources_hashes_and_licences() -> None:
    prov = boundaries.bundled_provenance()
    assert prov["checks"]["states"] == 36
    assert prov["build"]["script"] == "scripts/build_boundaries.py"
    licences = {s["file"]: s["licence"] for s in prov["sources"]}
    assert licences == {
        "india_pc_2019_simplified.geojson": "CC0 1.0",
        "india-land-simplified.geojson": "CC BY 4.0",
    }
    assert all(len(s["sha256"]) == 64 and len(s["commit"]) == 40 for s in prov["sources"])
    import hashlib

    for name, digest in prov["outputs"].items():
        data = (boundaries.BUNDLED_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} changed since the build"
    assert "DataMeet" in prov["attribution"] and "CC BY 4.0" in prov["attribution"]
    # India's land boundary (DataMeet) runs along the outline drawn.
    assert prov["checks"]["land_border_to_outline_median_km"] < 2


def test_shapes_are_loaded_once() -> None:
    assert boundaries.bundled_shapes() is boundaries.bundled_shapes()
    india = boundaries.bundled_shapes()
    assert len(india.names) == 36 and len(india.order) == 36
    assert not india.x[0].flags.writeable, "cached arrays are read-only"


# ---------------------------------------------------------------- the map page's figure


def india_map(public: map_view.MapData, **kwargs):
    return maps.city_map(
        public.cities,
        public.city_values,
        colour_by=kwargs.pop("colour_by", "iccc"),
        size_by=None,
        india=boundaries.bundled_shapes(),
        shade=public.state_values,
        **kwargs,
        **COMMON,
    )


def test_default_map_draws_every_state_under_every_city(public: map_view.MapData) -> None:
    fig = india_map(public)
    data = fig.to_dict()["data"]
    fills = [t for t in data if t.get("fill") == "toself"]
    assert len(fills) == 36
    assert sorted(t["name"] for t in fills) == sorted(states()["state_ut"])
    assert {t["fillcolor"] for t in fills} == {maps.NEUTRAL_FILL}, "neutral without shading"
    assert all(t["hoverlabel"]["namelength"] == -1 for t in fills), "hover shows the whole name"
    cities = [
        i for i, t in enumerate(fig.data) if t.customdata is not None and t.legendgroup != "uts"
    ]
    assert sum(len(fig.data[i].x) for i in cities) == 100
    last_fill = max(i for i, t in enumerate(data) if t.get("fill") == "toself")
    assert min(cities) > last_fill, "cities drawn on top of the states"
    text = fig.to_json()
    assert "http" not in text
    assert {t["type"] for t in json.loads(text)["data"]} == {"scatter"}
    assert "DataMeet" in " ".join(a["text"] for a in fig.to_dict()["layout"]["annotations"])


def test_small_uts_have_clickable_rings(public: map_view.MapData) -> None:
    fig = india_map(public)
    (rings,) = [t for t in fig.data if t.legendgroup == "uts"]
    names = [row[1] for row in rings.customdata]
    assert sorted(names) == sorted(maps.SMALL_UTS)
    india = boundaries.bundled_shapes()
    xr, yr = list(fig.layout.xaxis.range), list(fig.layout.yaxis.range)
    for x, y, row in zip(rings.x, rings.y, rings.customdata, strict=True):
        assert xr[0] < x < xr[1] and yr[0] < y < yr[1], f"{row[1]} off the default view"
        shape = boundaries.bundled_states().set_index("state_ut").geometry[row[1]]
        assert shapely.intersects(shape, shapely.Point(x, y))
    point = {"customdata": list(rings.customdata[0])}
    assert maps.picked([point]) == ("state", rings.customdata[0][3])
    assert maps.picked([{"customdata": ["pune", "Pune"]}]) == ("city", "pune")
    assert maps.picked([{}]) is None
    assert india.index("Delhi") is not None


def test_states_shaded_by_a_measure_with_their_values(public: map_view.MapData) -> None:
    fig = india_map(public, shade_by="cities")
    fills = {t.name.split(":")[0]: t for t in fig.data if t.fill == "toself"}
    n_up = int((public.cities["state_ut"] == "Uttar Pradesh").sum())
    assert fills["Uttar Pradesh"].name.startswith(f"Uttar Pradesh: {n_up} (as on")
    assert fills["Uttar Pradesh"].fillcolor != fills["Goa"].fillcolor
    keys = [t for t in fig.data if t.legend == "legend2"]
    assert len(keys) >= 2 and "Smart Cities" in fig.layout.legend2.title.text


def test_focus_state_zooms_to_it(public: map_view.MapData) -> None:
    punjab = public.cities[public.cities["state_ut"] == "Punjab"]
    fig = maps.city_map(
        punjab,
        public.city_values,
        colour_by="iccc",
        size_by=None,
        india=boundaries.bundled_shapes(),
        focus_state="Punjab",
        **COMMON,
    )
    minx, miny, maxx, maxy = (
        boundaries.bundled_states().set_index("state_ut").geometry["Punjab"].bounds
    )
    xr, yr = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert xr[0] < minx and xr[1] > maxx and yr[0] < miny and yr[1] > maxy
    assert xr[1] - xr[0] < 8, "zoomed in, not all India"


def test_street_tiles_draw_state_lines_on_the_tiles(public: map_view.MapData) -> None:
    fig = india_map(public, basemap="tiles")
    assert {t.type for t in fig.data} == {"scattermap"}
    assert fig.data[0].name == "States/UTs"


def test_user_boundary_file_replaces_the_bundled_states(public: map_view.MapData) -> None:
    user = boundaries.bundled_states().head(2)[["state_ut", "geometry"]]
    fig = maps.city_map(
        public.cities,
        public.city_values,
        colour_by="iccc",
        size_by=None,
        india=boundaries.bundled_shapes(),
        outline=user,
        **COMMON,
    )
    assert [t.name for t in fig.data if t.fill == "toself"] == ["Boundaries"]


# ---------------------------------------------------------------- locator


def test_locator_shades_the_state_and_marks_the_city() -> None:
    cities = load_public().cities.set_index("city_id")
    city = cities.loc["port-blair"].to_dict() | {"city_id": "port-blair"}
    fig = maps.locator_figure(city, boundaries.bundled_shapes())
    names = [t.name for t in fig.data]
    assert "Andaman and Nicobar Islands" in names and "Port Blair" in names
    marker = next(t for t in fig.data if t.name == "Port Blair")
    assert (marker.x[0], marker.y[0]) == (city["longitude"], city["latitude"])
    assert fig.layout.height <= 320 and fig.layout.showlegend is False
    text = fig.to_json()
    assert "http" not in text and "DataMeet" in text
    assert maps.locator_text(city) == (
        "Map of India with Andaman and Nicobar Islands shaded and Port Blair marked."
    )


def test_locator_without_coordinates_or_known_state_still_draws_india() -> None:
    fig = maps.locator_figure(
        {"city_name": "Nowhere", "state_ut": "Atlantis", "longitude": np.nan},
        boundaries.bundled_shapes(),
    )
    assert len(fig.data) == 2  # the states and the outline


def test_locator_of_a_synthetic_city_says_so() -> None:
    city = {"city_name": "Town 1", "state_ut": "Bihar", "longitude": 85.1, "latitude": 25.6}
    fig = maps.locator_figure(city, boundaries.bundled_shapes(), synthetic=True)
    assert fig.layout.title.text.startswith("[SYNTHETIC]")
