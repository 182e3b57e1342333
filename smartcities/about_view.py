"""The About page's model: what each tab shows, computed from the data set (no Streamlit).

The sources are counted from the data set in use, the measures generated from
``schema.METRICS`` and the citation carries the data's vintage, so the page cannot drift from
the data it describes. Each tab has its function and only the open tab's runs; the page
(``pages/about.py``) lays out what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from smartcities import export_text, fmt, metrics, provenance
from smartcities.config import BUNDLED_DATA
from smartcities.dataset import SYNTHETIC, Dataset, dataset_label
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.pageparts import TableView
from smartcities.query import Engine
from smartcities.safe import Safe, is_web_url, md, trusted

SOURCE_NOTES = BUNDLED_DATA / "SOURCES.md"
GENERATED_NOTE = N_(
    "Generated from the data contract (smartcities/schema.py), not written by hand."
)
KINDS_NOTE = N_(
    "Kinds: *cumulative* counts everything so far; *snapshot* is the position on the "
    "date; *total* is a fixed total (of a round, or of the project list); *flag* is 1 "
    "for yes. ₹ crore: 1 crore = 1,00,00,000 (10 million) rupees; 1 lakh crore = "
    "₹1,00,000 crore."
)
CREDIT = N_(
    "**Data:** facts from public Government of India statements, parliamentary answers and "
    "news reports (each with its source); city coordinates from GeoNames (CC BY 4.0). "
    "**Maps:** {credit} (`data/boundaries/PROVENANCE.json`). **Code:** MIT licence."
)


@dataclass(frozen=True)
class Sources:
    """The "Sources" tab: how many sources on how many sites, the sites with their counts, and
    (for the expander) every source with a link where it is a web address."""

    summary: str
    message: str | None  # the data set names no sources
    domains: TableView
    pages: pd.DataFrame  # domain, link (http(s) only, else empty), source_url, rows, tables


@dataclass(frozen=True)
class Measures:
    """The "Measures" tab: every metric of the contract, with the headers in the page's
    language, and the notes above and below it."""

    caption: Safe
    table: pd.DataFrame
    kinds: Safe


@dataclass(frozen=True)
class Caveats:
    text: Safe
    notes_title: str  # the expander holding data/SOURCES.md


@dataclass(frozen=True)
class Citation:
    credit: Safe
    text: str  # plain text to copy


def intro(dataset: Dataset, vintage: pd.Timestamp | None, lang: str = DEFAULT_LANG) -> Safe:
    """The page's first paragraph: what the dashboard is, the data set shown and its vintage
    (the data set's name escaped: it may come from file names)."""
    _ = gettext(lang)
    return md(
        _(
            "An open-source dashboard of India's **Smart Cities Mission** (2015–2025): the ICCC "
            "rollout, the project funnel, funds and city profiles, with the source of every "
            "figure. Data set shown: **{}**; latest figure as on **{}**."
        ),
        dataset_label(dataset, lang),
        fmt.as_on(vintage, lang),
    )


def sources(engine: Engine, lang: str = DEFAULT_LANG) -> Sources:
    """The sources behind every table of the data set, by site."""
    _ = gettext(lang)
    # Once per data set: at 4,500 towns (6.7 million rows) it took 4 s, on every open.
    domains, links = engine.memo("sources_by_domain", lambda: _sources_by_domain(engine))
    summary = _(
        "{pages} distinct sources on {sites} sites or kinds of source lie behind the tables "
        "of this data set (rows counted over all tables)."
    ).format(pages=fmt.count(len(links)), sites=fmt.count(len(domains)))
    return Sources(
        summary,
        _("This data set names no sources.") if domains.empty else None,
        TableView(domains, {"pages": "count", "rows": "count"}, key="about_domains"),
        links,
    )


def _sources_by_domain(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sites with their counts, and every source with a link column (http(s) only; any
    other text stays text in its own column)."""
    domains, pages = provenance.domains_from_counts(engine.source_counts())
    links = pages.assign(link=[u if is_web_url(u) else None for u in pages["source_url"]])
    return domains, links[["domain", "link", "source_url", "rows", "tables"]]


def method(lang: str = DEFAULT_LANG) -> Safe:
    """How ``data/`` is built and how figures are chosen (text written in code)."""
    return trusted(gettext(lang)(provenance.METHODOLOGY_MD))


def measures(lang: str = DEFAULT_LANG) -> Measures:
    """Every metric's label, description, unit and kind, generated from the data contract."""
    _ = gettext(lang)
    labels = {"label": _("Measure"), "description": _("What it counts"), "unit": _("Unit")}
    labels |= {"kind": _("Kind"), "metric": _("Metric")}
    return Measures(
        trusted(_(GENERATED_NOTE)),
        metrics.metric_definitions(lang).rename(columns=labels),
        trusted(_(KINDS_NOTE)),
    )


def caveats(lang: str = DEFAULT_LANG) -> Caveats:
    """What the figures cannot say; the full notes on the sources are English only."""
    _ = gettext(lang)
    title = _("Full notes on the sources (data/SOURCES.md)")
    if lang != DEFAULT_LANG:
        title += " · " + _("in English")
    return Caveats(trusted(_(provenance.CAVEATS_MD)), title)


def source_notes(path: Path = SOURCE_NOTES) -> Safe | None:
    """The bundled notes on the sources (written by the project), or None when an installation
    does not carry them."""
    return trusted(path.read_text(encoding="utf-8")) if path.exists() else None


def citation(
    dataset: Dataset,
    vintage: pd.Timestamp | None,
    *,
    accessed: date,
    lang: str = DEFAULT_LANG,
) -> Citation:
    """The licences and the citation to copy: base text, data set, vintage and access date, in
    the page's language; a synthetic data set's citation says it is not real."""
    _ = gettext(lang)
    credit = trusted(_(CREDIT).format(credit=provenance.BOUNDARY_CREDIT))
    text = export_text.shown_cite(
        provenance.CITATION,
        dataset_label=dataset.label,
        shown_label=dataset_label(dataset, lang),
        as_of=vintage,
        accessed=accessed,
        synthetic=dataset.kind == SYNTHETIC,
        lang=lang,
    )
    return Citation(credit, text)
