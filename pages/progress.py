"""Mission progress, for analysts: the project funnel, its rates over time, funds, comparisons.

The page is split into tabs, and only the open tab runs (its queries and charts): a filter
change redraws one or two charts instead of seven. The open tab (``section``) and the page
options (``unit``, ``compare``) live in the URL beside the shared filters, so any view can be
shared; only non-default values are written, and a bad value warns and falls back.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from smartcities import figures, fmt, metrics, provenance
from smartcities.safe import md
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, METRICS, metric_unit_label
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.ui import progress as progress_ui
from smartcities.ui import projects as projects_ui
from smartcities.views import area_of, scope_title

DEFAULTS = {"section": "stages", "compare": "central_funds_released_inr_crore"}
FUNDS = ("central_funds_released_inr_crore", "funds_utilised_inr_crore")
EVENT_KINDS = ("selection", "deadline", "finance")


def show(fig: go.Figure, summary: str, key: str) -> None:
    render.chart(fig, summary, key=f"progress_{key}")


def sources(series: pd.DataFrame, metric_names: Sequence[str]) -> str:
    return figures.source_note(series.loc[series["metric"].isin(metric_names), "source_url"])


def reported(rows: pd.DataFrame, what: str, metric_names: Sequence[str]) -> bool:
    levels = frame.engine.distinct("progress", "level")
    return progress_ui.reported(rows, what, metric_names, area_name, levels)


def series_of(wanted: Sequence[str]) -> pd.DataFrame:
    return frame.engine.series(frame.scope, tuple(wanted), level=level, area_id=area_id)


def stages_section() -> None:
    unit = progress_ui.unit_choice()
    funnel = metrics.funnel_metrics(unit)
    render.subheader("From tender to completion")
    latest = frame.engine.latest(frame.scope, levels=(level,))  # shared with the Overview
    latest = latest.loc[latest["area_id"] == area_id]
    if not reported(latest, "project-stage", funnel):
        return
    stages = metrics.funnel_stages(latest, unit)
    title = f"Projects by stage, {area_name} ({metric_unit_label(funnel[0])})"
    source = figures.source_note(stages["source_url"])
    fig = figures.funnel_chart(latest, unit=unit, title=title, source=source, **common)
    show(fig.update_layout(height=380), metrics.describe_funnel(stages), "funnel")
    shown = stages.drop(columns=["metric", "as_of_date"]).rename(
        columns={"pct_of_previous": "share_of_previous"}
    )
    units = {"value": unit, "share_of_previous": "pct"}
    render.display_table(shown, units=units, key="progress_funnel_table")
    projects = frame.engine.projects(frame.scope)  # empty unless the data set lists projects
    projects_ui.funnel_breakdown(projects, unit=unit, area_name=area_name, **common)


def trend_section() -> None:
    unit = progress_ui.unit_choice()
    funnel = metrics.funnel_metrics(unit)
    render.subheader("Project stages and conversion rates over time")
    series = series_of(funnel)
    if not reported(series, "project-stage", funnel):
        return
    events = metrics.mission_events(frame.dataset.table("events"), EVENT_KINDS, frame.as_of)
    title, source = f"Project stages over time, {area_name}", sources(series, funnel)
    fig = figures.series_chart(series, funnel, title=title, source=source, events=events, **common)
    show(fig, figures.describe_series(series, funnel), "stages")
    rates = metrics.conversion_rates(series, unit)
    title = f"Conversion rates over time, {area_name}"
    fig = figures.rates_chart(rates, title=title, source=source, **common)
    show(fig, metrics.describe_rates(rates), "rates")


def funds_section() -> None:
    render.subheader("Central funds released and utilised")
    series = series_of(FUNDS)
    if not reported(series, "central-funds", FUNDS):
        return
    label = f"Central commitment {fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE)}"
    target = {"target": CENTRAL_COMMITMENT_INR_CRORE, "target_label": label}
    title, source = f"Central funds released and utilised, {area_name}", sources(series, FUNDS)
    extra = target if level == "national" else {}
    fig = figures.series_chart(series, FUNDS, title=title, source=source, **extra, **common)
    show(fig, figures.describe_series(series, FUNDS), "funds")
    use = metrics.utilisation_over_time(series)
    title = f"Utilisation of central funds, {area_name}"
    fig = figures.rates_chart(use, title=title, source=source, **common)
    show(fig, metrics.describe_rates(use), "utilisation")


def totals_section() -> None:
    """The two meanings of "projects total", never drawn as one line."""
    unit = progress_ui.unit_choice()
    totals = metrics.projects_total_meanings(unit)
    render.subheader("Projects proposed at selection vs projects taken up")
    render.info(metrics.PROJECTS_TOTAL_CAVEAT, icon=":material/call_split:")
    series = series_of(totals)
    if reported(series, "projects-total", totals):
        title = f"Two separate series: proposed vs taken up, {area_name}"
        source = sources(series, totals)
        fig = figures.series_chart(series, totals, title=title, source=source, **common)
        show(fig, figures.describe_series(series, totals), "totals")


def compare_section() -> None:
    render.subheader("Compare areas")
    city_state = frame.vocab.states.get(frame.vocab.city_state.get(frame.scope.city_id or "", ""))
    c_level, c_scope, what = metrics.comparison_scope(frame.scope, city_state)
    c_latest = frame.engine.latest(c_scope, levels=(c_level,))
    available = set(c_latest["metric"]) & set(metrics.COMPARABLE_METRICS)
    if not available:
        render.info(f"No figures to compare across {what} in this data set.")
        return
    compare = progress_ui.compare_choice(available, what, DEFAULTS["compare"])
    bars = c_latest[c_latest["metric"] == compare]
    title, source = f"{METRICS[compare].label}: {what}", figures.source_note(bars["source_url"])
    fig = figures.bar_by_area(bars, metric=compare, title=title, source=source, **common)
    show(fig, figures.describe_bars(bars, compare) + provenance.mixed_dates_note(bars), "bars")
    members = frame.engine.cities(c_scope)
    areas = members["city_name" if c_level == "city" else "state_ut"].drop_duplicates()
    render.caption(metrics.reporting_note(bars, sorted(areas.astype(str)), what))


frame = frame_ui.current()
level, area_id, area_name = area_of(frame)
common = {"as_of": frame.as_of, "synthetic": frame.synthetic}
render.title(f"Mission progress: {scope_title(frame)}")
render.caption(md("Figures for **{}** as on **{}**.", area_name, fmt.as_on(frame.as_of)))
SECTIONS = {
    "stages": ("Project stages", stages_section),
    "trend": ("Stages over time", trend_section),
    "funds": ("Central funds", funds_section),
    "totals": ("Proposed vs taken up", totals_section),
    "compare": ("Compare areas", compare_section),
}
options.tabs("progress", "section", SECTIONS, DEFAULTS["section"])
links = [("pages/city.py", "City profile"), ("pages/data.py", "Download these figures")]
render.page_links([(path, text, frame.params()) for path, text in links])
