"""Data coverage: where the evidence is, how fresh and how sure, and where sources disagree.

Lays out :func:`smartcities.coverage.build` (cities × key measures, states × measures, summary
lines) and :func:`smartcities.coverage.build_checks`; only the open tab's part is computed.
"""

from __future__ import annotations

import streamlit as st

from smartcities import coverage, fmt
from smartcities.i18n import gettext
from smartcities.safe import md
from smartcities.ui import coverage as coverage_ui
from smartcities.ui import frame as frame_ui
from smartcities.ui import grids, options, render
from smartcities.views import scope_title

frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
DEFAULT = "cities"
AGE_HELP = _(
    "Date of the city's latest figure on or before the view's date. '(by)': on or before this "
    "date (only an upper bound is known); '(reply)': dated by the reply that published it."
)


def model() -> coverage.Coverage:
    return coverage.cached(frame.engine, frame.scope, frame.as_of, lang)


def cities_section() -> None:
    cov = model()
    render.subheader(
        _("{n} cities × {m} measures").format(n=fmt.count(cov.n_cities), m=len(coverage.MEASURES))
    )
    render.text(cov.summary[0])
    st.dataframe(cov.summary_table, hide_index=True, key="coverage_summary")
    coverage_ui.legend(frame)
    labels = coverage.measure_labels(coverage.MEASURES, lang)
    picked = grids.banded_table(
        cov.city_grid,
        cov.city_ages,
        coloured=labels,
        css=coverage.band_colour,
        key="coverage_cities",
        selectable=True,
        help_texts=dict.fromkeys(labels, AGE_HELP),
        height=560,
    )
    render.caption(_("Select a row to open the city's profile. Click a column header to sort."))
    if picked is not None:
        city_id = str(cov.city_grid["area_id"].iat[picked])
        st.switch_page("pages/city.py", query_params=frame.params(city=city_id))
    coverage_ui.downloads(frame, cov)


def states_section() -> None:
    cov = model()
    render.subheader(_("States and UTs: their own (state-level) figures"))
    coverage_ui.legend(frame)
    grids.banded_table(
        cov.state_grid,
        cov.state_ages,
        coloured=coverage.measure_labels(coverage.STATE_MEASURES, lang),
        css=coverage.band_colour,
        key="coverage_states",
    )
    render.caption(_("State figures are reported separately from their cities'; see Checks."))
    coverage_ui.downloads(frame, cov)


def checks_section() -> None:
    found = coverage.cached_checks(frame.engine, frame.scope)
    render.subheader(_("Where sources disagree"))
    render.caption(
        _(
            "Every figure is kept as published; these checks say where the record does not add "
            "up, so that no one quotes a figure without knowing."
        )
    )
    for section in coverage.check_sections(found, lang):
        render.text(md("**{}** ({})", section.heading, fmt.count(section.count)))
        if section.table.empty:
            render.caption(section.empty)
            continue
        if section.caption:
            render.caption(section.caption)
        render.display_table(
            section.table,
            key=f"coverage_{section.key}",
            link_columns=section.link_columns,
            lang=lang,
        )


render.title(_("Data coverage: {selection}").format(selection=scope_title(frame, lang)))
render.caption(
    _(
        "What the data set holds for each city and state, as on {date}: how fresh each figure "
        "is and how sure its date is."
    ).format(date=fmt.as_on(frame.as_of, lang))
)
SECTIONS = {
    "cities": (_("Cities"), cities_section),
    "states": (_("States and UTs"), states_section),
    "checks": (_("Checks"), checks_section),
}
options.tabs("coverage", "section", SECTIONS, DEFAULT)
render.page_links([("pages/data.py", _("All figures and downloads"), frame.params())])
