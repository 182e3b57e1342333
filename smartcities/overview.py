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

from smartcities import figures, fmt, metrics
from smartcities.cardtext import localised_card
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.metrics import Kpi
from smartcities.pageparts import Chart, TableView
from smartcities.query import Engine, Scope
from smartcities.safe import Safe, md
from smartcities.schema import ROUNDS
from smartcities.urlstate import Vocabulary
from smartcities.views import Selection, area_of, place_columns, scope_title

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


def card(kpi: Kpi, latest: pd.DataFrame, lang: str = DEFAULT_LANG) -> Card:
    """A card from a headline (``metrics.kpi``/``ratio_kpi``/the commitment share).

    A reported figure's row gives the change, date basis and note; a derived share takes its
    date basis and note from the figure it is computed from, and has no change. In Hindi the
    label, value, change and date are re-worded with the same numbers (as in the brief)."""
    own = _row(latest, kpi.key) if kpi.key in set(latest["metric"]) else None
    row = (
        own
        if own is not None
        else (_row(latest, BASIS_OF[kpi.key]) if kpi.key in BASIS_OF else None)
    )
    change_raw, direction = change_of(own)
    text = localised_card(kpi, own, lang) if lang != DEFAULT_LANG else None
    return Card(
        key=kpi.key,
        label=kpi.label if text is None else text.label,
        value=kpi.value if text is None else text.value,
        raw=kpi.raw,
        change=kpi.delta if text is None else text.delta,
        change_raw=change_raw,
        direction=direction,
        as_of_date=kpi.as_of,
        date_basis=None if row is None else _text(row.get("date_basis")),
        source_url=kpi.source_url,
        note=None if row is None else _text(row.get("note")),
        detail=metrics.localised_detail(kpi, latest, lang),
        dated=kpi.dated if text is None else text.dated,
        flag=kpi.flag if text is None else text.flag,
    )


def cards(latest: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[Card]:
    """The headline cards of one area (``latest`` rows of that area), reported ones only."""
    out = []
    for kpi in metrics.national_headlines(latest):
        if kpi.raw is None:
            continue
        out.append(card(kpi, latest, lang))
    return out


def _rounds_table(rounds: pd.DataFrame, lang: str = DEFAULT_LANG) -> TableView | None:
    wide = metrics.wide_latest(rounds, ROUND_METRICS)
    if wide.empty:
        return None
    order = {r: i for i, r in enumerate(ROUNDS)}
    wide = wide.sort_values("area_name", key=lambda s: s.map(lambda r: order.get(r, 9)))
    _ = gettext(lang)
    shown = wide.drop(columns=["area_id"])
    if lang != DEFAULT_LANG:
        shown = shown.assign(area_name=[_(str(r)) for r in shown["area_name"]])
    return TableView(
        shown,
        metrics.units_of(wide),
        _("Rounds report different things at different dates; blanks mean not reported."),
    )


def _states_table(states_latest: pd.DataFrame, lang: str = DEFAULT_LANG) -> TableView | None:
    wide = metrics.wide_latest(states_latest, STATE_METRICS)
    if wide.empty:
        return None
    shown = wide.drop(columns=["area_id"]).sort_values("area_name")
    if lang != DEFAULT_LANG:
        shown = shown.assign(
            area_name=[place_name("state", str(n), lang) for n in shown["area_name"]]
        )
    return TableView(shown, metrics.units_of(wide))


def _lagging_rows(lagging: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The lagging table's text in ``lang``: city and state names, the reason, the figure."""
    if lang == DEFAULT_LANG:
        return lagging
    _ = gettext(lang)
    out = place_columns(lagging, lang)
    out["reason"] = [_(str(r)) for r in out["reason"]]
    if "figure" in out.columns:
        out["figure"] = [_figure(str(f), lang) for f in out["figure"]]
    return out


# The words metrics.lagging_cities puts after a count ("12 ongoing", "0 completed").
_FIGURE_WORDS = {"ongoing": N_("{n} ongoing"), "completed": N_("{n} completed")}


def _figure(text: str, lang: str) -> str:
    number, _sep, word = text.partition(" ")
    template = _FIGURE_WORDS.get(word)
    return gettext(lang)(template).format(n=number) if template else text


def build(
    engine: Engine,
    scope: Scope,
    vocab: Vocabulary,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> Overview:
    """Everything the Overview shows for a selection (``as_of``: the date in force), worded in
    ``lang`` (English, the default, or Hindi)."""
    _ = gettext(lang)

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
        shown_lagging = _lagging_rows(lagging, lang)
        fig = figures.bar_counts(
            shown_lagging,
            "reason",
            title=_("Cities with an exception, by reason"),
            source=_("city-level reports and ICCC statements"),
            as_of=as_of,
            synthetic=synthetic,
            lang=lang,
        )
        chart = Chart(fig, figures.describe_counts(shown_lagging, "reason", lang=lang))
        lag_table = TableView(
            shown_lagging.drop(columns=["city_id"]),
            {},
            _("Only exceptions the data shows: a city with no report is not called lagging."),
        )
    shown_cards = cards(latest, lang) if not latest.empty else []
    shown_name = _(area_name) if area_name in ROUNDS else place_name(None, area_name, lang)
    if area_name == "India":
        shown_name = _("India")
    return Overview(
        title=_("Smart Cities Mission: {selection}").format(selection=scope_title(view, lang)),
        caption=md(
            _(
                "Figures as on **{}** (each card shows its own reporting date). "
                "{} Smart Cities in this selection."
            ),
            fmt.as_on(as_of, lang),
            fmt.count(len(cities)),
        ),
        area_name=area_name,
        cards=shown_cards,
        no_cards_message=(
            _(
                "No headline figures have been reported for {area} in this data set. Try the "
                "national view, or see the City profile and Data pages for what exists."
            ).format(area=shown_name)
            if not shown_cards
            else None
        ),
        sources=latest["source_url"].tolist() if not latest.empty else [],
        rounds=_rounds_table(engine.latest(scope, levels=("round",)), lang),
        states=_states_table(engine.latest(scope, levels=("state",)), lang),
        lagging=lag_table,
        lagging_chart=chart,
        messages={
            "no_rounds": _("No round-level figures for this selection."),
            "no_states": _("No state-level figures for this selection."),
            "no_lagging": _("No city-level exception in the reported data for this selection."),
        },
    )
