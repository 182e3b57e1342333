"""The Mission progress page's model: each tab's charts, tables and messages (no Streamlit).

The page is split into tabs and only the open tab's model is built: :func:`stages`,
:func:`trend`, :func:`funds`, :func:`totals`, :func:`comparison` then :func:`compare`, and
:func:`breakdown` for the funnel by sector. Each returns a :class:`~smartcities.pageparts.Section`
that ``pages/progress.py`` lays out; the page's options (the unit, the compared metric, the
breakdown) are read from the page's widgets and passed in. :func:`context` is built once per
run: the area the selection means and what every tab shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smartcities import figures, fmt, metrics, projects_view, provenance
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.pageparts import Chart, Section, TableView
from smartcities.query import Engine, Scope
from smartcities.safe import Safe, md, trusted
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, METRICS, metric_unit_label
from smartcities.urlstate import Vocabulary
from smartcities.views import Selection, area_label, area_of, scope_title

FUNDS = ("central_funds_released_inr_crore", "funds_utilised_inr_crore")
EVENT_KINDS = ("selection", "deadline", "finance")
DEFAULT_COMPARE = "central_funds_released_inr_crore"
SPLIT_ICON = ":material/call_split:"  # the note on the two meanings of "projects total"


@dataclass(frozen=True)
class Context:
    """What every tab shares: the selection, the area it means (``level``, ``area_id``, and
    ``area`` as shown in ``lang``), the date in force and the data set's mission events."""

    engine: Engine
    scope: Scope
    vocab: Vocabulary
    level: str
    area_id: str
    area: str
    as_of: pd.Timestamp | None
    synthetic: bool
    lang: str
    events: pd.DataFrame

    @property
    def common(self) -> dict[str, Any]:
        """The arguments every chart of the page takes (date, synthetic watermark, language)."""
        return {"as_of": self.as_of, "synthetic": self.synthetic, "lang": self.lang}


@dataclass(frozen=True)
class Heading:
    title: str
    caption: Safe


@dataclass(frozen=True)
class Comparison:
    """The areas a comparison shows for the selection (the states, or the cities of a state or
    round), their latest figures, and which comparable metrics they report."""

    heading: str
    level: str
    scope: Scope
    what: str  # "states and UTs", "cities of Bihar" (in the page's language)
    latest: pd.DataFrame
    available: frozenset[str]
    message: str | None  # why there is nothing to compare


def context(
    engine: Engine,
    scope: Scope,
    vocab: Vocabulary,
    *,
    events: pd.DataFrame,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> Context:
    """The shared part of the page's model (cheap: no query)."""
    level, area_id, name = area_of(Selection(scope, vocab))
    return Context(
        engine, scope, vocab, level, area_id, area_label(level, name, lang), as_of, synthetic,
        lang, events,
    )  # fmt: skip


def heading(ctx: Context) -> Heading:
    """The page's title (the selection) and its "as on" caption."""
    _ = gettext(ctx.lang)
    selection = scope_title(Selection(ctx.scope, ctx.vocab), ctx.lang)
    title = _("Mission progress: {selection}").format(selection=selection)
    caption = md(_("Figures for **{}** as on **{}**."), ctx.area, fmt.as_on(ctx.as_of, ctx.lang))
    return Heading(title, caption)


def _missing(ctx: Context, rows: pd.DataFrame, what: str, names: Sequence[str]) -> str | None:
    """Why a tab has nothing to draw (no such figure for the area), or None if it has."""
    if rows["metric"].isin(names).any():
        return None
    levels = ctx.engine.distinct("progress", "level")
    return metrics.no_figures_message(what, ctx.area, levels, ctx.lang)


def _series(ctx: Context, names: Sequence[str]) -> pd.DataFrame:
    return ctx.engine.series(ctx.scope, tuple(names), level=ctx.level, area_id=ctx.area_id)


def _sources(ctx: Context, series: pd.DataFrame, names: Sequence[str]) -> str:
    urls = series.loc[series["metric"].isin(names), "source_url"]
    return figures.source_note(urls, lang=ctx.lang)


def stages(ctx: Context, unit: str) -> Section:
    """ "Project stages": the funnel from tender to completion at the latest report of each
    stage (``unit``: "count" or "inr_crore"), with each stage's date and share of the last."""
    _, lang = gettext(ctx.lang), ctx.lang
    heading = _("From tender to completion")
    funnel = metrics.funnel_metrics(unit)
    latest = ctx.engine.latest(ctx.scope, levels=(ctx.level,))  # shared with the Overview
    latest = latest.loc[latest["area_id"] == ctx.area_id]
    message = _missing(ctx, latest, "project-stage", funnel)
    if message:
        return Section(heading, message=message)
    table = metrics.funnel_stages(latest, unit, lang)
    unit_text = figures.unit_label(metric_unit_label(funnel[0]), lang)
    title = _("Projects by stage, {area} ({unit})").format(area=ctx.area, unit=unit_text)
    source = figures.source_note(table["source_url"], lang=lang)
    fig = figures.funnel_chart(latest, unit=unit, title=title, source=source, **ctx.common)
    fig.update_layout(height=380)
    shown = table.drop(columns=["metric", "as_of_date"])
    shown = shown.rename(columns={"pct_of_previous": "share_of_previous"})
    units = {"value": unit, "share_of_previous": "pct"}
    return Section(
        heading,
        charts=(Chart(fig, metrics.describe_funnel(table, lang), "progress_funnel"),),
        tables=(TableView(shown, units, key="progress_funnel_table"),),
    )


def has_breakdown(ctx: Context) -> bool:
    """Whether the funnel can be broken down: the data set lists projects for the selection
    (asked in SQL; the projects are never read whole)."""
    return ctx.engine.has_projects(ctx.scope)


def breakdown(ctx: Context, by: str, unit: str) -> Section:
    """The funnel by ``by`` (a key of ``projects_view.BREAKDOWNS``: sector, or area-based vs
    pan-city), summed in SQL: at a million projects, reading every project's columns took the
    server from 0.3 to 2 GB on each page open."""
    _, lang = gettext(ctx.lang), ctx.lang
    sums = ctx.engine.funnel_breakdown(ctx.scope, by, unit, ctx.as_of)
    table = projects_view.funnel_from_sums(sums, by, lang)
    label = _(projects_view.BREAKDOWNS[by]).lower()
    title = _("Projects reaching each stage by {what}, {area}").format(what=label, area=ctx.area)
    fig = projects_view.breakdown_chart(table, unit=unit, title=title, **ctx.common)
    summary = projects_view.describe_breakdown(table, unit, by, lang)
    units = {stage: unit for stage in projects_view.FUNNEL}
    return Section(
        "",
        charts=(Chart(fig, summary, "progress_breakdown"),),
        tables=(TableView(table, units, key="progress_breakdown_table"),),
    )


def trend(ctx: Context, unit: str) -> Section:
    """ "Stages over time": the three stages' series, with mission events, and the conversion
    rates between them."""
    _, lang = gettext(ctx.lang), ctx.lang
    heading = _("Project stages and conversion rates over time")
    funnel = metrics.funnel_metrics(unit)
    series = _series(ctx, funnel)
    message = _missing(ctx, series, "project-stage", funnel)
    if message:
        return Section(heading, message=message)
    events = metrics.mission_events(ctx.events, EVENT_KINDS, ctx.as_of)
    title = _("Project stages over time, {area}").format(area=ctx.area)
    source = _sources(ctx, series, funnel)
    fig = figures.series_chart(
        series, funnel, title=title, source=source, events=events, **ctx.common
    )
    rates = metrics.conversion_rates(series, unit, lang)
    title = _("Conversion rates over time, {area}").format(area=ctx.area)
    rates_fig = figures.rates_chart(rates, title=title, source=source, **ctx.common)
    return Section(
        heading,
        charts=(
            Chart(fig, figures.describe_series(series, funnel, lang), "progress_stages"),
            Chart(rates_fig, metrics.describe_rates(rates, lang), "progress_rates"),
        ),
    )


def funds(ctx: Context) -> Section:
    """ "Central funds": released and utilised over time (against the ₹48,000 crore central
    commitment, nationally), and the utilisation ratio."""
    _, lang = gettext(ctx.lang), ctx.lang
    heading = _("Central funds released and utilised")
    series = _series(ctx, FUNDS)
    message = _missing(ctx, series, "central-funds", FUNDS)
    if message:
        return Section(heading, message=message)
    target: dict[str, Any] = {}
    if ctx.level == "national":  # the commitment is national; a state's line would mislead
        commitment = fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE, lang=lang)
        label = _("Central commitment {amount}").format(amount=commitment)
        target = {"target": CENTRAL_COMMITMENT_INR_CRORE, "target_label": label}
    title = _("Central funds released and utilised, {area}").format(area=ctx.area)
    source = _sources(ctx, series, FUNDS)
    fig = figures.series_chart(series, FUNDS, title=title, source=source, **target, **ctx.common)
    use = metrics.utilisation_over_time(series, lang)
    title = _("Utilisation of central funds, {area}").format(area=ctx.area)
    use_fig = figures.rates_chart(use, title=title, source=source, **ctx.common)
    return Section(
        heading,
        charts=(
            Chart(fig, figures.describe_series(series, FUNDS, lang), "progress_funds"),
            Chart(use_fig, metrics.describe_rates(use, lang), "progress_utilisation"),
        ),
    )


def totals(ctx: Context, unit: str) -> Section:
    """ "Proposed vs taken up": the two meanings of "projects total", never drawn as one line."""
    _, lang = gettext(ctx.lang), ctx.lang
    heading = _("Projects proposed at selection vs projects taken up")
    note = trusted(_(metrics.PROJECTS_TOTAL_CAVEAT))
    names = metrics.projects_total_meanings(unit)
    series = _series(ctx, names)
    message = _missing(ctx, series, "projects-total", names)
    if message:
        return Section(heading, note=note, note_icon=SPLIT_ICON, message=message)
    title = _("Two separate series: proposed vs taken up, {area}").format(area=ctx.area)
    source = _sources(ctx, series, names)
    fig = figures.series_chart(series, names, title=title, source=source, **ctx.common)
    summary = figures.describe_series(series, names, lang)
    chart = Chart(fig, summary, "progress_totals")
    return Section(heading, note=note, note_icon=SPLIT_ICON, charts=(chart,))


def comparison(ctx: Context) -> Comparison:
    """ "Compare areas", first step: which areas the selection compares (a city's peers are the
    cities of its state) and which metrics they report, for the metric choice."""
    _ = gettext(ctx.lang)
    vocab = ctx.vocab
    city_state = vocab.states.get(vocab.city_state.get(ctx.scope.city_id or "", ""))
    level, scope, what = metrics.comparison_scope(ctx.scope, city_state, ctx.lang)
    latest = ctx.engine.latest(scope, levels=(level,))
    available = frozenset(set(latest["metric"]) & set(metrics.COMPARABLE_METRICS))
    message = None
    if not available:
        message = _("No figures to compare across {what} in this data set.").format(what=what)
    return Comparison(_("Compare areas"), level, scope, what, latest, available, message)


# Every comparable metric, by label (those the areas do not report stay listed, marked).
COMPARE_CHOICES = tuple(sorted(metrics.COMPARABLE_METRICS, key=lambda m: METRICS[m].label))
NOT_REPORTED = N_("not reported here")


def compare_label(comparison: Comparison, metric: str, lang: str = DEFAULT_LANG) -> str:
    """A metric as the choice lists it, marked when the areas do not report it."""
    _ = gettext(lang)
    missing = "" if metric in comparison.available else " (" + _(NOT_REPORTED) + ")"
    return _(METRICS[metric].label) + missing


def compare(ctx: Context, comparison: Comparison, metric: str) -> Section:
    """ "Compare areas", second step: one metric across the areas, with the areas that do not
    report it counted and named under the chart. The heading is the comparison's (drawn above
    the metric choice)."""
    _, lang = gettext(ctx.lang), ctx.lang
    heading = ""
    if comparison.message:
        return Section(heading, message=comparison.message)
    level, latest = comparison.level, comparison.latest
    bars = latest[latest["metric"] == metric]
    shown = bars.assign(area_name=[place_name(level, n, lang) for n in bars["area_name"]])
    title = f"{_(METRICS[metric].label)}: {comparison.what}"
    source = figures.source_note(bars["source_url"], lang=lang)
    fig = figures.bar_by_area(shown, metric=metric, title=title, source=source, **ctx.common)
    summary = figures.describe_bars(shown, metric, lang) + provenance.mixed_dates_note(bars, lang)
    members = ctx.engine.cities(comparison.scope)
    areas = members["city_name" if level == "city" else "state_ut"].drop_duplicates()
    note = metrics.reporting_note(bars, sorted(areas.astype(str)), comparison.what, lang, level)
    return Section(heading, charts=(Chart(fig, summary, "progress_bars"),), caption=note)
