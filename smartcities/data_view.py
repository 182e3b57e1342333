"""The Data page's model: which tables and metrics it offers, its options in the URL, and the
view it shows (counted, its first rows and its sources read in SQL, the whole view read only
for a download).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcities import query
from smartcities.export import data_package_zip
from smartcities.export_text import cite, file_stem, shown_cite, view_text
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.query import TABLE_ORDER, Engine, Scope, View, view_tables
from smartcities.schema import METRICS
from smartcities.urlstate import Option, Options

DEFAULT_TABLE = "progress"
# Said under the download buttons (the exports' rule: smartcities.formula).
FORMULA_NOTE = N_(
    "CSV and Excel cells that begin with =, +, -, @ (or their fullwidth forms) or a tab carry "
    "a leading apostrophe so spreadsheets show them as text; Parquet keeps every value "
    "exactly. Dates are YYYY-MM-DD."
)


def tables(engine: Engine) -> tuple[str, ...]:
    """The tables the page offers: every view's table, projects only when there are any."""
    return tuple(t for t in TABLE_ORDER if t != "projects" or engine.row_count(t))


def metric_choices(engine: Engine) -> list[str]:
    """The progress metrics present, in the schema's order."""
    # In SQL, once per data set: the pandas pass over 5.7 million progress rows took ~1 s.
    present = engine.distinct("progress", "metric")
    return [m for m in METRICS if m in present]


def url_options(tables: Sequence[str], metrics: Sequence[str]) -> Options:
    """The page's options in the URL: ``?table=`` and ``?metric=`` (a comma list)."""
    return (
        Option("table", tuple(tables), DEFAULT_TABLE),
        Option("metric", tuple(metrics), (), many=True),
    )


@dataclass(frozen=True)
class DataPage:
    """What the Data page shows for one table under the filters."""

    view: View
    n_rows: int
    head: pd.DataFrame  # the first rows (query.DISPLAY_ROWS at most)
    sources: pd.DataFrame  # source_url, n_rows
    filters_text: str  # the filters in words (page, README, Excel, datapackage)
    citation: str
    meta: dict[str, str]  # dataset_label, kind, citation: what every download carries
    shown_filters: str = ""  # the filters in words as the page shows them (its language)
    shown_citation: str = ""  # the citation as the page shows it (its language)

    def stems(self, filters: Mapping[str, str], as_of: object, synthetic: bool) -> tuple[str, str]:
        """File name stems of the rows' downloads and of the data package."""
        parts = {"filters": filters, "as_of": as_of, "synthetic": synthetic}
        extra = self.view.metrics or ()
        return file_stem(self.view.table, **parts, extra=extra), file_stem(
            "package", **parts, extra=extra
        )

    def package(self, tables: Sequence[str]) -> bytes:
        """The zip data package: every table under the same filters."""
        v = self.view
        contents = view_tables(v.engine, v.scope, tables, metrics=v.metrics)
        return data_package_zip(contents, filters_text=self.filters_text, **self.meta)


def build(
    engine: Engine,
    table: str,
    scope: Scope,
    metrics: tuple[str, ...],
    *,
    place: str,
    chosen_as_of: date | None,
    latest: object,
    as_of: object,
    dataset_label: str,
    kind: str,
    synthetic: bool,
    base_citation: str,
    accessed: date,
    lang: str = DEFAULT_LANG,
    shown_place: str | None = None,
    shown_dataset_label: str | None = None,
) -> DataPage:
    """Count the view, read its first rows and its sources; word its filters and citation.
    The files say the filters in English; the page in ``lang`` (``shown_place``: the place as
    the page names it, ``shown_dataset_label``: the data set's name as the page shows it)."""
    _ = gettext(lang)
    view = View(engine, table, scope, metrics or None)
    filters_text = view_text(
        place,
        chosen_as_of=chosen_as_of,
        latest=latest,
        metric_labels=[METRICS[m].label for m in metrics],
    )
    shown_filters = (
        filters_text
        if lang == DEFAULT_LANG
        else view_text(
            shown_place or place,
            chosen_as_of=chosen_as_of,
            latest=latest,
            metric_labels=[_(METRICS[m].label) for m in metrics],
            lang=lang,
        )
    )
    citation = cite(
        base_citation,
        dataset_label=dataset_label,
        as_of=as_of,
        accessed=accessed,
        synthetic=synthetic,
    )
    meta = {"dataset_label": dataset_label, "kind": kind, "citation": citation}
    head = view.head(query.DISPLAY_ROWS)  # read at call time: tests lower it
    shown_citation = shown_cite(
        base_citation,
        dataset_label=dataset_label,
        shown_label=shown_dataset_label or dataset_label,
        as_of=as_of,
        accessed=accessed,
        synthetic=synthetic,
        lang=lang,
    )
    return DataPage(
        view,
        view.count(),
        head,
        view.sources(),
        filters_text,
        citation,
        meta,
        shown_filters,
        shown_citation,
    )
