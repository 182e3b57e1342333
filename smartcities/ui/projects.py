"""Streamlit controls for the projects table: the funnel breakdown's choice (a page option
in the URL). What the breakdown shows is computed by :mod:`smartcities.progress_view`."""

from __future__ import annotations

import streamlit as st

from smartcities import projects_view
from smartcities.i18n import DEFAULT_LANG, gettext
from smartcities.ui import options, render

BY_DEFAULT = "none"


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
