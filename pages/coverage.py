"""Data coverage: where the evidence is, how fresh and how sure, and where sources disagree.

Lays out :func:`smartcities.coverage.build` (cities × key measures, states × measures, summary
lines) and :func:`smartcities.coverage.build_checks`; only the open tab's part is computed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from smartcities import coverage, export_text, fmt
from smartcities.safe import md, trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import grids, options, render
from smartcities.ui.downloads import buttons, file_downloads
from smartcities.views import scope_title

frame = frame_ui.current()
DEFAULT = "cities"
AGE_HELP = (
    "Date of the city's latest figure on or before the view's date. '(by)': on or before this "
    "date (only an upper bound is known); '(reply)': dated by the reply that published it."
)


def model() -> coverage.Coverage:
    key = ("coverage", frame.scope, frame.as_of)
    return frame.engine.memo(
        str(key), lambda: coverage.build(frame.engine, frame.scope, frame.as_of)
    )


def legend() -> None:
    grids.legend(
        [label for _, label, _ in coverage.AGE_BANDS],
        [colour for _, _, colour in coverage.AGE_BANDS],
        key="coverage_legend",
    )
    render.caption(
        f"Cell colour: age of the latest figure at {fmt.as_on(frame.as_of)}; a blank cell means "
        "not reported. Dates are YYYY-MM-DD so that columns sort; '(by)' means on or before that "
        "date (only an upper bound is known) and '(reply)' a figure dated by the reply that "
        "published it (as-on date not stated)."
    )


def cities_section() -> None:
    cov = model()
    render.subheader(f"{fmt.count(cov.n_cities)} cities × {len(coverage.MEASURES)} measures")
    render.text(cov.summary[0])
    st.dataframe(cov.summary_table, hide_index=True, key="coverage_summary")
    legend()
    labels = [label for _, label, _ in coverage.MEASURES]
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
    render.caption("Select a row to open the city's profile. Click a column header to sort.")
    if picked is not None:
        city_id = str(cov.city_grid["area_id"].iat[picked])
        st.switch_page("pages/city.py", query_params=frame.params(city=city_id))
    downloads(cov)


def states_section() -> None:
    cov = model()
    render.subheader("States and UTs: their own (state-level) figures")
    legend()
    labels = [label for _, label, _ in coverage.STATE_MEASURES]
    grids.banded_table(
        cov.state_grid,
        cov.state_ages,
        coloured=labels,
        css=coverage.band_colour,
        key="coverage_states",
    )
    render.caption("State figures are reported separately from their cities'; see Checks.")
    downloads(cov)


def downloads(cov: coverage.Coverage) -> None:
    render.text(trusted("**Download the coverage table** (every city and state figure behind it)"))
    name = {"filters": frame.params(), "as_of": frame.as_of, "synthetic": frame.synthetic}
    citation = export_text.cite(
        frame_ui.CITATION,
        dataset_label=frame.dataset.label,
        as_of=frame.as_of,
        accessed=datetime.now(UTC).date(),
        synthetic=frame.synthetic,
    )
    notes = {
        "View": f"Data coverage: {scope_title(frame)}, as on {fmt.as_on(frame.as_of)}",
        "Data set": frame.dataset.label + (" SYNTHETIC, NOT REAL" if frame.synthetic else ""),
        "Citation": citation,
        "Columns": "date_basis: as_on / reply / on_or_before (ICCC: reported / on_or_before); "
        "age_months: months between the figure's date and the view's date",
    }
    offers = file_downloads(
        lambda: cov.long,
        stem=export_text.file_stem("coverage", **name),
        sheet_name="coverage",
        notes=notes,
        citation=citation,
        n_rows=len(cov.long),
    )
    buttons(offers, "coverage_dl_")


def checks_section() -> None:
    found = frame.engine.memo(
        str(("coverage_checks", frame.scope)),
        lambda: coverage.build_checks(frame.engine, frame.scope),
    )
    render.subheader("Where sources disagree")
    render.caption(
        "Every figure is kept as published; these checks say where the record does not add up, "
        "so that no one quotes a figure without knowing."
    )
    for section in coverage.check_sections(found):
        render.text(md("**{}** ({})", section.heading, fmt.count(section.count)))
        if section.table.empty:
            render.caption(section.empty)
            continue
        if section.caption:
            render.caption(section.caption)
        render.display_table(
            section.table, key=f"coverage_{section.key}", link_columns=section.link_columns
        )


render.title(f"Data coverage: {scope_title(frame)}")
render.caption(
    f"What the data set holds for each city and state, as on {fmt.as_on(frame.as_of)}: how "
    "fresh each figure is and how sure its date is."
)
SECTIONS = {
    "cities": ("Cities", cities_section),
    "states": ("States and UTs", states_section),
    "checks": ("Checks", checks_section),
}
options.tabs("coverage", "section", SECTIONS, DEFAULT)
render.page_links([("pages/data.py", "All figures and downloads", frame.params())])
