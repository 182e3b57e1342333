"""The downloads offered for a view, as Streamlit buttons: label, icon, file name, MIME type and
help for each, the bytes built only when a button is pressed (:mod:`smartcities.export`).

:func:`buttons` draws them through :func:`smartcities.ui.render.download` (the labels and help
may name the filters, hence data); the rest is pure and unit-tested.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from smartcities import export
from smartcities.export_text import about_notes
from smartcities.i18n import DEFAULT_LANG, gettext
from smartcities.ui import render


@dataclass(frozen=True)
class Download:
    """One download offered for a view; ``data`` builds the bytes only when asked."""

    key: str
    label: str
    data: Callable[[], bytes]
    file_name: str
    mime: str
    icon: str
    help: str = ""
    disabled: bool = False

    def button_args(self, key_prefix: str) -> dict[str, object]:
        """Keyword arguments for ``st.download_button`` (kept here so pages stay short)."""
        return {
            "label": self.label,
            "data": self.data,
            "file_name": self.file_name,
            "mime": self.mime,
            "key": f"{key_prefix}{self.key}",
            "icon": self.icon,
            "help": self.help,
            "disabled": self.disabled,
        }


def downloads(
    rows: Callable[[], pd.DataFrame],
    *,
    n_rows: int,
    n_sources: int,
    table: str,
    stem: str,
    zip_stem: str,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
    package: Callable[[], bytes],
    lang: str = DEFAULT_LANG,
) -> list[Download]:
    """The four downloads of a view: the rows as CSV, Excel and Parquet, and the zip package.

    ``rows`` reads the whole view (e.g. :meth:`View.rows`) and is called only when a file is
    built; ``n_rows`` and ``n_sources`` are the view's counts, for the About sheet and for
    disabling Excel above a sheet's size, so offering the buttons reads no rows. Labels and
    help in ``lang`` (the files themselves stay English).
    """
    _ = gettext(lang)
    notes = about_notes(
        table=table,
        n_rows=n_rows,
        n_sources=n_sources,
        dataset_label=dataset_label,
        kind=kind,
        filters_text=filters_text,
        citation=citation,
    )
    return [
        *file_downloads(
            rows,
            stem=stem,
            sheet_name=table,
            notes=notes,
            citation=citation,
            n_rows=n_rows,
            lang=lang,
        ),
        Download(
            "zip",
            _("Data package (zip)"),
            package,
            f"{zip_stem}.zip",
            "application/zip",
            ":material/folder_zip:",
            _(
                "Every table under the same filters, as CSV, with "
                "datapackage.json, README (citation, licence, sources) and data dictionary."
            ),
        ),
    ]


def file_downloads(
    rows: Callable[[], pd.DataFrame],
    *,
    stem: str,
    sheet_name: str,
    notes: Mapping[str, object],
    citation: str,
    n_rows: int = 0,
    lang: str = DEFAULT_LANG,
) -> list[Download]:
    """The rows of a view as CSV, Excel (with an About sheet) and Parquet; ``rows`` is called
    only when a file is built. ``n_rows`` over a sheet's size disables Excel. Help in ``lang``;
    the labels are the formats' names."""
    _ = gettext(lang)
    too_big = n_rows > export.EXCEL_MAX_ROWS
    return [
        Download(
            "csv",
            "CSV",
            lambda: export.to_csv_bytes(rows()),
            f"{stem}.csv",
            "text/csv",
            ":material/csv:",
            _("UTF-8, ISO dates, formula-like text neutralised."),
        ),
        Download(
            "xlsx",
            "Excel",
            lambda: export.to_excel_bytes(rows(), sheet_name=sheet_name, notes=notes),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ":material/table_view:",
            _("More than {n} rows do not fit on a sheet: use CSV or Parquet.").format(
                n=f"{export.EXCEL_MAX_ROWS:,}"
            )
            if too_big
            else _("With an About sheet: citation, filters and data set."),
            disabled=too_big,
        ),
        Download(
            "parquet",
            "Parquet",
            lambda: export.to_parquet_bytes(rows(), metadata={"citation": citation}),
            f"{stem}.parquet",
            "application/vnd.apache.parquet",
            ":material/database:",
            _("Exact values and types, for code."),
        ),
    ]


def buttons(offers: Sequence[Download], key_prefix: str) -> None:
    """The offers as download buttons side by side (keys ``{key_prefix}{offer.key}``)."""
    for col, offer in zip(st.columns(len(offers)), offers, strict=True):
        render.download(offer.button_args(key_prefix), where=col)
