"""Mission progress, for analysts: the project funnel, its rates over time, funds, comparisons.

Page options (``unit``, ``compare``) live in the URL beside the shared filters, so any view can
be shared; only non-default values are written, and a bad value warns and falls back.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from smartcities import figures, fmt, metrics, provenance
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, METRICS, metric_unit_label
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.views import area_of, scope_title

UNITS = {"count": "Number of projects", "inr": "Value (₹ crore)"}
DEFAULTS = {"unit": "count", "compare": "central_funds_released_inr_crore"}
FUNDS = ("central_funds_released_inr_crore", "funds_utilised_inr_crore")
EVENT_KINDS = ("selection", "deadline", "finance")


def show(fig: go.Figure, summary: str, key: str) -> None:
    render.chart(fig, summary, key=f"progress_{key}")


def sources(metric_names: Sequence[str]) -> str:
    return figures.source_note(series.loc[series["metric"].isin(metric_names), "source_url"])


def reported(what: str, metric_names: Sequence[str]) -> bool:
    """Whether the area has any such figures; if not, say so once rather than draw empty charts."""
    if series["metric"].isin(metric_names).any():
        return True
    st.info(metrics.no_figures_message(what, area_name, frame.dataset.progress["level"]))
    return False


frame = frame_ui.current()
level, area_id, area_name = area_of(frame)
st.title(f"Mission progress: {scope_title(frame)}")
st.caption(f"Figures for **{area_name}** as on **{fmt.as_on(frame.as_of)}**.")
unit_key = options.page_option("progress", "unit", tuple(UNITS), DEFAULTS["unit"])
choice = st.segmented_control(
    "Measure projects by", tuple(UNITS), format_func=UNITS.get, key=unit_key, required=True
)
options.set_page_option("progress", "unit", choice, DEFAULTS["unit"])
unit = "inr_crore" if choice == "inr" else "count"
funnel, totals = metrics.funnel_metrics(unit), metrics.projects_total_meanings(unit)

# --- query
latest = frame.engine.latest(frame.scope, levels=(level,)).loc[lambda d: d["area_id"] == area_id]
wanted = (*funnel, *FUNDS, *totals)
series = frame.engine.series(frame.scope, wanted, level=level, area_id=area_id)
events = metrics.mission_events(frame.dataset.table("events"), EVENT_KINDS, frame.as_of)
stages = metrics.funnel_stages(latest, unit)
rates = metrics.conversion_rates(series, unit)
use = metrics.utilisation_over_time(series)
common = {"as_of": frame.as_of, "synthetic": frame.synthetic}

# --- the funnel and its rates
st.subheader("From tender to completion")
if reported("project-stage", funnel):
    title = f"Projects by stage, {area_name} ({metric_unit_label(funnel[0])})"
    source = figures.source_note(stages["source_url"])
    fig = figures.funnel_chart(latest, unit=unit, title=title, source=source, **common)
    show(fig.update_layout(height=380), metrics.describe_funnel(stages), "funnel")
    shown = stages.drop(columns=["metric"]).rename(columns={"pct_of_previous": "share_of_previous"})
    units = {"value": unit, "share_of_previous": "pct"}
    render.display_table(shown, units=units, key="progress_funnel_table")
    title, source = f"Project stages over time, {area_name}", sources(funnel)
    fig = figures.series_chart(series, funnel, title=title, source=source, events=events, **common)
    show(fig, figures.describe_series(series, funnel), "stages")
    title = f"Conversion rates over time, {area_name}"
    fig = figures.rates_chart(rates, title=title, source=source, **common)
    show(fig, metrics.describe_rates(rates), "rates")

# --- funds
st.subheader("Central funds released and utilised")
if reported("central-funds", FUNDS):
    label = f"Central commitment {fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE)}"
    target = {"target": CENTRAL_COMMITMENT_INR_CRORE, "target_label": label}
    title, source = f"Central funds released and utilised, {area_name}", sources(FUNDS)
    extra = target if level == "national" else {}
    fig = figures.series_chart(series, FUNDS, title=title, source=source, **extra, **common)
    show(fig, figures.describe_series(series, FUNDS), "funds")
    title = f"Utilisation of central funds, {area_name}"
    fig = figures.rates_chart(use, title=title, source=source, **common)
    show(fig, metrics.describe_rates(use), "utilisation")

# --- the two meanings of "projects total"
st.subheader("Projects proposed at selection vs projects taken up")
st.info(metrics.PROJECTS_TOTAL_CAVEAT, icon=":material/call_split:")
if reported("projects-total", totals):
    title = f"Two separate series: proposed vs taken up, {area_name}"
    fig = figures.series_chart(series, totals, title=title, source=sources(totals), **common)
    show(fig, figures.describe_series(series, totals), "totals")

# --- comparison across areas
st.subheader("Compare areas")
city_state = frame.vocab.states.get(frame.vocab.city_state.get(frame.scope.city_id or "", ""))
c_level, c_scope, what = metrics.comparison_scope(frame.scope, city_state)
c_latest = frame.engine.latest(c_scope, levels=(c_level,))
available = set(c_latest["metric"]) & set(metrics.COMPARABLE_METRICS)
if not available:
    st.info(f"No figures to compare across {what} in this data set.")
else:
    choices = tuple(sorted(metrics.COMPARABLE_METRICS, key=lambda m: METRICS[m].label))
    compare = st.selectbox(
        f"Metric to compare across {what}",
        choices,
        key=options.page_option("progress", "compare", choices, DEFAULTS["compare"]),
        format_func=lambda m: METRICS[m].label + ("" if m in available else " (not reported here)"),
    )
    options.set_page_option("progress", "compare", compare, DEFAULTS["compare"])
    bars = c_latest[c_latest["metric"] == compare]
    title, source = f"{METRICS[compare].label}: {what}", figures.source_note(bars["source_url"])
    fig = figures.bar_by_area(bars, metric=compare, title=title, source=source, **common)
    show(fig, figures.describe_bars(bars, compare) + provenance.mixed_dates_note(bars), "bars")
links = [("pages/city.py", "City profile"), ("pages/data.py", "Download these figures")]
render.page_links([(path, text, frame.params()) for path, text in links])
