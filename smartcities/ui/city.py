"""Sections of the City profile that are Streamlit layout only: the ICCC record and the round
peers (the page calls them; what they show comes from :mod:`smartcities.iccc` and the engine).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import boundaries, fmt, iccc, maps
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, gettext
from smartcities.safe import md
from smartcities.ui import render
from smartcities.ui.frame import W

CITY_WIDGET = W["city"]


def set_city(city_id: str | None, state: str | None = None) -> None:
    """Callback: set the shared city filter (and state filter, if given); the frame then writes
    them to the URL."""
    st.session_state[CITY_WIDGET] = city_id or ""
    if state is not None:
        st.session_state[W["state"]] = state


def locator(city: pd.Series, *, synthetic: bool, lang: str = DEFAULT_LANG) -> None:
    """A small locator map: the city's state/UT shaded and the city marked, drawn offline."""
    shapes = boundaries.bundled_shapes()
    figure = maps.locator_figure(city, shapes, synthetic=synthetic, lang=lang)
    alt = maps.locator_text(city)
    st.columns([1, 2])[0].plotly_chart(figure, key="locator", config=maps.STATIC, alt=alt)


def iccc_section(
    iccc_rows: pd.DataFrame, shown_name: str, *, as_of: pd.Timestamp | None, lang: str
) -> None:
    """The city's ICCC: its furthest stage with how sure the date is, and every stage on record."""
    _ = gettext(lang)
    render.subheader(_("Integrated Command and Control Centre"))
    status = iccc.iccc_status(iccc_rows)
    if status.empty:
        render.info(
            _("No ICCC stage is on record for {name} by {date}.").format(
                name=shown_name, date=fmt.as_on(as_of, lang)
            )
        )
        return
    s = status.iloc[0]
    when = fmt.dated(s["stage_date"], s["date_basis"], lang)
    stage = iccc.label_stages(status.iloc[:1][["stage"]], lang)["stage"].iat[0]
    render.text(md("**{}** {}.", stage, when))
    if s["date_basis"] == "on_or_before":
        render.caption(
            _(
                "The actual date is not published: a national statement says every ICCC "
                "was operational by this date."
            )
        )
    history = iccc.label_stages(
        iccc_rows[["stage", "stage_date", "date_basis", "source_url", "note"]], lang
    )
    render.display_table(history.fillna({"note": ""}), key="city_iccc", lang=lang)


def round_peers(peers: pd.DataFrame, rnd: str, state: str, *, lang: str) -> None:
    """The other cities of the round, as buttons that open their profiles."""
    _ = gettext(lang)
    render.subheader(
        _("Other cities of {round} ({n})").format(round=_(rnd), n=fmt.count(len(peers)))
    )
    cols = st.columns(4)
    for i, peer in enumerate(peers.itertuples(index=False)):
        # Buttons, not links to this same page: such a link leaves the browser's address bar
        # unchanged, and the next rerun would read the old city back from it.
        move = (peer.city_id, None if peer.state_ut == state else "")
        render.button(
            place_name("city", peer.city_name, lang),
            where=cols[i % 4],
            key=f"city_peer_{peer.city_id}",
            on_click=set_city,
            args=move,
        )
