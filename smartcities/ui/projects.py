"""Streamlit blocks for the projects table: the City profile's list, the funnel's breakdown.

What they show is computed by :mod:`smartcities.projects_view`; these functions only lay it
out. Text from the data (project names, sectors) goes into dataframe cells, never Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import fmt, projects_view
from smartcities.i18n import DEFAULT_LANG, gettext
from smartcities.query import Engine, Scope
from smartcities.ui import options, render

BY_DEFAULT = "none"


def city_block(projects: pd.DataFrame, city_name: str, lang: str = DEFAULT_LANG) -> None:
    """The city's projects by stage and sector, then each project with progress, cost, dates
    (``city_name`` as shown, in ``lang``)."""
    if projects.empty:
        return
    _ = gettext(lang)
    render.subheader(_("Projects ({n})").format(n=fmt.count(len(projects))))
    updated = pd.to_datetime(projects.get("updated_on", pd.Series(dtype="object"))).max()
    when = (
        " " + _("Records last updated on {date}.").format(date=fmt.as_on(updated, lang))
        if pd.notna(updated)
        else ""
    )
    render.caption(
        _("Projects of {city} in the projects table, by their latest stage.").format(city=city_name)
        + when
        + " "
        + _(
            "Cost is the work-order cost where there is one, else the estimated cost (see "
            "'Cost basis')."
        )
    )
    iccc = projects_view.iccc_projects(projects, lang)
    if iccc:
        # Project names are the file's text: escaped by the render helper, never Markdown.
        render.caption(_("ICCC project in the list: {projects}.").format(projects="; ".join(iccc)))
    units = {"projects": "count", "cost_inr_crore": "inr_crore"}
    summary = projects_view.by_stage_and_sector(projects, lang)
    render.display_table(summary, units=units, key="city_projects", lang=lang)
    render.display_table(
        projects_view.city_projects(projects, lang),
        units=projects_view.LIST_UNITS,
        key="city_project_list",
        lang=lang,
    )


def funnel_breakdown(
    engine: Engine,
    scope: Scope,
    *,
    unit: str,
    area_name: str,
    as_of: pd.Timestamp | None,
    synthetic: bool,
    lang: str = DEFAULT_LANG,
) -> None:
    """The funnel by sector or by area-based vs pan-city, when the data set has projects.

    The choice is the page option ``by`` in the URL (default: no breakdown). The table is
    summed in SQL (:meth:`~smartcities.query.Engine.funnel_breakdown`): at a million projects,
    reading every project's columns took the server from 0.3 to 2 GB on each page open."""
    if not engine.has_projects(scope):
        return
    _ = gettext(lang)
    choices = tuple(projects_view.BREAKDOWNS)
    key = options.page_option("progress", "by", choices, BY_DEFAULT)
    by = st.segmented_control(
        render.label_text(_("Break the funnel down by (from the projects table)")),
        choices,
        format_func=lambda b: _(projects_view.BREAKDOWNS[b]),
        key=key,
        required=True,
    )
    options.set_page_option("progress", "by", by, BY_DEFAULT)
    if by == BY_DEFAULT:
        return
    sums = engine.funnel_breakdown(scope, by, unit, as_of)
    table = projects_view.funnel_from_sums(sums, by, lang)
    label = _(projects_view.BREAKDOWNS[by]).lower()
    title = _("Projects reaching each stage by {what}, {area}").format(what=label, area=area_name)
    fig = projects_view.breakdown_chart(
        table, unit=unit, title=title, as_of=as_of, synthetic=synthetic, lang=lang
    )
    summary = projects_view.describe_breakdown(table, unit, by, lang)
    render.chart(fig, summary, key="progress_breakdown")
    units = {stage: unit for stage in projects_view.FUNNEL}
    render.display_table(table, units=units, key="progress_breakdown_table", lang=lang)
