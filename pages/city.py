"""City profile: everything the data set says about one Smart City, with its sources.

Most cities have few or no city-level figures in the public record; the page says so plainly
and shows the state's figures and the city's round peers for context. Everything shown is
computed by :mod:`smartcities.city_view`; this page lays it out.
"""

from __future__ import annotations

import streamlit as st

from smartcities import city_view
from smartcities.i18n import gettext
from smartcities.query import state_id
from smartcities.ui import city as city_ui
from smartcities.ui import frame as frame_ui
from smartcities.ui import render
from smartcities.ui.brief import render_brief_button


def link(path: str, label: str, **params: str | None) -> None:
    render.page_links([(path, label, frame.params(**params))])


def show_picker() -> None:
    shown = city_view.picker(frame.engine, frame.scope, lang)
    render.title(shown.title)
    if shown.message:
        render.info(shown.message)
        return
    st.selectbox(
        render.label_text(shown.label),
        list(shown.choices),
        index=None,
        format_func=shown.choices.__getitem__,
        key="city_pick",
        on_change=lambda: city_ui.set_city(st.session_state.get("city_pick")),
        placeholder=shown.placeholder,
    )
    render.display_table(shown.table, key="city_list", lang=lang)


def show_progress(part: city_view.Progress) -> None:
    render.subheader(part.heading)
    if part.message:
        render.info(part.message)
        link("pages/coverage.py", _("Which cities have figures: Data coverage"), city=None)
        return
    render.kpi_grid(part.cards, lang=lang)
    if part.timeline is not None:
        render.chart(part.timeline.figure, part.timeline.summary, key=part.timeline.key)
    if not part.peers.empty:
        render.text(part.peers_heading)
        render.display_table(part.peers, key="city_peers_table", link_columns=(), lang=lang)
        render.caption(part.peers_caption)
    if part.figures is not None:
        render.display_table(part.figures.frame, key=part.figures.key, lang=lang)


def show_iccc(part: city_view.Iccc) -> None:
    render.subheader(part.heading)
    if part.message:
        render.info(part.message)
        return
    render.text(part.status)
    if part.bounded_note:
        render.caption(part.bounded_note)
    render.display_table(part.history.frame, key=part.history.key, lang=lang)


def show_profile(city_id: str) -> None:
    shown = city_view.profile(
        frame.engine, frame.scope, city_id, as_of=frame.as_of, synthetic=frame.synthetic, lang=lang
    )
    render.title(shown.name)
    render.text(shown.facts)
    if shown.note:
        render.caption(shown.note)
    render.caption(shown.as_on)
    city_ui.locator(shown.locator)
    show_progress(shown.progress)
    show_iccc(shown.iccc)
    city_ui.projects(shown.projects, lang)
    render.subheader(shown.state_heading)
    if shown.state_figures is None:
        render.info(shown.state_message)
    else:
        render.display_table(shown.state_figures.frame, key=shown.state_figures.key, lang=lang)
    if shown.peers_heading:
        city_ui.round_peers(shown.peers_heading, shown.round_peers)
    st.divider()
    link("pages/iccc.py", shown.iccc_link, city=None, state=state_id(shown.state))
    link("pages/progress.py", shown.progress_link)
    render.button(
        _("Choose another city"), on_click=city_ui.set_city, args=(None,), key="city_clear"
    )
    render_brief_button(frame)


frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
if frame.scope.city_id:
    show_profile(frame.scope.city_id)
else:
    show_picker()
