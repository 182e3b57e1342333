"""Overview: the state of the mission at a glance, for officials."""

from __future__ import annotations

import streamlit as st

from smartcities import figures, fmt, metrics
from smartcities.schema import ROUNDS
from smartcities.ui import frame as frame_ui
from smartcities.ui import render
from smartcities.ui.brief import render_brief_button
from smartcities.views import area_of, scope_title

frame = frame_ui.current()
level, area_id, area_name = area_of(frame)

# --- query
latest = frame.engine.latest(frame.scope, levels=(level,))
latest = latest[latest["area_id"] == area_id]
rounds = frame.engine.latest(frame.scope, levels=("round",))
states_latest = frame.engine.latest(frame.scope, levels=("state",))
cities = frame.engine.cities(frame.scope)
city_latest = frame.engine.latest(frame.scope, levels=("city",))
iccc = frame.engine.iccc(frame.scope)

# --- render
st.title(f"Smart Cities Mission: {scope_title(frame)}")
st.caption(
    f"Figures as on **{fmt.as_on(frame.as_of)}** (each card shows its own reporting date). "
    f"{len(cities)} Smart Cities in this selection."
)
if latest.empty:
    st.info(
        f"No figures have been reported for {area_name} in this data set. Try the "
        "national view, or see the City profile and Data pages for what exists."
    )
else:
    render.kpi_grid([k for k in metrics.national_headlines(latest) if k.raw is not None])
    render.lazy_expander(
        "Sources of these figures",
        lambda: render.sources_table(latest["source_url"].tolist(), key="ov_sources"),
        key="ov_sources_box",
    )

left, right = st.columns(2)
with left:
    st.subheader("Progress by selection round")
    round_wide = metrics.wide_latest(
        rounds,
        [
            "cities_selected_count",
            "proposed_investment_inr_crore",
            "projects_taken_up_count",
            "projects_completed_count",
            "projects_completed_inr_crore",
        ],
    )
    if round_wide.empty:
        st.info("No round-level figures for this selection.")
    else:
        round_wide = round_wide.sort_values(
            "area_name", key=lambda s: s.map(lambda r: ROUNDS.index(r) if r in ROUNDS else 9)
        )
        render.display_table(
            round_wide.drop(columns=["area_id"]),
            units={c: m for c, m in metrics.units_of(round_wide).items()},
            key="ov_rounds",
        )
        st.caption("Rounds report different things at different dates; blanks mean not reported.")
with right:
    st.subheader("States and UTs")
    state_cols = [
        "smart_cities_count",
        "central_funds_released_inr_crore",
        "funds_utilised_inr_crore",
        "projects_taken_up_count",
        "projects_completed_count",
        "projects_ongoing_count",
    ]
    state_wide = metrics.wide_latest(states_latest, state_cols)
    if state_wide.empty:
        st.info("No state-level figures for this selection.")
    else:
        render.display_table(
            state_wide.drop(columns=["area_id"]).sort_values("area_name"),
            units=metrics.units_of(state_wide),
            key="ov_states",
        )

st.subheader("Cities needing attention")
lagging = metrics.lagging_cities(cities, iccc, city_latest, frame.as_of)
if lagging.empty:
    st.success("No city-level exception in the reported data for this selection.")
else:
    fig = figures.bar_counts(
        lagging,
        "reason",
        title="Cities with an exception, by reason",
        source="city-level reports and ICCC statements",
        as_of=frame.as_of,
        synthetic=frame.synthetic,
    )
    render.chart(fig, figures.describe_counts(lagging, "reason"), key="ov_lag_chart")
    render.display_table(lagging.drop(columns=["city_id"]), key="ov_lagging")
    st.caption("Only exceptions the data shows: a city with no report is not called lagging.")
render.page_links(
    [
        ("pages/progress.py", "Mission progress over time", frame.params()),
        ("pages/map.py", "Map of the cities", frame.params()),
        (
            "pages/coverage.py",
            "Data coverage: where figures exist, and where sources disagree",
            frame.params(),
        ),
        ("pages/data.py", "Download these figures", frame.params()),
    ]
)
render_brief_button(frame)
