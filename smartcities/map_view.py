"""The map page's model: one set of queries for what it shows, and its options in the URL.

:func:`gather` runs the page's queries (the filtered cities, every state/UT) and computes
the measures (:mod:`smartcities.map_measures`); :func:`url_options` is the page's part of the
URL (``?view=states&colour=cities&shade=iccc``) as a :mod:`smartcities.urlstate` spec, whose
allowed values follow the data in hand. The figures are :mod:`smartcities.maps`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartcities.i18n import N_
from smartcities.map_measures import (
    city_size_options,
    city_values,
    colour_choices,
    state_measures,
)
from smartcities.query import Engine, Scope
from smartcities.urlstate import Option, Options

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
