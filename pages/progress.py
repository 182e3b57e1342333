"""Mission progress, for analysts: the project funnel, its rates over time, funds, comparisons.

Everything shown is computed by :mod:`smartcities.progress_view`; this page lays it out. The
page is split into tabs and only the open tab's model is built (its queries and charts): a
filter change redraws one or two charts instead of seven. The open tab (``section``) and the
page options (``unit``, ``compare``, ``by``) live in the URL beside the shared filters, so any
view can be shared; only non-default values are written, and a bad value warns and falls back.
"""

from __future__ import annotations

from smartcities import progress_view
from smartcities.i18n import gettext
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.ui import progress as progress_ui
from smartcities.ui import projects as projects_ui

frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
ctx = progress_view.context(
    frame.engine,
    frame.scope,
    frame.vocab,
    events=frame.dataset.table("events"),
    as_of=frame.as_of,
    synthetic=frame.synthetic,
    lang=lang,
)


def stages_section() -> None:
    unit = progress_ui.unit_choice(lang)
    stages = progress_view.stages(ctx, unit)
    render.section(stages, lang=lang)
    # Only when the data set lists projects (summed in SQL, never read whole).
    if not stages.empty and progress_view.has_breakdown(ctx):
        by = projects_ui.breakdown_choice(lang)
        if by != projects_ui.BY_DEFAULT:
            render.section(progress_view.breakdown(ctx, by, unit), lang=lang)


def trend_section() -> None:
    unit = progress_ui.unit_choice(lang)
    render.section(progress_view.trend(ctx, unit), lang=lang)


def funds_section() -> None:
    render.section(progress_view.funds(ctx), lang=lang)


def totals_section() -> None:
    unit = progress_ui.unit_choice(lang)
    render.section(progress_view.totals(ctx, unit), lang=lang)


def compare_section() -> None:
    comparison = progress_view.comparison(ctx)
    render.subheader(comparison.heading)
    metric = progress_ui.compare_choice(comparison, lang=lang) if not comparison.message else ""
    render.section(progress_view.compare(ctx, comparison, metric), lang=lang)


top = progress_view.heading(ctx)
render.title(top.title)
render.caption(top.caption)
SECTIONS = {
    "stages": (_("Project stages"), stages_section),
    "trend": (_("Stages over time"), trend_section),
    "funds": (_("Central funds"), funds_section),
    "totals": (_("Proposed vs taken up"), totals_section),
    "compare": (_("Compare areas"), compare_section),
}
options.tabs("progress", "section", SECTIONS, "stages")
links = [("pages/city.py", _("City profile")), ("pages/data.py", _("Download these figures"))]
render.page_links([(path, text, frame.params()) for path, text in links])
