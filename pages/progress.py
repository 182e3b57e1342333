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

from smartcities import figures, fmt, metrics
from smartcities.i18n import gettext
from smartcities.safe import md, trusted
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, metric_unit_label
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.ui import progress as progress_ui
from smartcities.ui import projects as projects_ui
from smartcities.views import area_label, area_of, scope_title

DEFAULTS = {"section": "stages", "compare": "central_funds_released_inr_crore"}
FUNDS = ("central_funds_released_inr_crore", "funds_utilised_inr_crore")
EVENT_KINDS = ("selection", "deadline", "finance")


def show(fig: go.Figure, summary: str, key: str) -> None:
    render.chart(fig, summary, key=f"progress_{key}")


def sources(series: pd.DataFrame, metric_names: Sequence[str]) -> str:
    urls = series.loc[series["metric"].isin(metric_names), "source_url"]
    return figures.source_note(urls, lang=lang)


def reported(rows: pd.DataFrame, what: str, metric_names: Sequence[str]) -> bool:
    levels = frame.engine.distinct("progress", "level")
    return progress_ui.reported(rows, what, metric_names, shown_area, levels, lang)


def series_of(wanted: Sequence[str]) -> pd.DataFrame:
    return frame.engine.series(frame.scope, tuple(wanted), level=level, area_id=area_id)


def stages_section() -> None:
    unit = progress_ui.unit_choice(lang)
    funnel = metrics.funnel_metrics(unit)
    render.subheader(_("From tender to completion"))
    latest = frame.engine.latest(frame.scope, levels=(level,))  # shared with the Overview
    latest = latest.loc[latest["area_id"] == area_id]
    if not reported(latest, "project-stage", funnel):
        return
    stages = metrics.funnel_stages(latest, unit, lang)
    unit_text = figures.unit_label(metric_unit_label(funnel[0]), lang)
    title = _("Projects by stage, {area} ({unit})").format(area=shown_area, unit=unit_text)
    source = figures.source_note(stages["source_url"], lang=lang)
    fig = figures.funnel_chart(latest, unit=unit, title=title, source=source, **common)
    show(fig.update_layout(height=380), metrics.describe_funnel(stages, lang), "funnel")
    shown = stages.drop(columns=["metric", "as_of_date"]).rename(
        columns={"pct_of_previous": "share_of_previous"}
    )
    units = {"value": unit, "share_of_previous": "pct"}
    render.display_table(shown, units=units, key="progress_funnel_table", lang=lang)
    # Only when the data set lists projects (summed in SQL, never read whole).
    projects_ui.funnel_breakdown(
        frame.engine, frame.scope, unit=unit, area_name=shown_area, **common
    )


def trend_section() -> None:
    unit = progress_ui.unit_choice(lang)
    funnel = metrics.funnel_metrics(unit)
    render.subheader(_("Project stages and conversion rates over time"))
    series = series_of(funnel)
    if not reported(series, "project-stage", funnel):
        return
    events = metrics.mission_events(frame.dataset.table("events"), EVENT_KINDS, frame.as_of)
    title = _("Project stages over time, {area}").format(area=shown_area)
    source = sources(series, funnel)
    fig = figures.series_chart(series, funnel, title=title, source=source, events=events, **common)
    show(fig, figures.describe_series(series, funnel, lang), "stages")
    rates = metrics.conversion_rates(series, unit, lang)
    title = _("Conversion rates over time, {area}").format(area=shown_area)
    fig = figures.rates_chart(rates, title=title, source=source, **common)
    show(fig, metrics.describe_rates(rates, lang), "rates")


def funds_section() -> None:
    render.subheader(_("Central funds released and utilised"))
    series = series_of(FUNDS)
    if not reported(series, "central-funds", FUNDS):
        return
    commitment = fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE, lang=lang)
    label = _("Central commitment {amount}").format(amount=commitment)
    target = {"target": CENTRAL_COMMITMENT_INR_CRORE, "target_label": label}
    title = _("Central funds released and utilised, {area}").format(area=shown_area)
    source, extra = sources(series, FUNDS), target if level == "national" else {}
    fig = figures.series_chart(series, FUNDS, title=title, source=source, **extra, **common)
    show(fig, figures.describe_series(series, FUNDS, lang), "funds")
    use = metrics.utilisation_over_time(series, lang)
    title = _("Utilisation of central funds, {area}").format(area=shown_area)
    fig = figures.rates_chart(use, title=title, source=source, **common)
    show(fig, metrics.describe_rates(use, lang), "utilisation")


def totals_section() -> None:
    """The two meanings of "projects total", never drawn as one line."""
    unit = progress_ui.unit_choice(lang)
    totals = metrics.projects_total_meanings(unit)
    render.subheader(_("Projects proposed at selection vs projects taken up"))
    render.info(trusted(_(metrics.PROJECTS_TOTAL_CAVEAT)), icon=":material/call_split:")
    series = series_of(totals)
    if reported(series, "projects-total", totals):
        title = _("Two separate series: proposed vs taken up, {area}").format(area=shown_area)
        source = sources(series, totals)
        fig = figures.series_chart(series, totals, title=title, source=source, **common)
        show(fig, figures.describe_series(series, totals, lang), "totals")


def compare_section() -> None:
    render.subheader(_("Compare areas"))
    progress_ui.compare_areas(frame, DEFAULTS["compare"], show, common)


frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
level, area_id, area_name = area_of(frame)
shown_area = area_label(level, area_name, lang)
common = {"as_of": frame.as_of, "synthetic": frame.synthetic, "lang": lang}
render.title(_("Mission progress: {selection}").format(selection=scope_title(frame, lang)))
render.caption(md(_("Figures for **{}** as on **{}**."), shown_area, fmt.as_on(frame.as_of, lang)))
SECTIONS = {
    "stages": (_("Project stages"), stages_section),
    "trend": (_("Stages over time"), trend_section),
    "funds": (_("Central funds"), funds_section),
    "totals": (_("Proposed vs taken up"), totals_section),
    "compare": (_("Compare areas"), compare_section),
}
options.tabs("progress", "section", SECTIONS, DEFAULTS["section"])
links = [("pages/city.py", _("City profile")), ("pages/data.py", _("Download these figures"))]
render.page_links([(path, text, frame.params()) for path, text in links])
