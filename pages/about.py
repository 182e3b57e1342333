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
from smartcities.safe import md, trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render


def sources_section() -> None:
    # Once per data set: at 4,500 towns (6.7 million rows) it took 4 s, on every open.
    domains, pages = frame.engine.memo(
        "sources_by_domain", lambda: provenance.domains_from_counts(frame.engine.source_counts())
    )
    render.text(
        f"{fmt.count(len(pages))} distinct sources on {fmt.count(len(domains))} sites or kinds "
        "of source lie behind the tables of this data set (rows counted over all tables)."
    )
    if domains.empty:
        render.info("This data set names no sources.")
        return
    render.display_table(domains, units={"pages": "count", "rows": "count"}, key="about_domains")

    def every_source() -> None:
        links = pages.assign(
            link=[u if render.is_web_url(u) else None for u in pages["source_url"]]
        )
        st.dataframe(
            links[["domain", "link", "source_url", "rows", "tables"]],
            column_config={
                "domain": "Site",
                "link": st.column_config.LinkColumn("Open", display_text="open"),
                "source_url": st.column_config.TextColumn("Source", width="large"),
                "rows": st.column_config.NumberColumn("Rows", format="%d"),
                "tables": "Tables",
            },
            hide_index=True,
            key="about_sources",
        )

    render.lazy_expander("Every source, by site", every_source, key="about_sources_box")


def method_section() -> None:
    render.text(trusted(provenance.METHODOLOGY_MD))


def measures_section() -> None:
    render.caption(
        trusted("Generated from the data contract (`smartcities/schema.py`), not written by hand.")
    )
    labels = {"label": "Measure", "description": "What it counts", "unit": "Unit", "kind": "Kind"}
    definitions = metrics.metric_definitions()
    st.table(definitions.rename(columns=labels | {"metric": "Metric"}), hide_index=True)
    render.caption(
        trusted(
            "Kinds: *cumulative* counts everything so far; *snapshot* is the position on the date; "
            "*total* is a fixed total (of a round, or of the project list); *flag* is 1 for yes. "
            "₹ crore: 1 crore = 1,00,00,000 (10 million) rupees; 1 lakh crore = ₹1,00,000 crore."
        )
    )


def source_notes() -> None:
    notes = BUNDLED_DATA / "SOURCES.md"
    if notes.exists():
        render.text(trusted(notes.read_text(encoding="utf-8")))
    else:
        render.info("The notes file is not bundled with this installation.")


def caveats_section() -> None:
    render.text(trusted(provenance.CAVEATS_MD))
    render.lazy_expander(
        "Full notes on the sources (data/SOURCES.md)", source_notes, key="about_notes_box"
    )


def cite_section() -> None:
    render.text(
        trusted(
            "**Data:** facts from public Government of India statements, parliamentary answers and "
            "news reports (each with its source); city coordinates from GeoNames (CC BY 4.0). "
            f"**Maps:** {provenance.BOUNDARY_CREDIT} (`data/boundaries/PROVENANCE.json`). "
            "**Code:** MIT licence."
        )
    )
    cited = export_text.cite(
        frame_ui.CITATION, dataset_label=frame.dataset.label, as_of=vintage, accessed=date.today()
    )
    render.citation(cited, key="about_citation")


frame = frame_ui.current()
vintage = frame.dataset.latest_as_of()

render.title("About the dashboard and its sources")
render.text(
    md(
        "An open-source dashboard of India's **Smart Cities Mission** (2015–2025): the ICCC "
        "rollout, the project funnel, funds and city profiles, with the source of every figure. "
        "Data set shown: **{}**; latest figure as on **{}**.",
        frame.dataset.label,
        fmt.as_on(vintage),
    )
)
SECTIONS = {
    "sources": ("Sources", sources_section),
    "method": ("Methodology", method_section),
    "measures": ("Measures", measures_section),
    "caveats": ("Caveats", caveats_section),
    "cite": ("Licence and citation", cite_section),
}
options.tabs("about", "section", SECTIONS, "sources")
render.page_links([("pages/data.py", "Data dictionary and downloads", frame.params())])
