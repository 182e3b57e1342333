"""Streamlit blocks for the projects table: the City profile's list, the funnel's breakdown.

What they show is computed by :mod:`smartcities.projects_view`; these functions only lay it
out. Text from the data (project names, sectors) goes into dataframe cells, never Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import fmt, projects_view
from smartcities.ui import options, render

BY_DEFAULT = "none"


def city_block(projects: pd.DataFrame, city_name: str) -> None:
    """The city's projects by stage and sector, then each project with progress, cost, dates."""
    if projects.empty:
        return
    render.subheader(f"Projects ({fmt.count(len(projects))})")
    updated = pd.to_datetime(projects.get("updated_on", pd.Series(dtype="object"))).max()
    when = f" Records last updated on {fmt.as_on(updated)}." if pd.notna(updated) else ""
    render.caption(
        f"Projects of {city_name} in the projects table, by their latest stage.{when} Cost is "
        "the work-order cost where there is one, else the estimated cost (see 'Cost basis')."
    )
    iccc = projects_view.iccc_projects(projects)
    if iccc:
        # Project names are the file's text: escaped by the render helper, never Markdown.
        render.caption("ICCC project in the list: " + "; ".join(iccc) + ".")
    units = {"projects": "count", "cost_inr_crore": "inr_crore"}
    summary = projects_view.by_stage_and_sector(projects)
    render.display_table(summary, units=units, key="city_projects")
    render.display_table(
        projects_view.city_projects(projects),
        units=projects_view.LIST_UNITS,
        key="city_project_list",
    )


def funnel_breakdown(
    projects: pd.DataFrame,
    *,
    unit: str,
    area_name: str,
    as_of: pd.Timestamp | None,
    synthetic: bool,
) -> None:
    """The funnel by sector or by area-based vs pan-city, when the data set has projects.

    The choice is the page option ``by`` in the URL (default: no breakdown)."""
    if projects.empty:
        return
    choices = tuple(projects_view.BREAKDOWNS)
    key = options.page_option("progress", "by", choices, BY_DEFAULT)
    by = st.segmented_control(
        "Break the funnel down by (from the projects table)",
        choices,
        format_func=projects_view.BREAKDOWNS.get,
        key=key,
        required=True,
    )
    options.set_page_option("progress", "by", by, BY_DEFAULT)
    if by == BY_DEFAULT:
        return
    table = projects_view.funnel_breakdown(projects, by, unit, as_of)
    label = projects_view.BREAKDOWNS[by].lower()
    title = f"Projects reaching each stage by {label}, {area_name}"
    fig = projects_view.breakdown_chart(
        table, unit=unit, title=title, as_of=as_of, synthetic=synthetic
    )
    render.chart(fig, projects_view.describe_breakdown(table, unit, by), key="progress_breakdown")
    units = {stage: unit for stage in projects_view.FUNNEL}
    render.display_table(table, units=units, key="progress_breakdown_table")
