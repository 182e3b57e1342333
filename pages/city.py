"""City profile: everything the data set says about one Smart City, with its sources.

Most cities have few or no city-level figures in the public record; the page says so plainly
and shows the state's figures and the city's round peers for context.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import boundaries, cityprofile, fmt, iccc, maps
from smartcities.query import Scope, state_id
from smartcities.safe import join, md
from smartcities.ui import frame as frame_ui
from smartcities.ui import projects as projects_ui
from smartcities.ui import render
from smartcities.ui.brief import render_brief_button

CITY_WIDGET = frame_ui.W["city"]


def set_city(city_id: str | None, state: str | None = None) -> None:
    """Callback: set the shared city filter (and state filter, if given); the frame then writes
    them to the URL."""
    st.session_state[CITY_WIDGET] = city_id or ""
    if state is not None:
        st.session_state[frame_ui.W["state"]] = state


def link(path: str, label: str, **params: str | None) -> None:
    render.page_links([(path, label, frame.params(**params))])


def figures_table(rows: pd.DataFrame, key: str) -> None:
    """Reported figures (long rows), newest first: value, date with its basis, checks, source."""
    render.display_table(cityprofile.figures_table(rows, rows), key=key)


def progress_block(name: str, city_id: str) -> None:
    """The city's cards, timeline, peers and every figure (see smartcities.cityprofile)."""
    rows = frame.engine.progress(frame.scope, levels=("city",))
    if rows.empty:
        render.info(f"No progress figures have been reported for {name} in this data set.")
        link("pages/coverage.py", "Which cities have figures: Data coverage", city=None)
        return
    latest = frame.engine.latest(frame.scope, levels=("city",))
    render.kpi_grid(cityprofile.cards(latest))
    chart = cityprofile.timeline_chart(rows, name, as_of=frame.as_of, synthetic=frame.synthetic)
    if chart is not None:
        render.chart(*chart, key="city_line")
    everyone = frame.engine.latest(Scope(as_of=frame.scope.as_of), levels=("city",))
    cities = frame.engine.cities(Scope())
    peer_table = cityprofile.peers(city_id, cities, everyone)
    if not peer_table.empty:
        render.text(md("**How {} compares** with the cities of its round and its state", name))
        render.display_table(peer_table, key="city_peers_table", link_columns=())
        render.caption(cityprofile.PEERS_CAPTION)
    figures_table(rows, "city_progress")


def picker() -> None:
    render.title("City profile")
    cities = frame.engine.cities(frame.scope).sort_values("city_name")
    if cities.empty:
        render.info("No city matches the filters. Clear the state or round filter in the sidebar.")
        return
    names = dict(zip(cities["city_id"], cities["city_name"], strict=True))
    st.selectbox(
        render.label_text(f"Choose one of the {fmt.count(len(cities))} cities of this selection"),
        list(names),
        index=None,
        format_func=names.__getitem__,
        key="city_pick",
        on_change=lambda: set_city(st.session_state.get("city_pick")),
        placeholder="Type a city name",
    )
    shown = cities[["city_name", "state_ut", "selection_round", "selection_date"]]
    render.display_table(shown, key="city_list")


def profile(city_id: str) -> None:
    city = frame.engine.cities(Scope(city_id=city_id)).iloc[0]
    name, state = str(city["city_name"]), str(city["state_ut"])
    rnd = None if pd.isna(city["selection_round"]) else str(city["selection_round"])
    iccc_rows = frame.engine.iccc(Scope(city_id=city_id, as_of=frame.scope.as_of))
    state_scope = Scope(state_ut=state, as_of=frame.scope.as_of)
    state_latest = frame.engine.latest(state_scope, levels=("state",))
    projects = frame.engine.projects(Scope(city_id=city_id))

    render.title(name)
    facts = [md("**{}**", state), md("**{}**", rnd or "round not known")]
    if pd.notna(city["selection_date"]):
        facts.append(f"selected on {fmt.as_on(city['selection_date'])}")
    if pd.notna(city.get("selection_name")) and city["selection_name"] != name:
        facts.append(f"selected as {city['selection_name']}")
    render.text(join(" · ", facts))
    if pd.notna(city.get("note")):
        render.caption(str(city["note"]))
    render.caption(md("Figures as on **{}**.", fmt.as_on(frame.as_of)))

    # Locator map (issue 13): the city's state/UT shaded and the city marked, drawn offline.
    locator = maps.locator_figure(city, boundaries.bundled_shapes(), synthetic=frame.synthetic)
    alt = maps.locator_text(city)
    st.columns([1, 2])[0].plotly_chart(locator, key="locator", config=maps.STATIC, alt=alt)

    render.subheader("Progress reported for the city")
    progress_block(name, city_id)

    render.subheader("Integrated Command and Control Centre")
    status = iccc.iccc_status(iccc_rows)
    if status.empty:
        render.info(f"No ICCC stage is on record for {name} by {fmt.as_on(frame.as_of)}.")
    else:
        s = status.iloc[0]
        bound = s["date_basis"] == "on_or_before"
        when = fmt.dated(s["stage_date"], s["date_basis"])
        render.text(md("**{}** {}.", iccc.STAGE_LABELS.get(s["stage"], s["stage"]), when))
        if bound:
            render.caption(
                "The actual date is not published: a national statement says every ICCC was "
                "operational by this date."
            )
        history = iccc.label_stages(
            iccc_rows[["stage", "stage_date", "date_basis", "source_url", "note"]]
        )
        render.display_table(history.fillna({"note": ""}), key="city_iccc")

    projects_ui.city_block(projects, name)

    render.subheader(f"{state}: latest state figures")
    if state_latest.empty:
        render.info(f"No state-level figures have been reported for {state} in this data set.")
    else:
        figures_table(state_latest, "city_state")

    if rnd:
        peers = frame.engine.cities(Scope(round=rnd)).sort_values("city_name")
        peers = peers[peers["city_id"] != city_id]
        render.subheader(f"Other cities of {rnd} ({fmt.count(len(peers))})")
        cols = st.columns(4)
        for i, peer in enumerate(peers.itertuples(index=False)):
            # Buttons, not links to this same page: such a link leaves the browser's address bar
            # unchanged, and the next rerun would read the old city back from it.
            move = (peer.city_id, None if peer.state_ut == state else "")
            render.button(
                peer.city_name,
                where=cols[i % 4],
                key=f"city_peer_{peer.city_id}",
                on_click=set_city,
                args=move,
            )

    st.divider()
    link("pages/iccc.py", f"ICCC rollout in {state}", city=None, state=state_id(state))
    link("pages/progress.py", f"Mission progress: {name}")
    render.button("Choose another city", on_click=set_city, args=(None,), key="city_clear")
    render_brief_button(frame)


frame = frame_ui.current()
if frame.scope.city_id:
    profile(frame.scope.city_id)
else:
    picker()
