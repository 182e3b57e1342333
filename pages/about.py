"""About: where the figures come from, how data/ was built, what each measure means, caveats,
licence and citation.

The metric definitions are generated from ``schema.METRICS`` and the source list from the data
set in use, so this page cannot drift from the data it describes. The sections are tabs and
only the open one runs (a page of reference text was slow to open); the open tab is in the URL
(``section=``), so a link can point at the caveats or the citation.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from smartcities import export_text, fmt, metrics, provenance
from smartcities.config import BUNDLED_DATA
from smartcities.i18n import gettext
from smartcities.safe import md, trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render


def sources_section() -> None:
    # Once per data set: at 4,500 towns (6.7 million rows) it took 4 s, on every open.
    domains, pages = frame.engine.memo(
        "sources_by_domain", lambda: provenance.domains_from_counts(frame.engine.source_counts())
    )
    render.text(
        _(
            "{pages} distinct sources on {sites} sites or kinds of source lie behind the tables "
            "of this data set (rows counted over all tables)."
        ).format(pages=fmt.count(len(pages)), sites=fmt.count(len(domains)))
    )
    if domains.empty:
        render.info(_("This data set names no sources."))
        return
    units = {"pages": "count", "rows": "count"}
    render.display_table(domains, units=units, key="about_domains", lang=lang)

    def every_source() -> None:
        links = pages.assign(
            link=[u if render.is_web_url(u) else None for u in pages["source_url"]]
        )
        st.dataframe(
            links[["domain", "link", "source_url", "rows", "tables"]],
            column_config={
                "domain": _("Site"),
                "link": st.column_config.LinkColumn(_("Open"), display_text=_("open")),
                "source_url": st.column_config.TextColumn(_("Source"), width="large"),
                "rows": st.column_config.NumberColumn(_("Rows"), format="%d"),
                "tables": _("Tables"),
            },
            hide_index=True,
            key="about_sources",
        )

    render.lazy_expander(_("Every source, by site"), every_source, key="about_sources_box")


def method_section() -> None:
    render.text(trusted(_(provenance.METHODOLOGY_MD)))


def measures_section() -> None:
    render.caption(
        trusted(_("Generated from the data contract (smartcities/schema.py), not written by hand."))
    )
    labels = {"label": _("Measure"), "description": _("What it counts"), "unit": _("Unit")}
    labels |= {"kind": _("Kind"), "metric": _("Metric")}
    st.table(metrics.metric_definitions(lang).rename(columns=labels), hide_index=True)
    render.caption(
        trusted(
            _(
                "Kinds: *cumulative* counts everything so far; *snapshot* is the position on the "
                "date; *total* is a fixed total (of a round, or of the project list); *flag* is 1 "
                "for yes. ₹ crore: 1 crore = 1,00,00,000 (10 million) rupees; 1 lakh crore = "
                "₹1,00,000 crore."
            )
        )
    )


def source_notes() -> None:
    notes = BUNDLED_DATA / "SOURCES.md"
    if notes.exists():
        render.text(trusted(notes.read_text(encoding="utf-8")))
    else:
        render.info(_("The notes file is not bundled with this installation."))


def caveats_section() -> None:
    render.text(trusted(_(provenance.CAVEATS_MD)))
    title = _("Full notes on the sources (data/SOURCES.md)")
    if lang != "en":
        title += " · " + _("in English")
    render.lazy_expander(title, source_notes, key="about_notes_box")


def cite_section() -> None:
    credit = _(
        "**Data:** facts from public Government of India statements, parliamentary answers and "
        "news reports (each with its source); city coordinates from GeoNames (CC BY 4.0). "
        "**Maps:** {credit} (`data/boundaries/PROVENANCE.json`). **Code:** MIT licence."
    )
    render.text(trusted(credit.format(credit=provenance.BOUNDARY_CREDIT)))
    today = date.today()
    cited = export_text.cite(
        frame_ui.CITATION, dataset_label=frame.dataset.label, as_of=vintage, accessed=today
    )
    if lang != "en":  # the same parts, worded in the page's language (dates stay ISO)
        cited = _("{citation} Data set: {label}; figures as on {date}; accessed {accessed}.")
        when = vintage.date().isoformat() if vintage is not None else _("latest")
        label = frame_ui.dataset_label(frame.dataset, lang)
        cited = cited.format(citation=_(frame_ui.CITATION), label=label, date=when, accessed=today)
    render.citation(cited, key="about_citation")


frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
vintage = frame.dataset.latest_as_of()

render.title(_("About the dashboard and its sources"))
render.text(
    md(
        _(
            "An open-source dashboard of India's **Smart Cities Mission** (2015–2025): the ICCC "
            "rollout, the project funnel, funds and city profiles, with the source of every "
            "figure. Data set shown: **{}**; latest figure as on **{}**."
        ),
        frame_ui.dataset_label(frame.dataset, lang),
        fmt.as_on(vintage, lang),
    )
)
SECTIONS = {
    "sources": (_("Sources"), sources_section),
    "method": (_("Methodology"), method_section),
    "measures": (_("Measures"), measures_section),
    "caveats": (_("Caveats"), caveats_section),
    "cite": (_("Licence and citation"), cite_section),
}
options.tabs("about", "section", SECTIONS, "sources")
render.page_links([("pages/data.py", _("Data dictionary and downloads"), frame.params())])
