"""ICCC rollout: how the 100 Integrated Command and Control Centres came into operation.

The national count comes from ministers' statements and replies; the per-city record is thin
(dated reports for a few cities, then one "all 100 operational" statement), so the page keeps
the two apart and says which dates are only upper bounds. The three parts are tabs and only
the open one runs; the open tab is in the URL (``section=``).
"""

from __future__ import annotations

from smartcities import figures, fmt, iccc, metrics, provenance
from smartcities.iccc import ICCC_STAGE_METRICS
from smartcities.query import Scope
from smartcities.safe import md
from smartcities.schema import METRICS
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.views import scope_title

frame = frame_ui.current()
national_scope = Scope(as_of=frame.scope.as_of)
filtered = any((frame.scope.state_ut, frame.scope.round, frame.scope.city_id))

# --- query
national_rows = frame.engine.progress(
    national_scope, levels=("national",), metrics=ICCC_STAGE_METRICS
)
national_latest = frame.engine.latest(
    national_scope, levels=("national",), metrics=ICCC_STAGE_METRICS
)
cities = frame.engine.cities(frame.scope)
iccc_rows = frame.engine.iccc(frame.scope)

# --- derive
primary, others = provenance.split_sources(national_rows)
operational = primary[primary["metric"] == "iccc_operational_count"]
status = iccc.iccc_status(iccc_rows)
bounded = status[status["date_basis"] == "on_or_before"]

# --- render
render.title(f"ICCC rollout: {scope_title(frame)}")
render.caption(
    md(
        "Integrated Command and Control Centres (ICCCs) link a city's traffic, surveillance, "
        "utility and emergency systems. Target: all 100 Smart Cities. Figures as on **{}**.",
        fmt.as_on(frame.as_of),
    )
)
render.kpi_grid(iccc.iccc_kpis(national_latest, status, len(cities)), columns=4)

OPS = ["iccc_operational_count"]
common = {"as_of": frame.as_of, "synthetic": frame.synthetic}


def national_section() -> None:
    render.subheader("National count against the target of 100")
    if filtered:
        render.caption("This chart is always national: the filters narrow the City by city tab.")
    kinds = ("iccc", "selection", "deadline")
    events = metrics.mission_events(frame.dataset.table("events"), kinds, frame.as_of)
    fig = figures.series_chart(
        operational,
        OPS,
        title="ICCCs operational, all India (number of cities)",
        source=figures.source_note(national_rows["source_url"]),
        events=events,
        target=100,
        target_label="Target: 100 cities",
        **common,
    )
    figures.add_alternatives(fig, others, OPS)
    render.chart(fig, figures.describe_series(operational, OPS), key="iccc_national")


def stages_section() -> None:
    render.subheader("Stages as reported")
    reports = iccc.stage_reports(national_rows)
    if reports.empty:
        render.info("No national report in this data set gives a breakdown of ICCCs by stage.")
    else:
        title = "ICCCs by stage in each report that gives a breakdown (national)"
        fig = figures.stage_reports_chart(reports, ICCC_STAGE_METRICS, title=title, **common)
        text = figures.describe_stage_reports(reports, ICCC_STAGE_METRICS)
        render.chart(fig, text, key="iccc_stages")
    conflicts = provenance.source_conflicts(national_rows)
    if not conflicts.empty:
        render.warning(
            f"Sources disagree on {conflicts['as_of_date'].nunique()} date(s); both figures are "
            "shown (hollow diamonds in the national count, one bar per source here) and neither "
            "is preferred.",
            icon=":material/compare_arrows:",
        )
        conflicts["metric"] = conflicts["metric"].map(lambda m: METRICS[m].label)
        render.display_table(conflicts, units={"value": "count"}, key="iccc_conflicts")


def cities_section() -> None:
    render.subheader("City by city")
    if not bounded.empty:
        render.info(
            f"For {fmt.count(len(bounded))} of these {fmt.count(len(status))} cities the "
            "public record only says the ICCC was operational by "
            f"{fmt.as_on(bounded['stage_date'].max())} at the latest (date basis 'on or "
            "before'): it comes from a national statement that all ICCCs were operational, and "
            "the actual go-live dates were not published. The other cities' dates are reported.",
            icon=":material/event_upcoming:",
        )
    if len(status):
        shown = iccc.label_stages(status.drop(columns=["city_id"])).fillna({"note": ""})
        render.display_table(shown, key="iccc_cities")
    if len(cities) > len(status):
        render.info(
            f"{fmt.count(len(cities) - len(status))} of the {fmt.count(len(cities))} cities of "
            f"this selection have no ICCC stage on record by {fmt.as_on(frame.as_of)}."
        )

    render.subheader("Cities known operational over time")
    cumulative = iccc.iccc_cumulative(iccc_rows)
    national_line = None if filtered else operational
    urls = [
        *iccc_rows["source_url"],
        *([] if national_line is None else national_line["source_url"]),
    ]
    fig = figures.iccc_timeline_chart(
        cumulative,
        national_line,
        title="Cities with an operational ICCC: per-city record"
        + ("" if filtered else " vs national"),
        source=figures.source_note(urls),
        target=None if filtered else 100,
        **common,
    )
    render.chart(
        fig, figures.describe_iccc_timeline(cumulative, national_line), key="iccc_timeline"
    )
    if not bounded.empty:
        render.caption(
            "The gap between the two is cities whose go-live date was never published city by city."
        )
    if filtered:
        render.caption("The national count is left out while a filter is set.")


SECTIONS = {
    "national": ("National count", national_section),
    "stages": ("Stages as reported", stages_section),
    "cities": ("City by city", cities_section),
}
options.tabs("iccc", "section", SECTIONS, "national")
render.page_links(
    [
        ("pages/city.py", "City profile", frame.params()),
        ("pages/progress.py", "Mission progress", frame.params()),
        ("pages/data.py", "Download the ICCC table", frame.params()),
    ]
)
