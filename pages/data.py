"""Data & downloads: exactly the rows on screen, as CSV, Excel, Parquet or a documented zip."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from smartcities import dictionary, export, fmt
from smartcities.i18n import gettext
from smartcities.safe import md
from smartcities.schema import METRICS, TABLES
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.urlstate import capped, decode_choice, shown
from smartcities.views import scope_title

frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
DEFAULT = "progress"
OPTION_KEYS = ("table", "metric")
LAST_URL = "data_last_url"  # what this page last wrote, to tell a new link from our own writes
tables = tuple(t for t in export.TABLE_ORDER if t != "projects" or frame.engine.row_count(t))
# In SQL, once per data set: the pandas pass over 5.7 million progress rows took ~1 s.
present = frame.engine.distinct("progress", "metric")
metric_opts = [m for m in METRICS if m in present]


# --- state: ?table= and ?metric= (comma list), validated; only non-defaults go in the URL
url = options.new_link(OPTION_KEYS, LAST_URL, first="data_table" not in st.session_state)
if url is not None:
    table, bad = decode_choice(url, "table", tables, DEFAULT)
    if bad:
        render.warning(
            _("Unknown table '{table}' in the link; showing '{default}'.").format(
                table=shown(url["table"]), default=DEFAULT
            )
        )
    wanted = [m.strip() for m in url.get("metric", "").split(",") if m.strip()]
    unknown = [
        _("Unknown metric '{metric}' in the link; it was left out.").format(metric=shown(m))
        for m in dict.fromkeys(wanted)
        if m not in metric_opts
    ]
    for text in capped(unknown, "unknown metrics"):
        render.warning(text)
    st.session_state["data_table"] = table
    st.session_state["data_metric"] = list(dict.fromkeys(m for m in wanted if m in metric_opts))

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
    metrics = tuple(
        st.multiselect(
            render.label_text(_("Metrics (none chosen = all)")),
            metric_opts,
            key="data_metric",
            format_func=lambda m: _(METRICS[m].label),
            placeholder=_("All metrics"),
        )
    )
written = {"table": "" if table == DEFAULT else table, "metric": ",".join(metrics)}
options.write_params(OPTION_KEYS, {k: v for k, v in written.items() if v}, LAST_URL)

# --- query: a rerun counts the view, reads its first rows and sources; downloads read it all
view = export.View(frame.engine, table, frame.scope, metrics or None)
n_rows, shown, sources = view.count(), view.head(export.DISPLAY_ROWS), view.sources()
filters_text = export.view_text(
    scope_title(frame),
    chosen_as_of=frame.filters.as_of,
    latest=frame.latest,
    metric_labels=[METRICS[m].label for m in metrics],
)
citation = export.cite(
    frame_ui.CITATION,
    dataset_label=frame.dataset.label,
    as_of=frame.as_of,
    accessed=datetime.now(UTC).date(),
    synthetic=frame.synthetic,
)
tag = " (SYNTHETIC)" if frame.synthetic else ""
meta = {"dataset_label": frame.dataset.label, "kind": frame.dataset.kind, "citation": citation}

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
        filters_text,
        frame_ui.dataset_label(frame.dataset, lang),
    )
)
if table == "events":
    render.caption(_("Events are mission-wide: only the date filter applies to them."))
if table == "cities" and frame.filters.as_of:
    render.caption(_("The city list is not dated: the date filter does not change it."))
helps = dictionary.describe_columns(table, shown.columns)
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
name_parts = {"filters": frame.params(), "as_of": frame.as_of, "synthetic": frame.synthetic}
offers = export.downloads(
    view.rows,
    n_rows=n_rows,
    n_sources=len(sources),
    table=table,
    stem=export.file_stem(table, **name_parts, extra=metrics),
    zip_stem=export.file_stem("package", **name_parts, extra=metrics),
    filters_text=filters_text,
    **meta,
    package=lambda: export.data_package_zip(
        export.view_tables(frame.engine, frame.scope, tables, metrics=metrics or None),
        filters_text=filters_text,
        **meta,
    ),
)
for col, d in zip(st.columns(len(offers)), offers):
    render.download(d.button_args("data_dl_"), where=col)
render.caption(
    _(
        "CSV and Excel cells that begin with =, +, -, @ or a tab carry a leading apostrophe so "
        "spreadsheets show them as text; Parquet keeps every value exactly. Dates are YYYY-MM-DD."
    )
)
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
render.citation(citation, key="data_citation")
render.caption(_("For a single figure, also cite the source in its source_url column."))
