"""Data & downloads: exactly the rows on screen, as CSV, Excel, Parquet or a documented zip."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from smartcities import data_view, dictionary, fmt
from smartcities.i18n import gettext
from smartcities.safe import md
from smartcities.schema import METRICS, TABLES
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.ui.downloads import buttons, downloads
from smartcities.views import scope_title

frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
tables = data_view.tables(frame.engine)
metric_opts = data_view.metric_choices(frame.engine)

# --- state: ?table= and ?metric= (comma list), validated; only non-defaults go in the URL
spec = data_view.url_options(tables, metric_opts)
options.seed("data", spec, frame.lang)

render.title(_("Data & downloads"))
table = st.radio(
    render.label_text(_("Table")),
    tables,
    key="data_table",
    horizontal=True,
    format_func=lambda t: _(TABLES[t].title),
)
metrics: tuple[str, ...] = ()
if table == "progress":
    metrics = st.multiselect(
        render.label_text(_("Metrics (none chosen = all)")),
        metric_opts,
        key="data_metric",
        format_func=lambda m: _(METRICS[m].label),
        placeholder=_("All metrics"),
    )
    metrics = tuple(metrics)
options.write("data", spec, {"table": table, "metric": metrics})

# --- query: a rerun counts the view, reads its first rows and sources; downloads read it all
page = data_view.build(
    frame.engine,
    table,
    frame.scope,
    metrics,
    place=scope_title(frame),
    chosen_as_of=frame.filters.as_of,
    latest=frame.latest,
    as_of=frame.as_of,
    dataset_label=frame.dataset.label,
    kind=frame.dataset.kind,
    synthetic=frame.synthetic,
    base_citation=frame_ui.CITATION,
    accessed=datetime.now(UTC).date(),
    lang=lang,
    shown_place=scope_title(frame, lang),
    shown_dataset_label=frame_ui.dataset_label(frame.dataset, lang),
)
n_rows, shown, sources, filters_text = page.n_rows, page.head, page.sources, page.filters_text
tag = " (" + _("SYNTHETIC") + ")" if frame.synthetic else ""
# --- render
render.caption(
    md(
        _(
            "**{} rows** of *{}*{}: {}. Data set: {}. Column names are the stable names of the "
            "data dictionary."
        ),
        fmt.count(n_rows),
        _(TABLES[table].title),
        tag,
        page.shown_filters,
        frame_ui.dataset_label(frame.dataset, lang),
    )
)
if table == "events":
    render.caption(_("Events are mission-wide: only the date filter applies to them."))
if table == "cities" and frame.filters.as_of:
    render.caption(_("The city list is not dated: the date filter does not change it."))
helps = dictionary.describe_columns(table, shown.columns, lang)
shown_as = {
    "date": lambda c: st.column_config.DateColumn(c, format="YYYY-MM-DD", help=helps[c]),
    "number": lambda c: st.column_config.NumberColumn(c, help=helps[c]),
    "text": lambda c: st.column_config.TextColumn(c, help=helps[c]),
}
config = {c: shown_as[dictionary.column_kind(shown[c])](c) for c in shown.columns}
if n_rows > len(shown):
    render.info(
        _(
            "Showing the first {n} of {total} rows; every download below holds all of them. "
            "Sorting this table sorts these rows only; narrow the filters to see fewer rows."
        ).format(n=fmt.count(len(shown)), total=fmt.count(n_rows))
    )
st.dataframe(shown, column_config=config, hide_index=True, key="data_rows", placeholder="–")
if not st.get_option("client.disableDataExport"):
    render.caption(
        _(
            "The table's own download icon saves raw cells, without protection against "
            "spreadsheet formulas; prefer the buttons below."
        )
    )

render.subheader(_("Download these rows") + tag)
stem, zip_stem = page.stems(frame.params(), frame.as_of, frame.synthetic)
offers = downloads(
    page.view.rows,
    n_rows=n_rows,
    n_sources=len(sources),
    table=table,
    stem=stem,
    zip_stem=zip_stem,
    filters_text=filters_text,
    **page.meta,
    package=lambda: page.package(tables),
    lang=lang,
)
buttons(offers, "data_dl_")
render.caption(_(data_view.FORMULA_NOTE))
if len(sources):
    # A fixed label: Streamlit forgets an expander's open state when its label changes.
    render.lazy_expander(
        _("Sources of these rows"),
        lambda: render.sources_table(sources["source_url"].tolist(), key="data_sources", lang=lang),
        key="data_sources_box",
    )
    render.caption(_("{n} distinct sources behind these rows.").format(n=fmt.count(len(sources))))

render.subheader(_("Data dictionary: {table}").format(table=table))
render.caption(_(TABLES[table].description))
st.dataframe(dictionary.table_frame(table, lang), hide_index=True, key="data_dict")
if table == "progress":
    render.lazy_expander(
        _("The metrics"),
        lambda: st.dataframe(dictionary.metrics_frame(lang), hide_index=True, key="data_metrics"),
        key="data_metrics_box",
    )

render.subheader(_("How to cite"))
render.citation(page.shown_citation, key="data_citation")
render.caption(_("For a single figure, also cite the source in its source_url column."))
