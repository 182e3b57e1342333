"""The Map page's model for each view (smartcities.map_view): what the chosen view draws, its
summary and table, and its messages, from the bundled record."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import map_view
from smartcities.boundaries import BOUNDARY_ENV
from smartcities.dataset import states
from smartcities.maps import DISCLAIMER
from smartcities.query import Engine, Scope
from smartcities.safe import Safe

pytestmark = pytest.mark.unit
AS_OF = pd.Timestamp("2026-01-15")
COMMON = {"source": "Public record", "as_of": AS_OF, "synthetic": False, "lang": "en"}


@pytest.fixture
def public(public_engine: Engine) -> Engine:
    return public_engine


def gather(engine: Engine, scope: Scope) -> map_view.MapData:
    return map_view.gather(engine, scope, AS_OF, states())


def cities(data: map_view.MapData, **kw) -> map_view.MapShown:
    options = {"colour": "iccc", "size": "none", "shade": "none", "basemap": "none"}
    return map_view.cities_view(
        data, outline=None, focus_state=None, common=COMMON, **(options | kw)
    )


def test_cities_view(public) -> None:
    shown = cities(gather(public, Scope()))
    assert shown.message is None and shown.chart.key == "citymap"
    assert shown.chart.figure.layout.title.text.startswith("Smart Cities: ")
    assert len(shown.table) == 100, "a row per city of the selection"
    bihar = cities(gather(public, Scope(state_ut="Bihar")))
    assert len(bihar.table) == 4


def test_no_city_matches(public) -> None:
    shown = cities(gather(public, Scope(state_ut="Goa", round="Round 1")))
    assert shown.chart is None and shown.message.startswith("No Smart City matches")


def test_states_view_shows_every_state(public) -> None:
    data = gather(public, Scope(state_ut="Bihar"))
    colour = data.colours["states"][0]
    shown = map_view.states_view(data, states(), colour=colour, highlight="Bihar", common=COMMON)
    assert shown.chart.key == "statemap"
    assert shown.chart.figure.layout.title.text.endswith("by state/UT")
    assert len(shown.table) == len(states()), "the filter highlights a state, drops none"


def test_boundaries_view_waits_for_a_file(public) -> None:
    data = gather(public, Scope())
    shown = map_view.boundaries_view(data, states(), None, colour="cities", common=COMMON)
    assert shown.chart is None and isinstance(shown.message, Safe)
    assert f"`{BOUNDARY_ENV}`" in shown.message and "Upload one above" in shown.message


def test_footnote_names_what_is_drawn() -> None:
    bundled = map_view.footnote("cities", None)
    assert "DataMeet" in bundled and "No internet is needed" in bundled
    other = map_view.footnote("states", None)
    assert other.startswith(DISCLAIMER) and "DataMeet" not in other


def test_heading_escapes_the_data_set_name(public) -> None:
    class View:
        scope, vocab = Scope(state_ut="Bihar"), None

    title, caption = map_view.heading(View, "Uploaded: [x](https://phish.example)", AS_OF)
    assert title == "Map: Bihar"
    assert "](https://phish.example)" not in caption and "15 Jan 2026" in caption


@pytest.mark.parametrize(("lang", "note"), [("en", "Boundaries indicative."), ("hi", "सीमाएँ")])
def test_the_locators_note_is_in_the_page_language(public, lang, note) -> None:
    from smartcities import boundaries, maps

    city = public.cities(Scope(city_id="pune")).iloc[0]
    fig = maps.locator_figure(city, boundaries.bundled_shapes(), lang=lang)
    (text,) = [a.text for a in fig.layout.annotations if "DataMeet" in a.text]
    assert text.startswith(note) and text.endswith("DataMeet, CC BY 4.0 / CC0.")


def colour_bar_ticks(fig) -> list[list[str]]:
    """The tick texts of every colour bar in a figure, wherever plotly keeps it."""
    found: list[list[str]] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            bar = node.get("colorbar")
            if isinstance(bar, dict) and bar.get("ticktext"):
                found.append(list(bar["ticktext"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(fig.to_plotly_json())
    return found


@pytest.mark.parametrize(("lang", "word"), [("en", " cr"), ("hi", " करोड़")])
def test_colour_bars_speak_the_page_language(public, lang, word) -> None:
    data = gather(public, Scope())
    colour, common = "central_funds_released_inr_crore", COMMON | {"lang": lang}
    grid = map_view.states_view(data, states(), colour=colour, highlight=None, common=common)
    city = map_view.cities_view(
        data,
        colour=colour,
        size="none",
        shade="none",
        basemap="none",
        outline=None,
        focus_state=None,
        common=common,
    )
    for fig in (grid.chart.figure, city.chart.figure):
        bars = colour_bar_ticks(fig)
        assert bars and all(t.endswith(word) for b in bars for t in b), (lang, bars)
