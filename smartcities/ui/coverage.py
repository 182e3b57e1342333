"""Parts of the Data coverage page that are Streamlit layout only: the age legend and the
downloads of the coverage table (the page calls them; what they show comes from
:mod:`smartcities.coverage`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from smartcities import coverage, export_text, fmt
from smartcities.i18n import gettext
from smartcities.safe import trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import grids, render
from smartcities.ui.downloads import buttons, file_downloads
from smartcities.views import scope_title


def legend(frame: Any) -> None:
    """The colour bands of a figure's age, and what the date markers mean."""
    _ = gettext(frame.lang)
    labels = coverage.band_labels(frame.lang)
    colours = [colour for _u, _l, colour in coverage.AGE_BANDS]
    grids.legend(labels, colours, key="coverage_legend")
    render.caption(
        _(
            "Cell colour: age of the latest figure at {date}; a blank cell means not reported. "
            "Dates are YYYY-MM-DD so that columns sort; '(by)' means on or before that date "
            "(only an upper bound is known) and '(reply)' a figure dated by the reply that "
            "published it (as-on date not stated)."
        ).format(date=fmt.as_on(frame.as_of, frame.lang))
    )


def downloads(frame: Any, cov: coverage.Coverage) -> None:
    """CSV, Excel and Parquet of every city and state figure behind the grids. The files and
    their notes are in English (their columns are the data dictionary's)."""
    _ = gettext(frame.lang)
    render.text(
        trusted(
            "**"
            + _("Download the coverage table")
            + "** ("
            + _("every city and state figure behind it")
            + ")"
        )
    )
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
        lang=frame.lang,
    )
    buttons(offers, "coverage_dl_")
