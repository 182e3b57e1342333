"""Overview: the state of the mission at a glance, for officials.

Everything shown is computed by :func:`smartcities.overview.build`; this page lays it out.
"""

from __future__ import annotations

import streamlit as st

from smartcities import overview
from smartcities.i18n import gettext
from smartcities.ui import frame as frame_ui
from smartcities.ui import render
from smartcities.ui.brief import render_brief_button

frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
view = overview.build(
    frame.engine,
    frame.scope,
    frame.vocab,
    as_of=frame.as_of,
    synthetic=frame.synthetic,
    lang=lang,
)

render.title(view.title)
render.caption(view.caption)
if view.no_cards_message:
    render.info(view.no_cards_message)
else:
    render.cards(view.cards, lang=lang)
    render.lazy_expander(
        _("Sources of these figures"),
        lambda: render.sources_table(view.sources, key="ov_sources", lang=lang),
        key="ov_sources_box",
    )

left, right = st.columns(2)
with left:
    render.subheader(_("Progress by selection round"))
    if view.rounds is None:
        render.info(view.messages["no_rounds"])
    else:
        render.display_table(view.rounds.frame, units=view.rounds.units, key="ov_rounds", lang=lang)
        render.caption(view.rounds.caption)
with right:
    render.subheader(_("States and UTs"))
    if view.states is None:
        render.info(view.messages["no_states"])
    else:
        render.display_table(view.states.frame, units=view.states.units, key="ov_states", lang=lang)

render.subheader(_("Cities needing attention"))
if view.lagging is None or view.lagging_chart is None:
    render.success(view.messages["no_lagging"])
else:
    render.chart(view.lagging_chart.figure, view.lagging_chart.summary, key="ov_lag_chart")
    render.display_table(view.lagging.frame, key="ov_lagging", lang=lang)
    render.caption(view.lagging.caption)
render.page_links(
    [
        ("pages/progress.py", _("Mission progress over time"), frame.params()),
        ("pages/map.py", _("Map of the cities"), frame.params()),
        (
            "pages/coverage.py",
            _("Data coverage: where figures exist, and where sources disagree"),
            frame.params(),
        ),
        ("pages/data.py", _("Download these figures"), frame.params()),
    ]
)
render_brief_button(frame)
