"""The City profile's figures: cards with dates and bases, a timeline, the city among its peers.

Pure functions over query results (``Engine.latest``/``Engine.progress`` rows); the page lays
them out. A card is the city's latest figure on or before the view's date, saying how sure its
date is; the comparison with round and state peers uses only peers that report the same measure
and says how many do and how far apart their dates are.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from smartcities import checks, figures, fmt
from smartcities.cardtext import localised_card
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.metrics import Kpi, kpi, localised_detail
from smartcities.schema import METRICS
from smartcities.views import place_columns

# The cards, in order (issue: taken up, completed and % completed, ongoing, funds, rank).
CARD_METRICS: tuple[str, ...] = (
    "projects_taken_up_count",
    "projects_completed_count",
    "projects_completed_inr_crore",
    "projects_ongoing_count",
    "central_funds_released_inr_crore",
    "funds_utilised_inr_crore",
    "funds_released_incl_state_share_inr_crore",
    "funds_utilised_incl_state_share_inr_crore",
    "city_rank",
    "all_projects_completed_flag",
)
TIMELINE_METRICS: tuple[str, ...] = (
    "projects_taken_up_count",
    "projects_completed_count",
    "projects_ongoing_count",
)
PEER_METRICS: tuple[str, ...] = (
    "projects_completed_count",
    "projects_completed_inr_crore",
    "central_funds_released_inr_crore",
    "funds_utilised_inr_crore",
    "city_rank",
)
SHARE_DONE = "share_completed_pct"


def cards(latest: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[Kpi]:
    """The city's headline cards from its ``Engine.latest`` rows (metrics it reports only).

    Projects completed reads "156 of 161" when the count of projects taken up is known, with
    the share completed in its help text; figures that include the state share say so. In
    Hindi the label, value, change and date are re-worded with the same numbers (as the brief
    does), and the help text says what the figure counts in Hindi.
    """
    english = _cards(latest)
    if lang == DEFAULT_LANG:
        return english
    out = []
    for card in english:
        rows = latest[latest["metric"] == card.key]
        text = localised_card(card, None if rows.empty else rows.iloc[0], lang)
        out.append(
            replace(
                card,
                label=text.label,
                value=text.value,
                delta=text.delta,
                dated=text.dated,
                flag=text.flag,
                detail=localised_detail(card, latest, lang),
            )
        )
    return out


def _cards(latest: pd.DataFrame) -> list[Kpi]:
    have = set(latest["metric"])
    out: list[Kpi] = []
    taken = latest[latest["metric"] == "projects_taken_up_count"]
    for metric in CARD_METRICS:
        if metric not in have:
            continue
        card = kpi(latest, metric)
        if metric == "projects_completed_count" and not taken.empty:
            total = float(taken["value"].iat[0])
            done = float(card.raw or 0)
            if total > 0:
                share = 100 * done / total
                same_date = pd.Timestamp(taken["as_of_date"].iat[0]) == card.as_of
                taken_dated = fmt.dated(taken["as_of_date"].iat[0], taken["date_basis"].iat[0])
                card = replace(
                    card,
                    label="Projects completed (of taken up)",
                    value=f"{fmt.count(done)} of {fmt.count(total)}",
                    detail=f"{fmt.pct(share)} of the projects taken up are completed"
                    + ("" if same_date else f" (projects taken up {taken_dated})")
                    + ". "
                    + card.detail,
                )
        if metric.endswith("incl_state_share_inr_crore"):
            card = replace(card, detail=card.detail + " " + checks.STATE_SHARE_LABEL + ".")
        out.append(card)
    return out


def share_completed(latest: pd.DataFrame) -> float | None:
    """Projects completed as a % of projects taken up, from one area's latest rows."""
    by = latest.drop_duplicates("metric").set_index("metric")
    if {"projects_completed_count", "projects_taken_up_count"} <= set(by.index):
        total = float(by.at["projects_taken_up_count", "value"])
        if total > 0:
            return 100 * float(by.at["projects_completed_count", "value"]) / total
    return None


def timeline(rows: pd.DataFrame) -> pd.DataFrame:
    """The city's project counts over time (first source per date), when two or more dates
    report them; empty otherwise (one date is a card, not a line)."""
    data = rows[rows["metric"].isin(TIMELINE_METRICS)]
    if data["as_of_date"].nunique() < 2:
        return data.iloc[0:0]
    data = data.reset_index(drop=True)
    data = data.drop_duplicates(["metric", "as_of_date"], keep="first")
    return data.sort_values(["metric", "as_of_date"]).reset_index(drop=True)


PEERS_CAPTION = N_(
    "Only peers that report a measure are counted; their figures can be of different dates "
    "(see the last column), so read positions as indicative."
)


def timeline_chart(
    rows: pd.DataFrame,
    name: str,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool,
    lang: str = DEFAULT_LANG,
) -> tuple[go.Figure, str] | None:
    """The city's projects over time and its text summary, or None under two reported dates
    (``name`` as it is shown, in ``lang``)."""
    line = timeline(rows)
    if line.empty:
        return None
    _ = gettext(lang)
    wanted = [m for m in TIMELINE_METRICS if m in set(line["metric"])]
    fig = figures.series_chart(
        line,
        wanted,
        title=_("{name}: projects over time").format(name=name),
        source=figures.source_note(line["source_url"], lang=lang),
        as_of=as_of,
        synthetic=synthetic,
        lang=lang,
    )
    return fig.update_layout(height=340), figures.describe_series(line, wanted, lang)


def figures_table(
    rows: pd.DataFrame, context: pd.DataFrame, lang: str = DEFAULT_LANG
) -> pd.DataFrame:
    """Every reported figure, newest first: measure, value, date with its basis, what the
    checks say, source and note. ``context`` is the wider set of rows the checks look at.
    Measures, values and dates in ``lang``; the checks' findings and the data's notes as
    written."""
    _ = gettext(lang)
    shown = rows.sort_values("as_of_date", ascending=False, kind="stable")
    basis = shown["date_basis"] if "date_basis" in shown else pd.Series("as_on", index=shown.index)
    return pd.DataFrame(
        {
            "metric": shown["metric"].map(lambda m: _(METRICS[m].label) if m in METRICS else m),
            "value": [
                fmt.value(v, u, lang) for v, u in zip(shown["value"], shown["unit"], strict=True)
            ],
            "date": [
                fmt.dated(d, b, lang) for d, b in zip(shown["as_of_date"], basis, strict=True)
            ],
            "checks": checks.row_flags(shown, context).to_numpy(),
            "source_url": shown["source_url"].to_numpy(),
            "note": shown["note"].fillna("").to_numpy(),
        }
    )


def city_list(cities: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The picker's table of cities (name, state/UT, round, selection date) in ``lang``."""
    return place_columns(
        cities[["city_name", "state_ut", "selection_round", "selection_date"]], lang
    )


def peers(
    city_id: str, cities: pd.DataFrame, city_latest: pd.DataFrame, lang: str = DEFAULT_LANG
) -> pd.DataFrame:
    """The city against its round and state peers, measure by measure, where peers report it.

    ``cities`` is the city list (with round and state); ``city_latest`` the latest city rows
    of every city. One row per measure the city reports: its value and date, then for the
    round and for the state: how many peers report the measure, their median and the city's
    position among them (1 = highest; for the rank, 1 = best). Dates differ between peers;
    the ``peer_dates`` column gives their range. Text in ``lang``.
    """
    _ = gettext(lang)
    cols = [
        "measure",
        "city",
        "city_date",
        "round_peers",
        "round_median",
        "round_position",
        "state_peers",
        "state_median",
        "state_position",
        "peer_dates",
    ]
    info = cities.set_index("city_id")
    if city_id not in info.index:
        return pd.DataFrame(columns=cols)
    me = info.loc[city_id]
    latest = city_latest.drop_duplicates(["area_id", "metric"], keep="first")
    shares = (
        latest.groupby("area_id")[["metric", "value", "as_of_date", "date_basis"]]
        .apply(
            lambda g: pd.Series(
                {
                    "value": share_completed(g),
                    "as_of_date": g["as_of_date"].max(),
                    "date_basis": g["date_basis"].iat[0],
                }
            )
        )
        .reset_index()
        .dropna(subset=["value"])
        .assign(metric=SHARE_DONE)
        if not latest.empty
        else latest.iloc[0:0]
    )
    table = pd.concat([latest, shares], ignore_index=True)
    out = []
    for metric in (SHARE_DONE, *PEER_METRICS):
        rows = table[table["metric"] == metric].set_index("area_id")
        if city_id not in rows.index:
            continue
        mine = rows.loc[city_id]
        unit = "pct" if metric == SHARE_DONE else METRICS[metric].unit
        lower_better = metric == "city_rank"
        record = {
            "measure": _("Share of projects completed")
            if metric == SHARE_DONE
            else _(METRICS[metric].label),
            "city": fmt.value(mine["value"], unit, lang),
            "city_date": fmt.dated(mine["as_of_date"], mine.get("date_basis"), lang),
        }
        dates: list[pd.Timestamp] = []
        for group, column in (("round", "selection_round"), ("state", "state_ut")):
            members = info.index[info[column] == me[column]]
            group_rows = rows[rows.index.isin(members)]
            values = group_rows["value"].astype(float)
            dates += [pd.Timestamp(d) for d in group_rows["as_of_date"]]
            n_members = len(members)
            record[f"{group}_peers"] = _("{n} of {total} report it").format(
                n=fmt.count(len(values)), total=fmt.count(n_members)
            )
            record[f"{group}_median"] = (
                fmt.value(values.median(), unit, lang) if len(values) else "–"
            )
            mine_v = float(mine["value"])
            better = (values < mine_v).sum() if lower_better else (values > mine_v).sum()
            record[f"{group}_position"] = (
                _("{n} of {total}").format(
                    n=fmt.count(int(better) + 1), total=fmt.count(len(values))
                )
                if len(values) > 1
                else "–"
            )
        first, last = (
            (fmt.as_on(min(dates), lang), fmt.as_on(max(dates), lang)) if dates else ("", "")
        )
        record["peer_dates"] = (
            (first if first == last else _("{first} to {last}").format(first=first, last=last))
            if dates
            else "–"
        )
        out.append(record)
    return pd.DataFrame(out, columns=cols)
