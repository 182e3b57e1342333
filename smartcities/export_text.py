"""The words that travel with a download: its file name, its citation, the view in words, the
data package's README and the Excel "About" sheet.

Data text (a data set's label, the filters in words, source addresses) is escaped or put in a
code span where it lands in Markdown, and only web addresses are written as they are, so a
``javascript:`` or Markdown-link value cannot become a link in a README viewer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

import pandas as pd

from smartcities import dictionary, fmt
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.provenance import BOUNDARY_CREDIT
from smartcities.safe import escape, is_web_url
from smartcities.schema import TABLES

_SAFE_PART = re.compile(r"[^A-Za-z0-9-]+")


def file_stem(
    table: str,
    *,
    filters: Mapping[str, str],
    as_of: date | datetime | pd.Timestamp | None,
    synthetic: bool = False,
    extra: Sequence[str] = (),
) -> str:
    """A stable, safe file name stem: ``smartcities_progress_bihar_2025-12-01``.

    ``filters`` are the URL parameters of the view (slugs), so the name says what was chosen;
    synthetic data is marked ``SYNTHETIC`` so a file can't be mistaken for the public record.
    """
    parts = ["smartcities"]
    if synthetic:
        parts.append("SYNTHETIC")
    parts.append(table)
    values = [v for k, v in filters.items() if k not in ("as_of", "dataset") and v]
    values += list(extra)
    parts += [_SAFE_PART.sub("-", v).strip("-")[:60] for v in values] or ["all"]
    if as_of is not None:
        parts.append(pd.Timestamp(as_of).date().isoformat())
    return "_".join(p for p in parts if p)


def cite(
    citation: str,
    *,
    dataset_label: str,
    as_of: date | datetime | pd.Timestamp | None,
    accessed: date | None = None,
    synthetic: bool = False,
) -> str:
    """The citation for a view: base citation, data set, data vintage and access date.

    Synthetic data gets a warning in the citation itself, so a copied citation carries it.
    """
    vintage = pd.Timestamp(as_of).date().isoformat() if as_of is not None else "latest"
    when = (accessed or datetime.now(UTC).date()).isoformat()
    text = f"{citation} Data set: {dataset_label}; figures as on {vintage}; accessed {when}."
    if synthetic:
        text = SYNTHETIC_CITATION + " " + text
    return text


SYNTHETIC_CITATION = N_("SYNTHETIC DATA, NOT REAL FIGURES: do not cite as fact.")
CITATION_PARTS = N_("{citation} Data set: {label}; figures as on {date}; accessed {accessed}.")


def shown_cite(
    citation: str,
    *,
    dataset_label: str,
    shown_label: str,
    as_of: date | datetime | pd.Timestamp | None,
    accessed: date,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> str:
    """The citation as a page shows it: :func:`cite` in English; in another language the same
    parts worded in it (``shown_label``: the data set's name as the page shows it). Dates stay
    ISO so a citation sorts and parses; files always carry the English one."""
    if lang == DEFAULT_LANG:
        return cite(
            citation,
            dataset_label=dataset_label,
            as_of=as_of,
            accessed=accessed,
            synthetic=synthetic,
        )
    _ = gettext(lang)
    when = pd.Timestamp(as_of).date().isoformat() if as_of is not None else _("latest")
    text = _(CITATION_PARTS).format(
        citation=_(citation), label=shown_label, date=when, accessed=accessed.isoformat()
    )
    return (_(SYNTHETIC_CITATION) + " " + text) if synthetic else text


def view_text(
    place: str,
    *,
    chosen_as_of: date | None,
    latest: date | datetime | pd.Timestamp | None,
    metric_labels: Sequence[str] = (),
    lang: str = DEFAULT_LANG,
) -> str:
    """The filters of a view in words, for the page, README, Excel and datapackage (files are
    written in English; the page may show it in ``lang``)."""
    _ = gettext(lang)
    if chosen_as_of is not None:
        when = _("figures reported on or before {date}").format(date=fmt.as_on(chosen_as_of, lang))
    elif latest is not None:
        when = _("all dates up to the latest report ({date})").format(date=fmt.as_on(latest, lang))
    else:
        when = _("all dates")
    text = f"{place}; {when}"
    if metric_labels:
        text += "; " + _("metrics: {names}").format(names=", ".join(metric_labels))
    return text


def distinct_sources(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Distinct ``source_url`` values across tables, in order of first appearance."""
    seen: dict[str, None] = {}
    for frame in tables.values():
        if "source_url" in frame.columns:
            for url in frame["source_url"].dropna():
                seen.setdefault(str(url), None)
    return list(seen)


def readme(
    tables: Mapping[str, pd.DataFrame],
    *,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
    sources: Sequence[str],
) -> str:
    """README.md of the data package: what the view is, how to cite it, licence, sources."""
    synthetic = kind == "synthetic"
    head = (
        "# SYNTHETIC DATA: Smart Cities Mission export"
        if synthetic
        else ("# Smart Cities Mission dashboard export")
    )
    lines = [head, ""]
    if synthetic:
        lines += [
            "**SYNTHETIC DATA. These figures were generated for demonstration and are NOT real "
            "figures for any city. Do not cite them as facts.**",
            "",
        ]
    lines += [
        f"- Data set: {escape(dataset_label)} ({dictionary.KIND_DESCRIPTIONS.get(kind, kind)})",
        f"- View (filters): {escape(filters_text)}",
        "- Files:",
        *[f"  - `{name}.csv`: {len(frame):,} rows" for name, frame in tables.items()],
        "  - `datapackage.json`: Frictionless Data Package describing every column",
        "  - `data-dictionary.md`: the data dictionary in words",
        "",
        "Column names are stable and match the data dictionary; dates are YYYY-MM-DD; amounts "
        "are in ₹ crore. Text cells that began with `=`, `+`, `-`, `@` (or their fullwidth forms "
        "`＝`, `＋`, `－`, `＠`), a tab or a carriage return carry a leading apostrophe so "
        "spreadsheets do not run them as formulas.",
        "",
        "## How to cite",
        "",
        citation,
        "",
        "## Licence",
        "",
        dictionary.licence_note(kind),
        *[f"\n{lic['title']}: {lic['path']}" for lic in dictionary.licenses(kind)],
        "",
        f"Maps in the dashboard: {BOUNDARY_CREDIT}.",
        "",
        f"## Sources ({len(sources)})",
        "",
        # Web addresses as they are (a reader follows them); anything else in a code span, so
        # a `javascript:` or Markdown-link value cannot become a link in a README viewer.
        *[f"- {s}" if is_web_url(s) else f"- `{_code(s)}`" for s in sources],
        "",
    ]
    return "\n".join(lines)


def _code(text: str) -> str:
    """Text for a one-line Markdown code span (no backticks or line breaks to end it early)."""
    return " ".join(text.replace("`", "'").split())


def about_notes(
    *,
    table: str,
    n_rows: int,
    n_sources: int,
    dataset_label: str,
    kind: str,
    filters_text: str,
    citation: str,
) -> dict[str, object]:
    """The "About" sheet of an Excel download: what the rows are and how to cite them.

    The counts are passed in (the page has them from SQL) so the notes need no rows.
    """
    return {
        "Table": f"{table}: {TABLES[table].title}",
        "Data set": f"{dataset_label} ({kind})"
        + (" SYNTHETIC, NOT REAL" if kind == "synthetic" else ""),
        "Filters": filters_text,
        "Rows": n_rows,
        "Citation": citation,
        "Distinct sources": n_sources,
        "Licence": dictionary.licence_note(kind),
        "Column definitions": "docs/data-dictionary.md, or datapackage.json in the zip download",
    }
