"""City profile: everything the data set says about one Smart City, with its sources.

Most cities have few or no city-level figures in the public record; the page says so plainly
and shows the state's figures and the city's round peers for context.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import cityprofile, fmt
from smartcities.dataset import place_name
from smartcities.i18n import gettext
from smartcities.query import Scope, state_id
from smartcities.safe import join, md
from smartcities.ui import city as city_ui
from smartcities.ui import frame as frame_ui
from smartcities.ui import projects as projects_ui
from smartcities.ui import render
from smartcities.ui.brief import render_brief_button


def link(path: str, label: str, **params: str | None) -> None:
    render.page_links([(path, label, frame.params(**params))])


def figures_table(rows: pd.DataFrame, key: str) -> None:
    """Reported figures (long rows), newest first: value, date with its basis, checks, source."""
    render.display_table(cityprofile.figures_table(rows, rows, lang), key=key, lang=lang)


def progress_block(name: str, city_id: str) -> None:
    """The city's cards, timeline, peers and every figure (see smartcities.cityprofile)."""
    rows = frame.engine.progress(frame.scope, levels=("city",))
    if rows.empty:
        render.info(
            _("No progress figures have been reported for {name} in this data set.").format(
                name=name
            )
        )
        link("pages/coverage.py", _("Which cities have figures: Data coverage"), city=None)
        return
    latest = frame.engine.latest(frame.scope, levels=("city",))
    render.kpi_grid(cityprofile.cards(latest, lang), lang=lang)
    chart = cityprofile.timeline_chart(
        rows, name, as_of=frame.as_of, synthetic=frame.synthetic, lang=lang
    )
    if chart is not None:
        render.chart(*chart, key="city_line")
    everyone = frame.engine.latest(Scope(as_of=frame.scope.as_of), levels=("city",))
    cities = frame.engine.cities(Scope())
    peer_table = cityprofile.peers(city_id, cities, everyone, lang)
    if not peer_table.empty:
        render.text(md(_("**How {} compares** with the cities of its round and its state"), name))
        render.display_table(peer_table, key="city_peers_table", link_columns=(), lang=lang)
        render.caption(_(cityprofile.PEERS_CAPTION))
    figures_table(rows, "city_progress")


def picker() -> None:
    render.title(_("City profile"))
    cities = frame.engine.cities(frame.scope).sort_values("city_name")
    if cities.empty:
        render.info(
            _("No city matches the filters. Clear the state or round filter in the sidebar.")
        )
        return
    names = {c: place_name("city", n, lang) for c, n in zip(cities["city_id"], cities["city_name"])}
    st.selectbox(
        render.label_text(
            _("Choose one of the {n} cities of this selection").format(n=fmt.count(len(cities)))
        ),
        list(names),
        index=None,
        format_func=names.__getitem__,
        key="city_pick",
        on_change=lambda: city_ui.set_city(st.session_state.get("city_pick")),
        placeholder=_("Type a city name"),
    )
    shown = cityprofile.city_list(cities, lang)
    render.display_table(shown, key="city_list", lang=lang)


def profile(city_id: str) -> None:
    city = frame.engine.cities(Scope(city_id=city_id)).iloc[0]
    name, state = str(city["city_name"]), str(city["state_ut"])
    rnd = None if pd.isna(city["selection_round"]) else str(city["selection_round"])
    iccc_rows = frame.engine.iccc(Scope(city_id=city_id, as_of=frame.scope.as_of))
    state_scope = Scope(state_ut=state, as_of=frame.scope.as_of)
    state_latest = frame.engine.latest(state_scope, levels=("state",))
    projects = frame.engine.projects(Scope(city_id=city_id))

    shown_name, shown_state = place_name("city", name, lang), place_name("state", state, lang)
    render.title(shown_name)
    facts = [md("**{}**", shown_state), md("**{}**", _(rnd) if rnd else _("round not known"))]
    if pd.notna(city["selection_date"]):
        facts.append(_("selected on {date}").format(date=fmt.as_on(city["selection_date"], lang)))
    if pd.notna(city.get("selection_name")) and city["selection_name"] != name:
        facts.append(_("selected as {name}").format(name=city["selection_name"]))
    render.text(join(" · ", facts))
    if pd.notna(city.get("note")):
        render.caption(str(city["note"]))
    render.caption(md(_("Figures as on **{}**."), fmt.as_on(frame.as_of, lang)))

    city_ui.locator(city, synthetic=frame.synthetic, lang=frame.lang)

    render.subheader(_("Progress reported for the city"))
    progress_block(shown_name, city_id)

    city_ui.iccc_section(iccc_rows, shown_name, as_of=frame.as_of, lang=lang)

    projects_ui.city_block(projects, shown_name, lang)

    render.subheader(_("{state}: latest state figures").format(state=shown_state))
    if state_latest.empty:
        render.info(
            _("No state-level figures have been reported for {state} in this data set.").format(
                state=shown_state
            )
        )
    else:
        figures_table(state_latest, "city_state")

    if rnd:
        peers = frame.engine.cities(Scope(round=rnd)).sort_values("city_name")
        city_ui.round_peers(peers[peers["city_id"] != city_id], rnd, state, lang=lang)

    st.divider()
    link(
        "pages/iccc.py",
        _("ICCC rollout in {state}").format(state=shown_state),
        city=None,
        state=state_id(state),
    )
    link("pages/progress.py", _("Mission progress: {name}").format(name=shown_name))
    render.button(
        _("Choose another city"), on_click=city_ui.set_city, args=(None,), key="city_clear"
    )
    render_brief_button(frame)


frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
if frame.scope.city_id:
    profile(frame.scope.city_id)
else:
    picker()
