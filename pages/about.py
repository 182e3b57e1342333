"""About: where the figures come from, how data/ was built, what each measure means, caveats,
licence and citation.

Everything shown is computed by :mod:`smartcities.about_view` (the metric definitions from
``schema.METRICS``, the source list from the data set in use); this page lays it out. The
sections are tabs and only the open one's model is built (a page of reference text was slow
to open); the open tab is in the URL (``section=``), so a link can point at the caveats or the
citation.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from smartcities import about_view
from smartcities.i18n import gettext
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render


def sources_section() -> None:
    shown = about_view.sources(frame.engine, lang)
    render.text(shown.summary)
    if shown.message:
        render.info(shown.message)
        return
    table = shown.domains
    render.display_table(table.frame, units=table.units, key=table.key, lang=lang)

    def every_source() -> None:
        st.dataframe(
            shown.pages,
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
    render.text(about_view.method(lang))


def measures_section() -> None:
    shown = about_view.measures(lang)
    render.caption(shown.caption)
    st.table(shown.table, hide_index=True)
    render.caption(shown.kinds)


def source_notes() -> None:
    notes = about_view.source_notes()
    if notes is None:
        render.info(_("The notes file is not bundled with this installation."))
    else:
        render.text(notes)


def caveats_section() -> None:
    shown = about_view.caveats(lang)
    render.text(shown.text)
    render.lazy_expander(shown.notes_title, source_notes, key="about_notes_box")


def cite_section() -> None:
    shown = about_view.citation(frame.dataset, vintage, accessed=date.today(), lang=lang)
    render.text(shown.credit)
    render.citation(shown.text, key="about_citation")


frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
vintage = frame.dataset.latest_as_of()

render.title(_("About the dashboard and its sources"))
render.text(about_view.intro(frame.dataset, vintage, lang))
SECTIONS = {
    "sources": (_("Sources"), sources_section),
    "method": (_("Methodology"), method_section),
    "measures": (_("Measures"), measures_section),
    "caveats": (_("Caveats"), caveats_section),
    "cite": (_("Licence and citation"), cite_section),
}
options.tabs("about", "section", SECTIONS, "sources")
render.page_links([("pages/data.py", _("Data dictionary and downloads"), frame.params())])
