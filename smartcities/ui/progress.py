"""Controls and messages of the Mission progress page (layout only; the page calls them)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from smartcities import metrics
from smartcities.schema import METRICS
from smartcities.ui import options, render

UNITS = {"count": "Number of projects", "inr": "Value (₹ crore)"}
DEFAULT_UNIT = "count"


def unit_choice() -> str:
    """The projects' measure (count or value), a page option in the URL; shown in the tabs it
    applies to. Returns the metric unit ("count" or "inr_crore")."""
    key = options.page_option("progress", "unit", tuple(UNITS), DEFAULT_UNIT)
    choice = st.segmented_control(
        "Measure projects by", tuple(UNITS), format_func=UNITS.get, key=key, required=True
    )
    options.set_page_option("progress", "unit", choice, DEFAULT_UNIT)
    return "inr_crore" if choice == "inr" else "count"


def reported(
    rows: pd.DataFrame, what: str, metric_names: Sequence[str], area_name: str, levels: list[str]
) -> bool:
    """Whether the area has any such figures; if not, say so once rather than draw empty charts."""
    if rows["metric"].isin(metric_names).any():
        return True
    render.info(metrics.no_figures_message(what, area_name, levels))
    return False


def compare_choice(available: set[str], what: str, default: str) -> str:
    """The metric to compare across areas (a page option in the URL); metrics the areas do not
    report stay listed, marked as such."""
    choices = tuple(sorted(metrics.COMPARABLE_METRICS, key=lambda m: METRICS[m].label))
    compare = st.selectbox(
        render.label_text(f"Metric to compare across {what}"),
        choices,
        key=options.page_option("progress", "compare", choices, default),
        format_func=lambda m: METRICS[m].label + ("" if m in available else " (not reported here)"),
    )
    options.set_page_option("progress", "compare", compare, default)
    return compare
