"""The map page's model: one set of queries for what it shows, and its options in the URL.

:func:`gather` runs the page's queries (the filtered cities, every state/UT) and computes
the measures (:mod:`smartcities.map_measures`); :func:`url_options` is the page's part of the
URL (``?view=states&colour=cities&shade=iccc``) as a :mod:`smartcities.urlstate` spec, whose
allowed values follow the data in hand. :func:`cities_view`, :func:`states_view` and
:func:`boundaries_view` build what each view draws (figures from :mod:`smartcities.maps` and
:mod:`smartcities.boundaries`), and only the chosen view's is built.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartcities import boundaries, fmt, maps
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.map_measures import (
    city_size_options,
    city_values,
    colour_choices,
    labeller,
    state_measures,
)

# What a click on the cities map chose (decoded next to the figure that writes its customdata).
from smartcities.maps import picked as picked
from smartcities.pageparts import Chart
from smartcities.query import Engine, Scope
from smartcities.safe import Safe, md, trusted
from smartcities.urlstate import Option, Options
from smartcities.views import HasScope, scope_title

VIEWS: dict[str, str] = {
    "cities": N_("India: states and cities"),
    "states": N_("States (tile grid)"),
    "boundaries": N_("States (your boundary file)"),
}
BASEMAPS: dict[str, str] = {
    "none": N_("Map of India (offline)"),
    "tiles": N_("Street tiles (needs internet)"),
}
OPTION_KEYS = ("view", "colour", "size", "basemap", "shade")


@dataclass(frozen=True)
class MapData:
    """What the map page shows, from one set of queries."""

    cities: pd.DataFrame
    city_values: pd.DataFrame
    state_values: pd.DataFrame
    colours: dict[str, list[str]]
    sizes: list[str]


def gather(
    engine: Engine, scope: Scope, as_of: pd.Timestamp | None, states: pd.DataFrame
) -> MapData:
    """Query the measures for the map page: the filtered cities, and every state/UT.

    State maps always show all states/UTs (the filtered state is highlighted), so their
    measures follow only the round filter and the date.
    """
    cities = engine.cities(scope)
    values = city_values(cities, engine.iccc(scope), engine.latest(scope, levels=("city",)), as_of)
    national = Scope(round=scope.round, as_of=scope.as_of)
    tidy = state_measures(
        states,
        engine.cities(national),
        iccc=engine.iccc(national),
        latest=engine.latest(national, levels=("state",)),
        as_of=as_of,
    )
    colours = {view: colour_choices(view, values, tidy) for view in VIEWS}
    return MapData(cities, values, tidy, colours, city_size_options(values))


def url_options(data: MapData) -> Options:
    """The map page's options in the URL, allowed values from the data in hand.

    ``colour`` depends on the view (a stage for a city, a count for a state); ``shade`` is the
    state measure the states are shaded by under the cities ("none": a neutral fill)."""
    return (
        Option("view", tuple(VIEWS), "cities"),
        Option("colour", data.colours, "iccc", on="view"),
        Option("size", ("none", *data.sizes), "none"),
        Option("basemap", tuple(BASEMAPS), "none"),
        Option("shade", ("none", *data.colours["states"]), "none"),
    )


# ---------------------------------------------------------------- what each view draws


@dataclass(frozen=True)
class MapShown:
    """One view of the map: a message when there is nothing to draw, else the figure with its
    text summary and (for the cities and the tile grid) the table of what it shows."""

    message: str | None = None
    chart: Chart | None = None
    table: pd.DataFrame | None = None


def heading(
    view: HasScope, data_label: str, as_of: pd.Timestamp | None, lang: str = DEFAULT_LANG
) -> tuple[str, Safe]:
    """The page's title (the selection) and its caption (the date and the data set, whose
    name may come from file names: escaped)."""
    _ = gettext(lang)
    title = _("Map: {selection}").format(selection=scope_title(view, lang))
    caption = md(_("Figures as on **{}**. Data set: {}."), fmt.as_on(as_of, lang), data_label)
    return title, caption


def cities_view(
    data: MapData,
    *,
    colour: str,
    size: str,
    shade: str,
    basemap: str,
    outline: object | None,
    focus_state: str | None,
    common: dict[str, object],
) -> MapShown:
    """The cities on India's states (offline), coloured and sized by their measures; the
    states shaded by one of theirs. ``common``: source, as_of, synthetic, lang."""
    lang = str(common.get("lang", DEFAULT_LANG))
    _ = gettext(lang)
    if data.cities.empty:
        return MapShown(
            _("No Smart City matches the filters in the sidebar. Clear a filter to see more.")
        )
    label = labeller("cities", lang)(colour)
    size_by = None if size == "none" else size
    fig = maps.city_map(
        data.cities,
        data.city_values,
        colour_by=colour,
        size_by=size_by,
        title=_("Smart Cities: {measure}").format(measure=label),
        basemap=basemap,
        outline=outline,
        india=boundaries.bundled_shapes(),
        shade=data.state_values,
        shade_by=None if shade == "none" else shade,
        focus_state=focus_state,
        **common,
    )
    summary = maps.describe_city_map(data.cities, data.city_values, colour, lang)
    table = maps.city_table(data.cities, data.city_values, colour, size_by, lang)
    return MapShown(None, Chart(fig, summary, "citymap"), table)


def states_view(
    data: MapData,
    states: pd.DataFrame,
    *,
    colour: str,
    highlight: str | None,
    common: dict[str, object],
) -> MapShown:
    """Every state/UT as a tile of the grid, coloured by a state measure (the filtered state
    highlighted)."""
    lang = str(common.get("lang", DEFAULT_LANG))
    _ = gettext(lang)
    title = _("{measure} by state/UT").format(measure=labeller("states", lang)(colour))
    fig = maps.tile_grid(
        data.state_values, states, measure=colour, title=title, highlight=highlight, **common
    )
    summary = maps.describe_states(data.state_values, states, colour, lang)
    table = maps.state_table(data.state_values, states, colour, lang)
    return MapShown(None, Chart(fig, summary, "statemap"), table)


def boundaries_view(
    data: MapData,
    states: pd.DataFrame,
    shapes: object | None,
    *,
    colour: str,
    common: dict[str, object],
) -> MapShown:
    """The states of the user's boundary file (``shapes``: read and checked by
    :mod:`smartcities.boundaries`), coloured by a state measure; a message until there is one."""
    lang = str(common.get("lang", DEFAULT_LANG))
    _ = gettext(lang)
    if shapes is None:
        text = _(
            "No boundary file yet. Upload one above (or set `{env}`); the States (tile "
            "grid) view needs none. See docs/maps.md."
        )
        return MapShown(trusted(text.format(env=boundaries.BOUNDARY_ENV)))  # code span: a constant
    title = _("{measure} by state/UT").format(measure=labeller("boundaries", lang)(colour))
    fig = boundaries.choropleth(shapes, data.state_values, measure=colour, title=title, **common)
    summary = maps.describe_states(data.state_values, states, colour, lang)
    return MapShown(None, Chart(fig, summary, "choropleth"))


def footnote(view: str, outline: object | None, lang: str = DEFAULT_LANG) -> str:
    """What the map's boundaries are, where the cities' positions come from, and that it needs
    no internet (the bundled map is named when it is what the cities view draws)."""
    _ = gettext(lang)
    bundled = view == "cities" and outline is None
    note = maps.bundled_note(boundaries.BUNDLED_NOTE, lang) if bundled else _(maps.DISCLAIMER)
    offline = _("No internet is needed unless street tiles are chosen.")
    return f"{note} {_(maps.LOCATION_NOTE)} {offline}"
