"""The ICCC record and stage breakdowns: per-city stages, cumulative counts, the ICCC headlines.

The per-city record dates some go-lives exactly and others only "on or before" a statement's
date; these helpers keep that distinction visible. Project stages share the same labels, so
the project breakdown of the city page lives here too (pure pandas, no UI).

The ICCC page's model is here too: :func:`build` (what the cards and every tab draw on), then
:func:`heading` (title, caption, cards) and one function per tab, :func:`national`,
:func:`stages` and :func:`cities`, each returning the
:class:`~smartcities.pageparts.Section` (s) that ``pages/iccc.py`` lays out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from smartcities import figures, fmt, metrics, provenance
from smartcities.cardtext import localised_card
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.metrics import Kpi, kpi, localised_detail
from smartcities.pageparts import Chart, Note, Section, TableView
from smartcities.query import Engine, Scope
from smartcities.safe import Safe, md
from smartcities.schema import METRICS
from smartcities.views import HasScope, place_columns, scope_title

STAGE_LABELS = {
    "dpr_under_preparation": N_("DPR under preparation"),
    "dpr_approved": N_("DPR approved"),
    "tendered": N_("Tendered"),
    "work_order_issued": N_("Work order issued (under implementation)"),
    "operational": N_("Operational"),
    "completed": N_("Completed"),
    "dropped": N_("Dropped"),
}
DATE_BASIS_LABELS = {"reported": N_("reported"), "on_or_before": N_("on or before")}
# The ICCC page's longer notes, marked for the catalog (translated where they are shown).
BOUNDED_NOTE = N_(
    "For {n} of these {total} cities the public record only says the ICCC was "
    "operational by {date} at the latest (date basis 'on or before'): it comes from "
    "a national statement that all ICCCs were operational, and the actual go-live "
    "dates were not published. The other cities' dates are reported."
)
NO_STAGE_NOTE = N_(
    "{n} of the {total} cities of this selection have no ICCC stage on record by {date}."
)
GAP_NOTE = N_(
    "The gap between the two is cities whose go-live date was never published city by city."
)
DISAGREE_NOTE = N_(
    "Sources disagree on {n} date(s); both figures are shown (hollow diamonds in "
    "the national count, one bar per source here) and neither is preferred."
)
ICCC_STAGE_METRICS = (
    "iccc_operational_count",
    "iccc_under_implementation_count",
    "iccc_tendered_count",
)


def iccc_status(iccc: pd.DataFrame) -> pd.DataFrame:
    """Each city's furthest ICCC stage on record (from ``Engine.iccc`` rows), with the date the
    stage was first recorded, whether that date is reported or an 'on or before' bound, and the
    source. Cities with no ICCC row do not appear."""
    cols = [
        "city_id",
        "city_name",
        "state_ut",
        "selection_round",
        "stage",
        "stage_date",
        "date_basis",
        "source_url",
        "note",
    ]
    if iccc.empty:
        return pd.DataFrame(columns=cols)
    data = iccc.assign(_rank=iccc["stage"].map({s: i for i, s in enumerate(STAGE_LABELS)}))
    data = data.sort_values(["city_id", "_rank", "stage_date"], ascending=[True, False, True])
    out = data.drop_duplicates("city_id", keep="first").reindex(columns=cols)
    return out.sort_values(["stage_date", "city_name"]).reset_index(drop=True)


def iccc_cumulative(iccc: pd.DataFrame) -> pd.DataFrame:
    """Cities known to have an operational ICCC by each date, from the per-city record.

    ``reported`` counts only cities whose operational date a source reports; ``with_bounds``
    also counts cities known only to be operational 'on or before' a date (counted at that
    date, which is the latest it can have happened, so the line is a lower bound)."""
    cols = ["as_of_date", "reported", "with_bounds"]
    ops = iccc[iccc["stage"] == "operational"] if len(iccc) else iccc
    if ops.empty:
        return pd.DataFrame(columns=cols)
    first = ops.sort_values("stage_date").drop_duplicates("city_id", keep="first")
    dates = sorted(first["stage_date"].unique())
    reported = first[first["date_basis"] == "reported"]["stage_date"]
    out = pd.DataFrame(
        {
            "as_of_date": pd.to_datetime(dates),
            "reported": [int((reported <= d).sum()) for d in dates],
            "with_bounds": [int((first["stage_date"] <= d).sum()) for d in dates],
        }
    )
    return out


def iccc_kpis(
    national_latest: pd.DataFrame, status: pd.DataFrame, n_cities: int, lang: str = DEFAULT_LANG
) -> list[Kpi]:
    """Headlines of the ICCC page: the national count, and what the per-city record says for
    the selection (how many cities are known operational, how many only by an upper date)."""
    _ = gettext(lang)
    national = kpi(national_latest, "iccc_operational_count", label=N_("ICCCs operational (India)"))
    if lang != DEFAULT_LANG and national.raw is not None:
        rows = national_latest[national_latest["metric"] == "iccc_operational_count"]
        text = localised_card(national, None if rows.empty else rows.iloc[0], lang)
        national = replace(
            national,
            label=text.label,
            value=text.value,
            delta=text.delta,
            dated=text.dated,
            detail=localised_detail(national, national_latest, lang),
        )
    out = [national]
    ops = status[status["stage"] == "operational"] if len(status) else status
    bounded = ops[ops["date_basis"] == "on_or_before"] if len(ops) else ops
    when = pd.Timestamp(ops["stage_date"].max()) if len(ops) else None
    out.append(
        Kpi(
            "iccc_known",
            _("Known operational"),
            _("{n} of {total}").format(n=fmt.count(len(ops)), total=fmt.count(n_cities))
            if lang != DEFAULT_LANG
            else f"{fmt.count(len(ops))} of {fmt.count(n_cities)}",
            None,
            when,
            None,
            _(
                "Cities of this selection whose ICCC a source names as operational, of all its "
                "cities."
            ),
            float(len(ops)),
        )
    )
    out.append(
        Kpi(
            "iccc_dated",
            _("With a reported date"),
            fmt.count(len(ops) - len(bounded)),
            None,
            None,
            None,
            _("Operational cities whose go-live date (or a date it was confirmed) is reported."),
            float(len(ops) - len(bounded)),
        )
    )
    out.append(
        Kpi(
            "iccc_bounded",
            _("Only 'on or before'"),
            fmt.count(len(bounded)),
            None,
            None,
            None,
            _("Cities covered only by a statement that all ICCCs were operational by a date."),
            float(len(bounded)),
        )
    )
    return out


def stage_reports(
    rows: pd.DataFrame, metrics: tuple[str, ...] = ICCC_STAGE_METRICS
) -> pd.DataFrame:
    """One row per report (date and source) that gives a stage breakdown: at least two of the
    stage ``metrics``. Columns: as_of_date, source_url, one column per metric (NaN if absent)."""
    data = rows[rows["metric"].isin(metrics)] if len(rows) else rows
    if data.empty:
        return pd.DataFrame(columns=["as_of_date", "source_url", *metrics])
    wide = data.pivot_table(
        index=["as_of_date", "source_url"], columns="metric", values="value", aggfunc="first"
    ).reindex(columns=list(metrics))
    wide = wide[wide.notna().sum(axis=1) >= 2]
    return wide.reset_index().sort_values(["as_of_date", "source_url"]).reset_index(drop=True)


def label_stages(rows: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Stage and date-basis codes replaced by their labels (in ``lang``), for display."""
    _ = gettext(lang)
    out = rows.copy()
    if "stage" in out.columns:
        out["stage"] = out["stage"].map(lambda s: _(STAGE_LABELS[s]) if s in STAGE_LABELS else s)
    if "date_basis" in out.columns:
        out["date_basis"] = out["date_basis"].map(
            lambda b: _(DATE_BASIS_LABELS[b]) if b in DATE_BASIS_LABELS else b
        )
    return out


def projects_by_stage(projects: pd.DataFrame) -> pd.DataFrame:
    """Counts and ₹ crore of a project list by latest stage (stage order of the contract)."""
    cols = ["stage", "projects", "cost_inr_crore"]
    if projects.empty:
        return pd.DataFrame(columns=cols)
    grouped = projects.groupby("stage", observed=True).agg(
        projects=("project_id", "size"), cost_inr_crore=("cost_inr_crore", "sum")
    )
    order = [s for s in STAGE_LABELS if s in grouped.index]
    order += [s for s in grouped.index if s not in order]
    out = grouped.reindex(order).reset_index()
    out["stage"] = out["stage"].map(lambda s: STAGE_LABELS.get(s, s))
    return out[cols]


# ---------------------------------------------------------------- the ICCC page's model


@dataclass(frozen=True)
class IcccPage:
    """What every tab of the ICCC page draws on: the headline cards' figures (the national
    latest counts, the cities of the selection and their furthest stage) and the national
    series, which all three tabs use (its chart, its stage breakdowns, the line the per-city
    record is held against). What only one tab shows is computed by that tab's function."""

    national_rows: pd.DataFrame  # every national ICCC figure by the date, all sources
    national_latest: pd.DataFrame
    cities: pd.DataFrame
    iccc_rows: pd.DataFrame  # the per-city record of the selection
    status: pd.DataFrame  # each city's furthest stage (iccc_status)
    primary: pd.DataFrame  # the national figures of the first source, per date
    others: pd.DataFrame  # other sources' figures for the same dates
    filtered: bool  # a state, round or city filter is set (the national chart stays national)

    @property
    def operational(self) -> pd.DataFrame:
        """The national count of operational ICCCs (first source)."""
        return self.primary[self.primary["metric"] == "iccc_operational_count"]

    @property
    def bounded(self) -> pd.DataFrame:
        """Cities whose stage date is only an 'on or before' bound."""
        return self.status[self.status["date_basis"] == "on_or_before"]


def build(engine: Engine, scope: Scope) -> IcccPage:
    """The ICCC page's queries for a filter scope (the national series ignores the filters)."""
    national = Scope(as_of=scope.as_of)
    rows = engine.progress(national, levels=("national",), metrics=ICCC_STAGE_METRICS)
    latest = engine.latest(national, levels=("national",), metrics=ICCC_STAGE_METRICS)
    iccc_rows = engine.iccc(scope)
    primary, others = provenance.split_sources(rows)
    filtered = any((scope.state_ut, scope.round, scope.city_id))
    return IcccPage(
        rows,
        latest,
        engine.cities(scope),
        iccc_rows,
        iccc_status(iccc_rows),
        primary,
        others,
        filtered,
    )


OPS = ("iccc_operational_count",)
EVENT_KINDS = ("iccc", "selection", "deadline")
DISAGREE_ICON = ":material/compare_arrows:"  # sources disagree on a date
BOUNDED_ICON = ":material/event_upcoming:"  # dates only known as "on or before"


@dataclass(frozen=True)
class Heading:
    """The page's title (the selection), its "as on" caption and its headline cards."""

    title: str
    caption: Safe
    cards: list[Kpi]


def heading(
    model: IcccPage, view: HasScope, *, as_of: pd.Timestamp | None, lang: str = DEFAULT_LANG
) -> Heading:
    """What stands above the tabs: the title names the selection (``view``: its scope and the
    URL vocabulary), the caption says what an ICCC is and the date in force."""
    _ = gettext(lang)
    title = _("ICCC rollout: {selection}").format(selection=scope_title(view, lang))
    caption = md(
        _(
            "Integrated Command and Control Centres (ICCCs) link a city's traffic, surveillance, "
            "utility and emergency systems. Target: all 100 Smart Cities. Figures as on **{}**."
        ),
        fmt.as_on(as_of, lang),
    )
    cards = iccc_kpis(model.national_latest, model.status, len(model.cities), lang)
    return Heading(title, caption, cards)


def national(
    model: IcccPage,
    events: pd.DataFrame,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> Section:
    """ "National count": operational ICCCs against the target of 100, with the mission's
    ``events`` (the data set's events table) marked and other sources' figures beside the
    first's. Always national: under a filter a caption says so."""
    _ = gettext(lang)
    parts: list[Chart | Note] = []
    if model.filtered:
        text = _("This chart is always national: the filters narrow the City by city tab.")
        parts.append(Note(text, "caption"))
    fig = figures.series_chart(
        model.operational,
        OPS,
        title=_("ICCCs operational, all India (number of cities)"),
        source=figures.source_note(model.national_rows["source_url"], lang=lang),
        events=metrics.mission_events(events, EVENT_KINDS, as_of),
        target=100,
        target_label=_("Target: 100 cities"),
        as_of=as_of,
        synthetic=synthetic,
        lang=lang,
    )
    figures.add_alternatives(fig, model.others, OPS, lang)
    summary = figures.describe_series(model.operational, OPS, lang)
    parts.append(Chart(fig, summary, "iccc_national"))
    return Section(_("National count against the target of 100"), parts=tuple(parts))


def stages(
    model: IcccPage,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> Section:
    """ "Stages as reported": the national reports that break ICCCs down by stage (or a note
    that none does), then the dates on which sources disagree, both figures in a table."""
    _ = gettext(lang)
    parts: list[Chart | TableView | Note] = []
    reports = stage_reports(model.national_rows)
    if reports.empty:
        parts.append(
            Note(_("No national report in this data set gives a breakdown of ICCCs by stage."))
        )
    else:
        title = _("ICCCs by stage in each report that gives a breakdown (national)")
        fig = figures.stage_reports_chart(
            reports, ICCC_STAGE_METRICS, title=title, as_of=as_of, synthetic=synthetic, lang=lang
        )
        summary = figures.describe_stage_reports(reports, ICCC_STAGE_METRICS, lang)
        parts.append(Chart(fig, summary, "iccc_stages"))
    conflicts = provenance.source_conflicts(model.national_rows)
    if not conflicts.empty:
        text = _(DISAGREE_NOTE).format(n=conflicts["as_of_date"].nunique())
        parts.append(Note(text, "warning", DISAGREE_ICON))
        conflicts["metric"] = conflicts["metric"].map(lambda m: _(METRICS[m].label))
        parts.append(TableView(conflicts, {"value": "count"}, key="iccc_conflicts"))
    return Section(_("Stages as reported"), parts=tuple(parts))


def cities(
    model: IcccPage,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> tuple[Section, Section]:
    """ "City by city", two sections: each city's furthest stage (with how many dates are only
    "on or before" a statement, and how many cities have no stage on record by ``as_of``),
    then the cities known operational over time, held against the national count unless a
    filter is set."""
    _ = gettext(lang)
    table: list[TableView | Note] = []
    if not model.bounded.empty:
        text = _(BOUNDED_NOTE).format(
            n=fmt.count(len(model.bounded)),
            total=fmt.count(len(model.status)),
            date=fmt.as_on(model.bounded["stage_date"].max(), lang),
        )
        table.append(Note(text, "info", BOUNDED_ICON))
    if len(model.status):
        shown = label_stages(model.status.drop(columns=["city_id"]), lang).fillna({"note": ""})
        table.append(TableView(place_columns(shown, lang), {}, key="iccc_cities"))
    if len(model.cities) > len(model.status):
        text = _(NO_STAGE_NOTE).format(
            n=fmt.count(len(model.cities) - len(model.status)),
            total=fmt.count(len(model.cities)),
            date=fmt.as_on(as_of, lang),
        )
        table.append(Note(text))

    cumulative = iccc_cumulative(model.iccc_rows)
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
        as_of=as_of,
        synthetic=synthetic,
        lang=lang,
    )
    summary = figures.describe_iccc_timeline(cumulative, national_line, lang)
    timeline: list[Chart | Note] = [Chart(fig, summary, "iccc_timeline")]
    if not model.bounded.empty:
        timeline.append(Note(_(GAP_NOTE), "caption"))
    if model.filtered:
        timeline.append(Note(_("The national count is left out while a filter is set."), "caption"))
    return (
        Section(_("City by city"), parts=tuple(table)),
        Section(_("Cities known operational over time"), parts=tuple(timeline)),
    )
