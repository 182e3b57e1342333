"""Streamlit blocks for the projects table: the City profile's list, the funnel breakdown's choice.

What they show is computed by :mod:`smartcities.projects_view`; these functions only lay it
out. Text from the data (project names, sectors) goes into dataframe cells, never Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartcities import fmt, projects_view
from smartcities.i18n import DEFAULT_LANG, gettext
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


def breakdown_choice(lang: str = DEFAULT_LANG) -> str:
    """How to break the funnel down: a key of ``projects_view.BREAKDOWNS``, or ``"none"`` (the
    default). The page option ``by`` in the URL."""
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
    return by
