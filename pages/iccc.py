"""ICCC rollout: how the 100 Integrated Command and Control Centres came into operation.

The national count comes from ministers' statements and replies; the per-city record is thin
(dated reports for a few cities, then one "all 100 operational" statement), so the page keeps
the two apart and says which dates are only upper bounds. Everything shown is computed by the
page model in :mod:`smartcities.iccc` (``build``, ``heading`` and one function per tab); this
page lays it out. The three parts are tabs and only the open one's model is built; the open
tab is in the URL (``section=``).
"""

from __future__ import annotations

from smartcities import iccc
from smartcities.i18n import gettext
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render

frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
model = iccc.build(frame.engine, frame.scope)  # what the cards and every tab draw on
common = {"as_of": frame.as_of, "synthetic": frame.synthetic, "lang": lang}

top = iccc.heading(model, frame, as_of=frame.as_of, lang=lang)
render.title(top.title)
render.caption(top.caption)
render.kpi_grid(top.cards, columns=4, lang=lang)


def national_section() -> None:
    render.section(iccc.national(model, frame.dataset.table("events"), **common), lang=lang)


def stages_section() -> None:
    render.section(iccc.stages(model, **common), lang=lang)


def cities_section() -> None:
    for part in iccc.cities(model, **common):
        render.section(part, lang=lang)


SECTIONS = {
    "national": (_("National count"), national_section),
    "stages": (_("Stages as reported"), stages_section),
    "cities": (_("City by city"), cities_section),
}
options.tabs("iccc", "section", SECTIONS, "national")
render.page_links(
    [
        ("pages/city.py", _("City profile"), frame.params()),
        ("pages/progress.py", _("Mission progress"), frame.params()),
        ("pages/data.py", _("Download the ICCC table"), frame.params()),
    ]
)
