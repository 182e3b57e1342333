"""The hostile data set: it loads (names kept as text, with warnings), extremes are refused
with a clear error, and every chart shows the hostile names as literal text."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest

from smartcities import boundaries, figures, iccc, map_view, maps, metrics
from smartcities.config import Limits
from smartcities.dataset import states
from smartcities.load import LoadResult, Source, load_public, load_sources, merge_over
from smartcities.query import Engine, Scope
from tests import hostile

pytestmark = pytest.mark.unit
AS_OF = pd.Timestamp("2024-03-31")


def load(files: list[tuple[str, bytes]]) -> LoadResult:
    return load_sources([Source(n, b) for n, b in files], limits=Limits.from_env())


@pytest.fixture(scope="module")
def result() -> LoadResult:
    return load(hostile.files())


def test_the_hostile_set_loads_with_its_text_kept(result):
    assert result.dataset is not None and not result.report.errors
    names = set(result.dataset.cities["city_name"])
    assert f"Hostville {hostile.LINK}" in names and f"Hostgarh {hostile.LATEX}" in names


def test_markup_in_names_and_notes_is_warned_about(result):
    warned = {
        (i.file, i.column)
        for i in result.report.warnings
        if "markup" in i.message and "plain text" in i.message
    }
    assert (hostile.FILE_CITIES, "city_name") in warned
    assert (hostile.FILE_CITIES, "note") in warned
    assert (hostile.FILE_PROGRESS, "note") in warned
    assert (hostile.FILE_EVENTS, "event") in warned
    # A few rows per column, then one line counting the rest.
    per_column = [i for i in result.report.warnings if i.column == "note" and "markup" in i.message]
    assert sum(i.row is not None for i in per_column if i.file == hostile.FILE_PROGRESS) == 3


def test_a_value_no_record_could_hold_is_a_clear_error_and_the_rest_loads():
    files = hostile.files()
    files[1] = (files[1][0], hostile.progress_csv([hostile.HUGE_ROW]))
    loaded = load(files)
    assert loaded.dataset is not None
    [error] = [i for i in loaded.report.errors if i.column == "value"]
    assert "larger than any real record could hold" in error.message
    assert error.row is not None and error.value == "1e+28" and "unit" in error.fix
    assert loaded.dataset.progress["value"].max() < 1e8


@pytest.mark.parametrize(
    "metric, unit, value, ok",
    [
        ("projects_completed_count", "count", 99_999_999, True),
        ("projects_completed_count", "count", 100_000_001, False),
        ("central_funds_released_inr_crore", "inr_crore", 9_999_999, True),
        ("central_funds_released_inr_crore", "inr_crore", 10_000_001, False),
    ],
)
def test_plausible_maxima_per_unit(metric, unit, value, ok):
    row = (
        "2024-03-31",
        "national",
        "india",
        "India",
        "",
        metric,
        value,
        unit,
        hostile.SAFE_URL,
        "",
    )
    files = hostile.files()
    files[1] = (files[1][0], hostile.progress_csv([row]))
    errors = [i for i in load(files).report.errors if i.column == "value"]
    assert (errors == []) is ok


def test_a_hostile_state_name_is_refused_and_quoted_whole():
    files = hostile.files()
    files[1] = (files[1][0], hostile.progress_csv([hostile.BAD_STATE_ROW]))
    errors = load(files).report.errors
    assert any(hostile.LINK in (i.value or "") for i in errors)


# ---------------------------------------------------------------------------- plotly text

ALLOWED_TAGS = hostile.CHART_TAGS
TEMPLATES = ("hovertemplate", "texttemplate")


def shown_strings(fig) -> list[str]:
    """Every string plotly would draw as text (templates are code, not data)."""
    out: list[str] = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in TEMPLATES:
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str):
            out.append(node)

    walk(json.loads(pio.to_json(fig, validate=False)))
    return out


def templates(fig) -> list[str]:
    """Every hovertemplate and texttemplate of the figure's traces."""
    spec = json.loads(pio.to_json(fig, validate=False))
    found = []
    for trace in spec.get("data", []):
        for key in TEMPLATES:
            value = trace.get(key)
            found += value if isinstance(value, list) else [value] if value else []
    return found


def live_markup(fig) -> list[str]:
    bad = []
    for text in shown_strings(fig):
        tags = set(hostile.TAG.findall(text))
        if tags - ALLOWED_TAGS:
            bad.append(text)
    for template in templates(fig):
        if hostile.template_problems(template):
            bad.append(f"template: {template}")
    return bad


@pytest.fixture(scope="module")
def engines(result) -> dict[str, Engine]:
    merged, _ = merge_over(load_public(), result.dataset)
    return {"alone": Engine(result.dataset), "merged": Engine(merged)}


@pytest.mark.parametrize("mode", ["alone", "merged"])
def test_hostile_names_stay_literal_in_every_chart(engines, mode):
    engine = engines[mode]
    scope = Scope()
    kw = {"source": hostile.LINK + hostile.HTML, "as_of": AS_OF}
    city = engine.latest(scope, levels=("city",))
    series = engine.series(
        Scope(city_id="hostile-a"),
        metrics.funnel_metrics("count"),
        level="city",
        area_id="hostile-a",
    )
    events = engine.dataset.table("events")
    national = engine.progress(scope, levels=("national",))
    cities = engine.cities(scope)
    iccc_rows = engine.iccc(scope)
    data = map_view.gather(engine, scope, AS_OF, states())
    title = f"Mission progress: {hostile.SPAN} {hostile.HTML}"
    shapes = boundaries.bundled_shapes()
    hostile_cities = cities[cities["city_id"].str.startswith("hostile-")]
    built = [
        figures.series_chart(
            series, metrics.funnel_metrics("count"), title=title, events=events, **kw
        ),
        figures.bar_by_area(
            city[city["metric"] == "projects_completed_count"],
            metric="projects_completed_count",
            title=title,
            **kw,
        ),
        figures.rates_chart(metrics.conversion_rates(series, "count"), title=title, **kw),
        figures.stage_reports_chart(
            iccc.stage_reports(national), iccc.ICCC_STAGE_METRICS, title=title, as_of=AS_OF
        ),
        figures.bar_counts(
            metrics.lagging_cities(cities, iccc_rows, city, AS_OF), "city_name", title=title, **kw
        ),
        figures.iccc_timeline_chart(
            iccc.iccc_cumulative(iccc_rows), None, title=title, source=kw["source"], as_of=AS_OF
        ),
        figures.empty_figure(hostile.HTML, title),
        maps.city_map(
            data.cities,
            data.city_values,
            colour_by="selection_round",
            size_by=None,
            title=title,
            **kw,
        ),
        maps.city_map(
            data.cities,
            data.city_values,
            colour_by=data.colours["cities"][0],
            size_by=None,
            title=title,
            **kw,
        ),
        maps.tile_grid(
            data.state_values, states(), measure=data.colours["states"][0], title=title, **kw
        ),
        *[maps.locator_figure(row, shapes) for _, row in hostile_cities.iterrows()],
    ]
    for fig in built:
        assert live_markup(fig) == [], fig.layout.title.text
    everything = " ".join(s for fig in built for s in shown_strings(fig))
    assert "&lt;a href=" in everything and "&lt;span style=" in everything
    # The hostile city names do reach the charts (as text), so the check above means something.
    assert "Hostville [Verify your login]" in everything


def test_the_locator_hover_shows_the_name_as_given():
    """The name is text under a code-written template: its tags and %{...} stay literal."""
    name = f"Hostnagar {hostile.SPAN} {hostile.PLOTLY} & co"
    city = {"city_name": name, "state_ut": "Bihar", "longitude": 85.1, "latitude": 25.6}
    fig = maps.locator_figure(city, boundaries.bundled_shapes())
    marker = fig.data[-1]
    assert marker.hovertemplate == "%{text}<extra></extra>"
    assert list(marker.text) == [
        'Hostnagar &lt;span style="font-size:300px"&gt;BIG&lt;/span&gt; %{x} %{meta[0]} &amp; co'
    ]
    assert live_markup(fig) == []


def test_map_legend_names_are_escaped_once():
    """A round from the data holding ``&`` and ``<`` reads as typed (escaped once, not twice)."""
    cities = load_public().cities.head(3).copy()
    cities["selection_round"] = "Round <A> & B"
    fig = maps.city_map(
        cities, None, colour_by="selection_round", size_by=None, title="t", source="s", as_of=AS_OF
    )
    names = [t.name for t in fig.data if t.name and t.name.startswith("Round")]
    assert names == ["Round &lt;A&gt; &amp; B (3)"]


def test_the_template_check_can_fail():
    """A template holding data (a tag, an unknown %{...}, a hostile name) is found."""
    assert hostile.template_problems("<b>%{customdata[0]}</b><br>%{y:,.0f}<extra></extra>") == []
    assert hostile.template_problems(f"{hostile.HTML}<extra></extra>")
    assert hostile.template_problems("%{meta[0]}<extra></extra>")
    assert hostile.template_problems("Hostville &lt;b&gt;<extra></extra>")


def test_the_chart_check_can_fail():
    """Without escaping, a name with a tag is found: the test above is not vacuous."""
    spec = figures.Spec("t")
    spec.trace("bar", x=[1], y=[figures.Markup(hostile.HTML)])
    assert live_markup(spec.figure())


def test_boundary_hover_names_are_escaped():
    import geopandas as gpd
    from shapely.geometry import box

    from smartcities.dataset import harmoniser

    shapes = gpd.GeoDataFrame(
        {"name": ["Goa", f"Goa {hostile.HTML}"]},
        geometry=[box(73.6, 14.8, 74.3, 15.8), box(74.4, 14.8, 74.9, 15.8)],
        crs="EPSG:4326",
    )
    gdf, _ = boundaries.read_boundaries(shapes.to_json().encode(), None, harmoniser())
    sv = pd.DataFrame({"state_ut": ["Goa"], "value": [1.0], "as_of_date": [AS_OF]})
    fig = boundaries.choropleth(gdf, sv, measure="x", title=hostile.HTML, source="s", as_of=AS_OF)
    assert live_markup(fig) == []


def test_report_echoes_lose_controls_and_bidi_overrides():
    from smartcities.report import Report

    report = Report()
    report.error("f.csv", f"unknown city '{hostile.BIDI}'", value=f"{hostile.BIDI}\x07\n")
    [issue] = report.issues
    assert "\u202e" not in issue.message and "\u202e" not in issue.value
    assert issue.value == "Eviltxt.exe " and "Eviltxt.exe" in issue.message
