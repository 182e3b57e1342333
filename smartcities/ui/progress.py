"""Controls of the Mission progress page (layout only; the page calls them).

What the tabs show is computed by :mod:`smartcities.progress_view`; these widgets read the
page's options (kept in the URL) that the page passes to it.
"""

from __future__ import annotations

import streamlit as st

from smartcities import progress_view
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.progress_view import Comparison
from smartcities.ui import options, render

UNITS = {"count": N_("Number of projects"), "inr": N_("Value (₹ crore)")}
DEFAULT_UNIT = "count"


def unit_choice(lang: str = DEFAULT_LANG) -> str:
    """The projects' measure (count or value), a page option in the URL; shown in the tabs it
    applies to. Returns the metric unit ("count" or "inr_crore")."""
    _ = gettext(lang)
    key = options.page_option("progress", "unit", tuple(UNITS), DEFAULT_UNIT)
    choice = st.segmented_control(
        render.label_text(_("Measure projects by")),
        tuple(UNITS),
        format_func=lambda u: _(UNITS[u]),
        key=key,
        required=True,
    )
    options.set_page_option("progress", "unit", choice, DEFAULT_UNIT)
    return "inr_crore" if choice == "inr" else "count"


def compare_choice(
    comparison: Comparison, default: str = progress_view.DEFAULT_COMPARE, lang: str = DEFAULT_LANG
) -> str:
    """The metric to compare across the areas (a page option in the URL); metrics the areas do
    not report stay listed, marked as such."""
    _ = gettext(lang)
    choices = progress_view.COMPARE_CHOICES
    compare = st.selectbox(
        render.label_text(_("Metric to compare across {what}").format(what=comparison.what)),
        choices,
        key=options.page_option("progress", "compare", choices, default),
        format_func=lambda m: progress_view.compare_label(comparison, m, lang),
    )
    options.set_page_option("progress", "compare", compare, default)
    return compare
