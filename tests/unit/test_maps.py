"""Map builders: every city drawn where it is, colours and sizes that follow the data, Indian
number formats in the hover, an equal-area tile grid, boundary files matched through the alias
table, and figures that need no network."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from smartcities import boundaries, fmt, map_measures, map_view, maps, urlstate
from smartcities.dataset import harmoniser, states
from smartcities.load import load_public
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit

AS_OF = pd.Timestamp("2025-12-01")
COMMON = {"title": "Test map", "source": "test", "as_of": AS_OF}


@pytest.fixture(scope="module")
def public() -> map_view.MapData:
    dataset = load_public()
    return map_view.gather(Engine(dataset), Scope(), dataset.latest_as_of(), states())


def small_cities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city_id": ["pune", "surat", "kochi", "agartala"],
            "city_name": ["Pune", "Surat", "Kochi", "Agartala"],
            "state_ut": ["Maharashtra", "Gujarat", "Kerala", "Tripura"],
            "selection_round": ["Round 1", "Round 1", "Round 1", "Round 3"],
            "selection_date": pd.to_datetime(["2016-01-28"] * 3 + ["2017-06-23"]),
            "latitude": [18.52, 21.17, 9.93, 23.83],
            "longitude": [73.86, 72.83, 76.27, 91.28],
        }
    )


def small_values(metric: str = "projects_completed_inr_crore") -> pd.DataFrame:
    values = map_measures.city_values(small_cities())
    values[metric] = [155386.0, 9425.0, np.nan, 12.5]
    values[metric + map_measures.AS_OF] = [AS_OF, AS_OF, pd.NaT, pd.Timestamp("2024-03-31")]
    return values


def points(fig) -> list:
    """The point traces of a city map (the outline, if any, has no customdata)."""
    return [t for t in fig.data if t.customdata is not None]


def all_ids(fig) -> list[str]:
    return [row[0] for t in points(fig) for row in t.customdata]


# ---------------------------------------------------------------- city map


def test_every_city_is_a_point_inside_india(public: map_view.MapData) -> None:
    fig = maps.city_map(public.cities, public.city_values, colour_by="iccc", size_by=None, **COMMON)
    ids = all_ids(fig)
    assert len(ids) == 100 and sorted(ids) == sorted(public.cities["city_id"])
    for trace in points(fig):
        assert trace.type == "scatter"
        assert all(68 <= x <= 97.5 for x in trace.x)
        assert all(6 <= y <= 37.5 for y in trace.y)
    assert fig.layout.yaxis.scaleanchor == "x", "equal-area look: lat/lon scale locked"


def test_round_colouring_puts_each_city_in_its_rounds_trace(public: map_view.MapData) -> None:
    fig = maps.city_map(
        public.cities, public.city_values, colour_by="round", size_by=None, **COMMON
    )
    round_of = dict(zip(public.cities["city_id"], public.cities["selection_round"], strict=True))
    for trace in points(fig):
        assert {round_of[row[0]] for row in trace.customdata} == {trace.legendgroup}
    round_1 = next(t for t in fig.data if t.legendgroup == "Round 1")
    assert round_1.name == "Round 1 (20)" and len(round_1.x) == 20
    colours = {t.legendgroup: t.marker.color for t in points(fig)}
    assert len(set(colours.values())) == len(colours), "one colour per round"


def test_iccc_colouring_follows_the_date() -> None:
    cities = small_cities()
    iccc = pd.DataFrame(
        {
            "city_id": ["pune", "pune", "surat"],
            "stage": ["work_order_issued", "operational", "tendered"],
            "stage_date": pd.to_datetime(["2017-01-01", "2019-06-01", "2018-01-01"]),
        }
    )
    values = map_measures.city_values(cities, iccc, None, pd.Timestamp("2018-06-01"))
    stages = values.set_index("city_id")["iccc_stage"]
    assert stages.dropna().to_dict() == {"pune": "work_order_issued", "surat": "tendered"}
    fig = maps.city_map(cities, values, colour_by="iccc", size_by=None, **COMMON)
    names = {t.legendgroup: t.name for t in fig.data}
    assert names == {
        "tendered": "Tendered (1)",
        "work_order_issued": "Work order issued (1)",
        map_measures.NOT_KNOWN: "Not known (2)",
    }
    grey = next(t for t in fig.data if t.legendgroup == map_measures.NOT_KNOWN)
    assert grey.marker.color == maps.NO_DATA_COLOUR


def test_numeric_colour_is_the_value_and_missing_cities_stay_on_the_map() -> None:
    fig = maps.city_map(
        small_cities(),
        small_values(),
        colour_by="projects_completed_inr_crore",
        size_by=None,
        **COMMON,
    )
    with_data, no_data = points(fig)
    assert list(with_data.marker.color) == [155386.0, 9425.0, 12.5]
    assert with_data.marker.colorscale is not None and with_data.marker.showscale
    assert [row[0] for row in no_data.customdata] == ["kochi"]
    assert no_data.name == "No data reported (1)"
    assert no_data.customdata[0][4] == map_measures.NO_DATA
    ticktext = with_data.marker.colorbar.ticktext
    assert any("," in t for t in ticktext) and all("₹" in t for t in ticktext)


def test_sizes_grow_with_the_value_and_are_constant_without_one() -> None:
    cities, values = small_cities(), small_values()
    fig = maps.city_map(
        cities, values, colour_by="round", size_by="projects_completed_inr_crore", **COMMON
    )
    size = {row[0]: s for t in points(fig) for row, s in zip(t.customdata, t.marker.size)}
    assert size["pune"] > size["surat"] > size["agartala"]
    assert size["kochi"] <= size["agartala"], "no value: the smallest marker"
    plain = maps.city_map(cities, values, colour_by="round", size_by=None, **COMMON)
    assert len({s for t in points(plain) for s in t.marker.size}) == 1
    values["projects_completed_inr_crore"] = np.nan
    empty = maps.city_map(
        cities, values, colour_by="round", size_by="projects_completed_inr_crore", **COMMON
    )
    assert len({s for t in points(empty) for s in t.marker.size}) == 1


def test_hover_is_in_indian_format_with_the_as_on_date() -> None:
    fig = maps.city_map(
        small_cities(),
        small_values(),
        colour_by="projects_completed_inr_crore",
        size_by="projects_completed_inr_crore",
        **COMMON,
    )
    pune = next(row for t in points(fig) for row in t.customdata if row[0] == "pune")
    assert list(pune[:4]) == ["pune", "Pune", "Maharashtra", "Round 1"]
    assert pune[4] == "₹1,55,386 crore"
    assert pune[5] == "(as on 1 Dec 2025)"
    assert pune[6] == "₹1,55,386 crore (as on 1 Dec 2025)"
    template = points(fig)[0].hovertemplate
    assert "%{customdata[4]}" in template and ":," not in template, "no d3 grouping"


def test_fast_hover_numbers_match_fmt_value() -> None:
    rng = np.random.default_rng(7)
    values = np.concatenate(
        [rng.gamma(1, 2000, 400), rng.uniform(0, 150, 300), [0, 0.005, 99.995, 155386, 1.5e7]]
    )
    for unit in ("inr_crore", "count"):
        assert map_measures.hover_values(pd.Series(values), unit) == [
            fmt.value(v, unit) for v in values
        ]


def test_offline_figures_reference_no_url(public: map_view.MapData) -> None:
    city = maps.city_map(
        public.cities, public.city_values, colour_by="round", size_by=None, **COMMON
    )
    tiles = maps.tile_grid(public.state_values, states(), measure="cities", **COMMON)
    for fig in (city, tiles):
        text = fig.to_json()
        assert "http" not in text
        assert not any(
            t["type"] in ("scattergeo", "choropleth", "scattermap")
            for t in json.loads(text)["data"]
        )


def test_street_tiles_are_opt_in_maplibre(public: map_view.MapData) -> None:
    fig = maps.city_map(
        public.cities,
        public.city_values,
        colour_by="round",
        size_by=None,
        basemap="tiles",
        **COMMON,
    )
    assert {t.type for t in fig.data} == {"scattermap"}
    assert fig.layout.map.style == "carto-positron"
    assert sum(len(t.lat) for t in fig.data) == 100


def test_synthetic_maps_carry_the_watermark(public: map_view.MapData) -> None:
    fig = maps.city_map(
        public.cities,
        public.city_values,
        colour_by="iccc",
        size_by=None,
        synthetic=True,
        **COMMON,
    )
    assert fig.layout.title.text.startswith("[SYNTHETIC]")
    assert any(a.text == "SYNTHETIC" for a in fig.layout.annotations)


def test_no_cities_gives_a_message_not_an_empty_chart() -> None:
    fig = maps.city_map(small_cities().iloc[0:0], None, colour_by="iccc", size_by=None, **COMMON)
    assert not fig.data and "No cities" in fig.layout.annotations[0].text


def _thousands_of_towns() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(1)
    n = 4500
    towns = pd.DataFrame(
        {
            "city_id": [f"town-{i}" for i in range(n)],
            "city_name": [f"Town {i}" for i in range(n)],
            "state_ut": rng.choice(["Gujarat", "Kerala", "Bihar", "Assam"], n),
            "selection_round": rng.choice(["Round 1", "Round 2", None], n),
            "selection_date": pd.Timestamp("2016-01-28"),
            "latitude": rng.uniform(8, 34, n),
            "longitude": rng.uniform(69, 96, n),
        }
    )
    values = pd.DataFrame(
        {
            "city_id": towns["city_id"],
            "projects_completed_inr_crore": np.where(
                rng.random(n) < 0.1, np.nan, rng.gamma(2, 500, n)
            ),
            "projects_completed_inr_crore" + map_measures.AS_OF: AS_OF,
        }
    )
    return towns, values


def test_thousands_of_towns_build_on_webgl() -> None:
    towns, values = _thousands_of_towns()
    n = len(towns)
    for colour in ("round", "projects_completed_inr_crore"):
        fig = maps.city_map(
            towns, values, colour_by=colour, size_by="projects_completed_inr_crore", **COMMON
        )
        assert {t.type for t in fig.data} == {"scattergl"}
        assert len(fig.data) <= 4, "one trace per category, not per point"
        assert sum(len(t.x) for t in fig.data) == n
        assert not fig.layout.annotations or len(fig.layout.annotations) < 5


def test_describe_and_table(public: map_view.MapData) -> None:
    text = maps.describe_city_map(public.cities, public.city_values, "round")
    assert text.startswith("100 cities shown") and "Round 1: 20" in text
    table = maps.city_table(small_cities(), small_values(), "projects_completed_inr_crore", None)
    assert table.loc[0, "Value of projects completed (₹ crore)"] == "₹1,55,386 crore"
    assert table.loc[2, "Value of projects completed (₹ crore)"] == map_measures.NO_DATA


# ---------------------------------------------------------------- states


def test_tile_layout_has_36_distinct_cells() -> None:
    grid = states()
    assert len(grid) == 36
    assert len(set(zip(grid["tile_row"], grid["tile_col"], strict=True))) == 36


def test_tile_grid_draws_every_state_once(public: map_view.MapData) -> None:
    fig = maps.tile_grid(
        public.state_values, states(), measure="cities", highlight="Gujarat", **COMMON
    )
    missing, values = (t for t in fig.data if t.type == "heatmap")
    cells = np.isfinite(np.asarray(values.z, float)) | np.isfinite(np.asarray(missing.z, float))
    assert cells.sum() == 36
    labels = [a.text for a in fig.layout.annotations if a.text.startswith("<b>")]
    codes = {label.split("</b>")[0].removeprefix("<b>") for label in labels}
    assert codes == {c.removeprefix("IN-") for c in states()["iso_code"]}
    assert "<b>TN</b><br>11" in labels and "<b>LA</b><br>0" in labels
    assert len(fig.layout.shapes) == 1, "the filtered state is outlined"
    hover = [h for row in values.text for h in row if h.startswith("<b>Tamil Nadu")]
    assert hover == ["<b>Tamil Nadu</b><br>Smart Cities: 11<br>as on 15 Jan 2026"]


def test_tile_grid_shows_states_without_data_in_grey() -> None:
    tidy = pd.DataFrame(
        {
            "state_ut": ["Tamil Nadu", "Gujarat"],
            "measure": "central_funds_released_inr_crore",
            "value": [155386.0, 509.0],
            "as_of_date": AS_OF,
        }
    )
    fig = maps.tile_grid(tidy, states(), measure="central_funds_released_inr_crore", **COMMON)
    missing, values = (t for t in fig.data if t.type == "heatmap")
    assert np.isfinite(np.asarray(values.z, float)).sum() == 2
    assert np.isfinite(np.asarray(missing.z, float)).sum() == 34
    assert any(t.name == "No data reported (34)" for t in fig.data)
    assert "<b>TN</b><br>₹1.6 lakh cr" in [a.text for a in fig.layout.annotations]
    assert "http" not in fig.to_json()


def test_state_measures_derive_counts_by_date() -> None:
    cities = small_cities()
    iccc = pd.DataFrame(
        {
            "city_id": ["pune", "surat", "agartala"],
            "stage": ["operational", "operational", "operational"],
            "stage_date": pd.to_datetime(["2018-01-01", "2021-01-01", "2019-01-01"]),
        }
    )
    latest = pd.DataFrame(
        {
            "level": ["state"],
            "area_id": ["gujarat"],
            "area_name": ["Gujarat"],
            "state_ut": ["Gujarat"],
            "metric": ["central_funds_released_inr_crore"],
            "value": [509.0],
            "as_of_date": [pd.Timestamp("2019-12-01")],
            "source_url": ["https://example.org"],
        }
    )
    tidy = map_measures.state_measures(
        states(), cities, iccc=iccc, latest=latest, as_of=pd.Timestamp("2017-01-01")
    )
    cities_count = tidy[tidy["measure"] == "smart_cities_count"].set_index("state_ut")["value"]
    assert len(cities_count) == 36 and cities_count.sum() == 3, "Agartala selected mid-2017"
    tidy = map_measures.state_measures(
        states(), cities, iccc=iccc, latest=latest, as_of=pd.Timestamp("2020-01-01")
    )
    ops = tidy[tidy["measure"] == "iccc_operational_count"].set_index("state_ut")["value"]
    assert (ops["Maharashtra"], ops["Tripura"], ops["Gujarat"]) == (1, 1, 0)
    funds = tidy[tidy["measure"] == "central_funds_released_inr_crore"]
    assert funds["state_ut"].tolist() == ["Gujarat"] and funds["value"].tolist() == [509.0]
    assert map_measures.state_measure_options(tidy)[:2] == ["iccc", "cities"]
    assert map_measures.state_label("iccc") == "ICCCs operational"
    assert map_measures.measure_label("iccc") == "ICCC stage"


# ---------------------------------------------------------------- boundary files


def write_boundaries(path: Path, names: list[str], column: str = "st_nm") -> Path:
    """A small boundary file written by the test: rectangles in a projected CRS."""
    shapes = [box(84, 18, 87, 22), box(77, 8, 80, 13), box(60, 10, 62, 12), box(72, 20, 74, 24)]
    frame = gpd.GeoDataFrame({column: names}, geometry=shapes[: len(names)], crs=4326)
    frame.to_crs(3857).to_file(path)
    return path


def test_boundary_names_are_matched_through_the_alias_table(tmp_path: Path) -> None:
    path = write_boundaries(tmp_path / "states.geojson", ["Orissa", "Tamil Nadu", "Atlantis"])
    gdf, unmatched = boundaries.read_boundaries(path, None, harmoniser())
    assert gdf.crs.to_epsg() == 4326
    assert unmatched == ["Atlantis"]
    assert set(gdf["state_ut"].dropna()) == {"Odisha", "Tamil Nadu"}
    odisha = gdf[gdf["state_ut"] == "Odisha"].geometry.iloc[0]
    assert odisha.bounds == pytest.approx((84, 18, 87, 22), abs=0.01)
    tidy = pd.DataFrame(
        {
            "state_ut": ["Odisha"],
            "measure": "smart_cities_count",
            "value": [2.0],
            "as_of_date": AS_OF,
        }
    )
    fig = boundaries.choropleth(gdf, tidy, measure="cities", **COMMON)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert len(fills) == 3
    assert any(t.name.startswith("Odisha: 2") for t in fills)
    assert any(t.name == "No data reported" for t in fig.data)
    assert maps.DISCLAIMER in " ".join(a.text for a in fig.layout.annotations)
    assert "http" not in fig.to_json()


def test_boundary_file_as_uploaded_bytes_zip_and_named_column(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    write_boundaries(folder / "states.shp", ["Pondicherry", "Gujarat"], column="REGION")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    gdf, unmatched = boundaries.read_boundaries(buffer.getvalue(), "region", harmoniser())
    assert sorted(gdf["state_ut"]) == ["Gujarat", "Puducherry"] and unmatched == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, I am not a map", "not a GeoJSON"),
        (b"", "empty"),
        (b'{"type": "FeatureCollection", "features": []}', "no polygons"),
        (b"PK\x03\x04 broken", "damaged"),
    ],
)
def test_bad_boundary_files_give_a_clear_error(content: bytes, message: str) -> None:
    with pytest.raises(boundaries.BoundaryError, match=message):
        boundaries.read_boundaries(content, None, harmoniser())


def test_boundary_zip_with_other_files_or_unknown_names_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("states.shp", b"x")
        archive.writestr("run.exe", b"x")
    with pytest.raises(boundaries.BoundaryError, match="only the parts of one Shapefile"):
        boundaries.read_boundaries(buffer.getvalue(), None, harmoniser())
    path = write_boundaries(tmp_path / "x.geojson", ["Atlantis", "Lemuria"])
    with pytest.raises(boundaries.BoundaryError, match="st_nm"):
        boundaries.read_boundaries(path, None, harmoniser())
    with pytest.raises(boundaries.BoundaryError, match="no column 'name'"):
        boundaries.read_boundaries(path, "name", harmoniser())
    with pytest.raises(boundaries.BoundaryError, match="larger than"):
        boundaries.read_boundaries(path, None, harmoniser(), max_bytes=10)


def _lying_zip(real_size: int, declared: int) -> bytes:
    """A zipped .shp whose headers declare ``declared`` bytes for ``real_size`` bytes of data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("states.shp", bytes(real_size))
    data = bytearray(buffer.getvalue())
    real = real_size.to_bytes(4, "little")
    # The uncompressed size sits in the local header (offset 22) and the central directory.
    for at in (i for i in range(len(data) - 4) if data[i : i + 4] == real):
        data[at : at + 4] = declared.to_bytes(4, "little")
    return bytes(data)


def test_boundary_zip_is_measured_by_what_it_unpacks_not_what_it_declares(monkeypatch) -> None:
    monkeypatch.setattr(boundaries, "MAX_UNZIPPED_BYTES", 1_000_000)
    bomb = _lying_zip(real_size=3_000_000, declared=1_000)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) < 1_000_000  # the headers lie
    # Read with the capped reader, the lie is found (Python's reader stops at the declared
    # size and fails the CRC); GDAL only ever opens the re-packed bytes that were read.
    with pytest.raises(boundaries.BoundaryError, match="unpacks to more than|damaged"):
        boundaries._check_zip(bomb)
    with pytest.raises(boundaries.BoundaryError, match="unpacks to more than"):
        boundaries._check_zip(_lying_zip(real_size=3_000_000, declared=3_000_000))
    honest = _lying_zip(real_size=1_000, declared=1_000)
    with zipfile.ZipFile(io.BytesIO(boundaries._check_zip(honest))) as repacked:
        assert [i.file_size for i in repacked.infolist()] == [1_000]


def test_boundary_file_from_the_environment(tmp_path: Path) -> None:
    assert boundaries.configured_boundary_file({}) is None
    path = boundaries.configured_boundary_file(
        {boundaries.BOUNDARY_ENV: str(tmp_path / "india.gpkg")}
    )
    assert path == tmp_path / "india.gpkg"


def test_city_map_draws_a_boundary_outline_offline(tmp_path: Path) -> None:
    path = write_boundaries(tmp_path / "s.geojson", ["Gujarat", "Kerala"])
    gdf, _ = boundaries.read_boundaries(path, None, harmoniser())
    fig = maps.city_map(
        small_cities(), None, colour_by="round", size_by=None, outline=gdf, **COMMON
    )
    outline = [t for t in fig.data if t.customdata is None]
    assert len(outline) == 1 and outline[0].hoverinfo == "skip"
    assert len(all_ids(fig)) == 4
    assert "http" not in fig.to_json()


# ---------------------------------------------------------------- URL options


def test_options_decode_and_encode() -> None:
    colours = {"cities": ["iccc", "round"], "states": ["iccc", "cities"], "boundaries": ["iccc"]}

    def spec(sizes: list[str]) -> urlstate.Options:
        empty = pd.DataFrame()
        return map_view.url_options(map_view.MapData(empty, empty, empty, colours, sizes))

    defaults = {"view": "cities", "colour": "iccc", "size": "none", "basemap": "none"}
    defaults["shade"] = "none"
    options, problems = urlstate.decode_options({}, spec(["x_inr_crore"]))
    assert options == defaults and problems == []
    assert urlstate.encode_options(options, spec(["x_inr_crore"])) == {}
    params = {"view": "states", "colour": "cities"}
    options, problems = urlstate.decode_options(params, spec([]))
    assert problems == [] and urlstate.encode_options(options, spec([])) == params
    options, problems = urlstate.decode_options(
        {"view": "zzz", "colour": "round", "size": "nope", "basemap": "tiles"},
        spec(["x_inr_crore"]),
    )
    assert options == {**defaults, "colour": "round", "basemap": "tiles"}
    assert len(problems) == 2 and "zzz" in problems[0] and "nope" in problems[1]
    _, problems = urlstate.decode_options({"view": "states", "colour": "round"}, spec([]))
    assert problems and "round" in problems[0]


@pytest.mark.slow
def test_thousands_of_towns_build_fast() -> None:
    """Timing: run with ``make test-slow`` (a shared or busy machine makes it flaky)."""
    towns, values = _thousands_of_towns()
    maps.city_map(towns.head(3), None, colour_by="round", size_by=None, **COMMON)  # warm up
    for colour in ("round", "projects_completed_inr_crore"):
        start = time.perf_counter()
        maps.city_map(
            towns, values, colour_by=colour, size_by="projects_completed_inr_crore", **COMMON
        )
        assert time.perf_counter() - start < 2.0
