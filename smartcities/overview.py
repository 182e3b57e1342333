"""The Overview page's model: everything it shows, computed from the engine (no Streamlit).

``build(engine, scope, vocab, ...)`` returns an :class:`Overview`: the headline cards (each
with its value, change since the previous report, "as on" date, date basis, source and note),
the round and state tables, the cities needing attention with their chart, and the messages
for what is missing. ``pages/overview.py`` only lays it out, so the arithmetic an official
quotes (the sign of a change, a utilisation ratio, the share of the ₹48,000 crore commitment)
is tested here, in unit tests, not through the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from smartcities import figures, fmt, metrics
from smartcities.metrics import Kpi
from smartcities.query import Engine, Scope
from smartcities.safe import Safe, md
from smartcities.schema import ROUNDS
from smartcities.urlstate import Vocabulary
from smartcities.views import area_of, scope_title

ROUND_METRICS = [
    "cities_selected_count",
    "proposed_investment_inr_crore",
    "projects_taken_up_count",
    "projects_completed_count",
    "projects_completed_inr_crore",
]
STATE_METRICS = [
    "smart_cities_count",
    "central_funds_released_inr_crore",
    "funds_utilised_inr_crore",
    "projects_taken_up_count",
    "projects_completed_count",
    "projects_ongoing_count",
]


@dataclass(frozen=True)
class Card:
    """One headline figure with what an official needs to quote it.

    ``direction`` is the sign of the change since the previous report: ``"up"``, ``"down"``,
    ``"none"`` (reported again, unchanged) or ``None`` (no previous report, or a ratio).
    ``date_basis`` says how the date is known (the progress table's ``date_basis`` where the
    data set has one; None otherwise); wording for it is the page's.
    """

    key: str
    label: str
    value: str
    raw: float | None
    change: str | None
    change_raw: float | None
    direction: str | None
    as_of_date: pd.Timestamp | None
    date_basis: str | None
    source_url: str | None
    note: str | None
    detail: str
    # The date with how sure it is ("on or before 8 Jan 2026"), and what the checks found
    # (a running total that fell), from the headline (metrics.Kpi).
    dated: str = ""
    flag: str | None = None


@dataclass(frozen=True)
class TableView:
    """A table to show: rows, units of its value columns, and a caption."""

    frame: pd.DataFrame
    units: dict[str, str]
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    summary: str


@dataclass(frozen=True)
class Overview:
    title: str
    caption: Safe
    area_name: str
    cards: list[Card]
    no_cards_message: str | None
    sources: list[str]
    rounds: TableView | None
    states: TableView | None
    lagging: TableView | None
    lagging_chart: Chart | None
    messages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Selection:
    """What :func:`smartcities.views.area_of` reads: the scope and the URL vocabulary."""

    scope: Scope
    vocab: Vocabulary


def _row(latest: pd.DataFrame, metric: str) -> pd.Series | None:
    rows = latest[latest["metric"] == metric] if len(latest) else latest
    return None if rows.empty else rows.iloc[0]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def change_of(row: pd.Series | None) -> tuple[float | None, str | None]:
    """The change since the previous report of the same area and metric, and its direction."""
    if row is None or pd.isna(row.get("prev_value")) or pd.isna(row.get("value")):
        return None, None
    diff = float(row["value"]) - float(row["prev_value"])
    return diff, "up" if diff > 0 else "down" if diff < 0 else "none"


# Derived cards whose date and source are those of one reported figure.
BASIS_OF = {"commitment_pct": "central_funds_released_inr_crore"}


def card(kpi: Kpi, latest: pd.DataFrame) -> Card:
    """A card from a headline (``metrics.kpi``/``ratio_kpi``/the commitment share).

    A reported figure's row gives the change, date basis and note; a derived share takes its
    date basis and note from the figure it is computed from, and has no change."""
    own = _row(latest, kpi.key) if kpi.key in set(latest["metric"]) else None
    row = (
        own
        if own is not None
        else (_row(latest, BASIS_OF[kpi.key]) if kpi.key in BASIS_OF else None)
    )
    change_raw, direction = change_of(own)
    return Card(
        key=kpi.key,
        label=kpi.label,
        value=kpi.value,
        raw=kpi.raw,
        change=kpi.delta,
        change_raw=change_raw,
        direction=direction,
        as_of_date=kpi.as_of,
        date_basis=None if row is None else _text(row.get("date_basis")),
        source_url=kpi.source_url,
        note=None if row is None else _text(row.get("note")),
        detail=kpi.detail,
        dated=kpi.dated,
        flag=kpi.flag,
    )


def cards(latest: pd.DataFrame) -> list[Card]:
    """The headline cards of one area (``latest`` rows of that area), reported ones only."""
    out = []
    for kpi in metrics.national_headlines(latest):
        if kpi.raw is None:
            continue
        out.append(card(kpi, latest))
    return out


def _rounds_table(rounds: pd.DataFrame) -> TableView | None:
    wide = metrics.wide_latest(rounds, ROUND_METRICS)
    if wide.empty:
        return None
    order = {r: i for i, r in enumerate(ROUNDS)}
    wide = wide.sort_values("area_name", key=lambda s: s.map(lambda r: order.get(r, 9)))
    return TableView(
        wide.drop(columns=["area_id"]),
        metrics.units_of(wide),
        "Rounds report different things at different dates; blanks mean not reported.",
    )


def _states_table(states_latest: pd.DataFrame) -> TableView | None:
    wide = metrics.wide_latest(states_latest, STATE_METRICS)
    if wide.empty:
        return None
    return TableView(
        wide.drop(columns=["area_id"]).sort_values("area_name"), metrics.units_of(wide)
    )


def build(
    engine: Engine,
    scope: Scope,
    vocab: Vocabulary,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
) -> Overview:
    """Everything the Overview shows for a selection (``as_of``: the date in force)."""

    view = Selection(scope, vocab)
    level, area_id, area_name = area_of(view)
    latest = engine.latest(scope, levels=(level,))
    latest = latest[latest["area_id"] == area_id]
    cities = engine.cities(scope)
    city_latest = engine.latest(scope, levels=("city",))
    lagging = metrics.lagging_cities(cities, engine.iccc(scope), city_latest, as_of)

    chart = None
    lag_table = None
    if not lagging.empty:
        fig = figures.bar_counts(
            lagging,
            "reason",
            title="Cities with an exception, by reason",
            source="city-level reports and ICCC statements",
            as_of=as_of,
            synthetic=synthetic,
        )
        chart = Chart(fig, figures.describe_counts(lagging, "reason"))
        lag_table = TableView(
            lagging.drop(columns=["city_id"]),
            {},
            "Only exceptions the data shows: a city with no report is not called lagging.",
        )
    shown_cards = cards(latest) if not latest.empty else []
    return Overview(
        title=f"Smart Cities Mission: {scope_title(view)}",
        caption=md(
            "Figures as on **{}** (each card shows its own reporting date). "
            "{} Smart Cities in this selection.",
            fmt.as_on(as_of),
            fmt.count(len(cities)),
        ),
        area_name=area_name,
        cards=shown_cards,
        no_cards_message=(
            f"No headline figures have been reported for {area_name} in this data set. Try the "
            "national view, or see the City profile and Data pages for what exists."
            if not shown_cards
            else None
        ),
        sources=latest["source_url"].tolist() if not latest.empty else [],
        rounds=_rounds_table(engine.latest(scope, levels=("round",))),
        states=_states_table(engine.latest(scope, levels=("state",))),
        lagging=lag_table,
        lagging_chart=chart,
        messages={
            "no_rounds": "No round-level figures for this selection.",
            "no_states": "No state-level figures for this selection.",
            "no_lagging": "No city-level exception in the reported data for this selection.",
        },
    )
