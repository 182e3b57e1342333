"""ICCC rollout: how the 100 Integrated Command and Control Centres came into operation.

The national count comes from ministers' statements and replies; the per-city record is thin
(dated reports for a few cities, then one "all 100 operational" statement), so the page keeps
the two apart and says which dates are only upper bounds. The three parts are tabs and only
the open one runs; the open tab is in the URL (``section=``).
"""

from __future__ import annotations

from smartcities import figures, fmt, iccc, metrics, provenance
from smartcities.i18n import gettext
from smartcities.iccc import ICCC_STAGE_METRICS
from smartcities.safe import md
from smartcities.schema import METRICS
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.views import place_columns, scope_title

frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
model = iccc.build(frame.engine, frame.scope)  # what the cards and every tab draw on

# --- render
render.title(_("ICCC rollout: {selection}").format(selection=scope_title(frame, lang)))
render.caption(
    md(
        _(
            "Integrated Command and Control Centres (ICCCs) link a city's traffic, surveillance, "
            "utility and emergency systems. Target: all 100 Smart Cities. Figures as on **{}**."
        ),
        fmt.as_on(frame.as_of, lang),
    )
)
render.kpi_grid(
    iccc.iccc_kpis(model.national_latest, model.status, len(model.cities), lang),
    columns=4,
    lang=lang,
)

OPS = ["iccc_operational_count"]
common = {"as_of": frame.as_of, "synthetic": frame.synthetic, "lang": lang}


def national_section() -> None:
    render.subheader(_("National count against the target of 100"))
    if model.filtered:
        render.caption(_("This chart is always national: the filters narrow the City by city tab."))
    kinds = ("iccc", "selection", "deadline")
    events = metrics.mission_events(frame.dataset.table("events"), kinds, frame.as_of)
    fig = figures.series_chart(
        model.operational,
        OPS,
        title=_("ICCCs operational, all India (number of cities)"),
        source=figures.source_note(model.national_rows["source_url"], lang=lang),
        events=events,
        target=100,
        target_label=_("Target: 100 cities"),
        **common,
    )
    figures.add_alternatives(fig, model.others, OPS, lang)
    render.chart(fig, figures.describe_series(model.operational, OPS, lang), key="iccc_national")


def stages_section() -> None:
    render.subheader(_("Stages as reported"))
    reports = iccc.stage_reports(model.national_rows)
    if reports.empty:
        render.info(_("No national report in this data set gives a breakdown of ICCCs by stage."))
    else:
        title = _("ICCCs by stage in each report that gives a breakdown (national)")
        fig = figures.stage_reports_chart(reports, ICCC_STAGE_METRICS, title=title, **common)
        text = figures.describe_stage_reports(reports, ICCC_STAGE_METRICS, lang)
        render.chart(fig, text, key="iccc_stages")
    conflicts = provenance.source_conflicts(model.national_rows)
    if not conflicts.empty:
        render.warning(
            _(iccc.DISAGREE_NOTE).format(n=conflicts["as_of_date"].nunique()),
            icon=":material/compare_arrows:",
        )
        conflicts["metric"] = conflicts["metric"].map(lambda m: _(METRICS[m].label))
        render.display_table(conflicts, units={"value": "count"}, key="iccc_conflicts", lang=lang)


def cities_section() -> None:
    render.subheader(_("City by city"))
    if not model.bounded.empty:
        render.info(
            _(iccc.BOUNDED_NOTE).format(
                n=fmt.count(len(model.bounded)),
                total=fmt.count(len(model.status)),
                date=fmt.as_on(model.bounded["stage_date"].max(), lang),
            ),
            icon=":material/event_upcoming:",
        )
    if len(model.status):
        shown = iccc.label_stages(model.status.drop(columns=["city_id"]), lang).fillna({"note": ""})
        render.display_table(place_columns(shown, lang), key="iccc_cities", lang=lang)
    if len(model.cities) > len(model.status):
        render.info(
            _(iccc.NO_STAGE_NOTE).format(
                n=fmt.count(len(model.cities) - len(model.status)),
                total=fmt.count(len(model.cities)),
                date=fmt.as_on(frame.as_of, lang),
            )
        )

    render.subheader(_("Cities known operational over time"))
    cumulative = iccc.iccc_cumulative(model.iccc_rows)
    national_line = None if model.filtered else model.operational
    urls = [
        *model.iccc_rows["source_url"],
        *([] if national_line is None else national_line["source_url"]),
    ]
    fig = figures.iccc_timeline_chart(
        cumulative,
        national_line,
        title=_("Cities with an operational ICCC: per-city record")
        if model.filtered
        else _("Cities with an operational ICCC: per-city record vs national"),
        source=figures.source_note(urls, lang=lang),
        target=None if model.filtered else 100,
        **common,
    )
    render.chart(
        fig, figures.describe_iccc_timeline(cumulative, national_line, lang), key="iccc_timeline"
    )
    if not model.bounded.empty:
        render.caption(_(iccc.GAP_NOTE))
    if model.filtered:
        render.caption(_("The national count is left out while a filter is set."))


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
