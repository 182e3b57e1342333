"""Controls and messages of the Mission progress page (layout only; the page calls them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from smartcities import figures, metrics, provenance
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.schema import METRICS
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


def reported(
    rows: pd.DataFrame,
    what: str,
    metric_names: Sequence[str],
    area_name: str,
    levels: list[str],
    lang: str = DEFAULT_LANG,
) -> bool:
    """Whether the area has any such figures; if not, say so once rather than draw empty charts."""
    if rows["metric"].isin(metric_names).any():
        return True
    render.info(metrics.no_figures_message(what, area_name, levels, lang))
    return False


def compare_choice(available: set[str], what: str, default: str, lang: str = DEFAULT_LANG) -> str:
    """The metric to compare across areas (a page option in the URL); metrics the areas do not
    report stay listed, marked as such."""
    _ = gettext(lang)
    choices = tuple(sorted(metrics.COMPARABLE_METRICS, key=lambda m: METRICS[m].label))
    missing = " (" + _("not reported here") + ")"
    compare = st.selectbox(
        render.label_text(_("Metric to compare across {what}").format(what=what)),
        choices,
        key=options.page_option("progress", "compare", choices, default),
        format_func=lambda m: _(METRICS[m].label) + ("" if m in available else missing),
    )
    options.set_page_option("progress", "compare", compare, default)
    return compare


def compare_areas(
    frame: Any, default: str, show: Callable[[Any, str, str], None], common: dict[str, Any]
) -> None:
    """The "Compare areas" tab: one metric across the areas of the selection (the states, or
    the cities of a state or round), with the areas that do not report it named."""
    lang = frame.lang
    _ = gettext(lang)
    city_state = frame.vocab.states.get(frame.vocab.city_state.get(frame.scope.city_id or "", ""))
    c_level, c_scope, what = metrics.comparison_scope(frame.scope, city_state, lang)
    c_latest = frame.engine.latest(c_scope, levels=(c_level,))
    available = set(c_latest["metric"]) & set(metrics.COMPARABLE_METRICS)
    if not available:
        render.info(_("No figures to compare across {what} in this data set.").format(what=what))
        return
    compare = compare_choice(available, what, default, lang)
    bars = c_latest[c_latest["metric"] == compare]
    shown = bars.assign(area_name=[place_name(c_level, n, lang) for n in bars["area_name"]])
    title, source = (
        f"{_(METRICS[compare].label)}: {what}",
        figures.source_note(bars["source_url"], lang=lang),
    )
    fig = figures.bar_by_area(shown, metric=compare, title=title, source=source, **common)
    summary = figures.describe_bars(shown, compare, lang) + provenance.mixed_dates_note(bars, lang)
    show(fig, summary, "bars")
    members = frame.engine.cities(c_scope)
    areas = members["city_name" if c_level == "city" else "state_ut"].drop_duplicates()
    render.caption(metrics.reporting_note(bars, sorted(areas.astype(str)), what, lang, c_level))
