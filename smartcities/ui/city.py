"""Layout of the City profile's parts that need more than ``render``: the city filter's
callback, the locator map, the round peers' buttons, the projects block (what they show is
computed by :mod:`smartcities.city_view`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import maps
from smartcities.city_view import Projects
from smartcities.i18n import DEFAULT_LANG
from smartcities.pageparts import Chart
from smartcities.ui import render
from smartcities.ui.frame import W

CITY_WIDGET = W["city"]


def set_city(city_id: str | None, state: str | None = None) -> None:
    """Callback: set the shared city filter (and state filter, if given); the frame then writes
    them to the URL."""
    st.session_state[CITY_WIDGET] = city_id or ""
    if state is not None:
        st.session_state[W["state"]] = state


def locator(chart: Chart) -> None:
    """The small locator map (a picture: no toolbar, no zoom), in a third of the width."""
    column = st.columns([1, 2])[0]
    column.plotly_chart(chart.figure, key=chart.key, config=maps.STATIC, alt=chart.summary)


def round_peers(heading: str, peers: pd.DataFrame) -> None:
    """The other cities of the round, as buttons that open their profiles."""
    render.subheader(heading)
    cols = st.columns(4)
    for i, peer in enumerate(peers.itertuples(index=False)):
        # Buttons, not links to this same page: such a link leaves the browser's address bar
        # unchanged, and the next rerun would read the old city back from it.
        render.button(
            peer.city_name,
            where=cols[i % 4],
            key=f"city_peer_{peer.city_id}",
            on_click=set_city,
            args=(peer.city_id, None if peer.same_state else ""),
        )


def projects(block: Projects | None, lang: str = DEFAULT_LANG) -> None:
    """The city's projects: heading, captions, then the tables."""
    if block is None:
        return
    render.subheader(block.heading)
    for text in block.captions:
        render.caption(text)
    for table in block.tables:
        render.display_table(table.frame, units=table.units, key=table.key, lang=lang)
