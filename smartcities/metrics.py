"""Headline figures and derived measures, from query results (pure pandas, no UI).

A headline is the latest figure for an area on or before the "as on" date, with the change
since the previous report and its source, so an official can quote it and say where it came
from. Derived measures (utilisation %, share of projects completed) say which two reported
figures they were computed from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from smartcities import checks, fmt
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.query import Scope
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, METRICS, metric_unit_label


@dataclass(frozen=True)
class Kpi:
    """One headline figure, ready to show."""

    key: str
    label: str
    value: str
    delta: str | None
    as_of: pd.Timestamp | None
    source_url: str | None
    detail: str
    raw: float | None = None
    # How sure the date is (schema.PROGRESS_DATE_BASES) and the date in words with it.
    date_basis: str | None = None
    dated: str = ""
    # What the checks found about this figure (e.g. a running total that fell), or None.
    flag: str | None = None


def _row(latest: pd.DataFrame, metric: str) -> pd.Series | None:
    rows = latest[latest["metric"] == metric]
    return None if rows.empty else rows.iloc[0]


def kpi(latest: pd.DataFrame, metric: str, *, label: str | None = None) -> Kpi:
    """A headline for one metric from ``Engine.latest`` rows of a single area."""
    m = METRICS[metric]
    row = _row(latest, metric)
    if row is None:
        return Kpi(metric, label or m.label, "No data reported", None, None, None, m.description)
    delta = None
    basis = row.get("date_basis")
    basis = None if basis is None or pd.isna(basis) else str(basis)
    dated = fmt.dated(row["as_of_date"], basis)
    if pd.notna(row.get("prev_value")):
        diff = float(row["value"]) - float(row["prev_value"])
        since = fmt.as_on(row["prev_as_of_date"])
        if diff == 0:
            delta = f"no change since {since}"
        else:
            # ASCII minus: Streamlit reads the sign to point the arrow.
            sign = "+" if diff > 0 else "-"
            delta = f"{sign}{fmt.value(abs(diff), m.unit)} since {since}"
    note = "" if pd.isna(row.get("note")) else f" Note: {row['note']}"
    fall = checks.latest_fall(row)
    if fall:
        # The card shows what fell; the help text carries why it may have.
        note += " " + fall
        fall = checks.fall_text(row) + " See Data coverage › Checks."
    return Kpi(
        metric,
        label or m.label,
        fmt.value(row["value"], m.unit),
        delta,
        pd.Timestamp(row["as_of_date"]),
        str(row["source_url"]),
        f"{m.description} {dated[0].upper()}{dated[1:]}.{note}",
        float(row["value"]),
        basis,
        dated,
        fall,
    )


def ratio_kpi(
    latest: pd.DataFrame, numerator: str, denominator: str, *, key: str, label: str
) -> Kpi:
    """A percentage of two reported figures, saying which figures and dates it comes from."""
    num, den = _row(latest, numerator), _row(latest, denominator)
    if num is None or den is None or not den["value"]:
        return Kpi(
            key,
            label,
            "No data reported",
            None,
            None,
            None,
            f"Needs both {METRICS[numerator].label} and {METRICS[denominator].label}.",
        )
    pct = 100 * float(num["value"]) / float(den["value"])
    num_text = fmt.value(num["value"], METRICS[numerator].unit)
    den_text = fmt.value(den["value"], METRICS[denominator].unit)
    num_dated = fmt.dated(num["as_of_date"], num.get("date_basis"))
    den_dated = fmt.dated(den["as_of_date"], den.get("date_basis"))
    detail = (
        f"{METRICS[numerator].label} ({num_text}, {num_dated}) as a "
        f"share of {METRICS[denominator].label.lower()} ({den_text}, {den_dated})."
    )
    # The ratio is as sure as its less sure part: dated by the later of the two, with that
    # figure's basis (two figures of one report share a date and a basis).
    later = num if pd.Timestamp(num["as_of_date"]) >= pd.Timestamp(den["as_of_date"]) else den
    when = pd.Timestamp(later["as_of_date"])
    basis = later.get("date_basis")
    basis = None if basis is None or pd.isna(basis) else str(basis)
    dated = fmt.dated(when, basis)
    if pd.Timestamp(num["as_of_date"]) != pd.Timestamp(den["as_of_date"]):
        dated = f"{num_dated} and {den_dated}"
    return Kpi(
        key, label, fmt.pct(pct), None, when, str(num["source_url"]), detail, pct, basis, dated
    )


def national_headlines(latest: pd.DataFrame) -> list[Kpi]:
    """The Overview's headline figures for one area (``latest`` rows of that area)."""
    out = [
        kpi(latest, "iccc_operational_count", label="ICCCs operational (of 100)"),
        kpi(latest, "projects_completed_count"),
        kpi(latest, "projects_completed_inr_crore"),
        ratio_kpi(
            latest,
            "projects_completed_count",
            "projects_taken_up_count",
            key="completed_pct",
            label="Projects complete (% of taken up)",
        ),
        kpi(latest, "work_orders_issued_count"),
        kpi(latest, "work_orders_issued_inr_crore"),
        kpi(latest, "projects_tendered_count"),
        kpi(latest, "projects_taken_up_count"),
        kpi(latest, "central_funds_released_inr_crore"),
        ratio_kpi(
            latest,
            "funds_utilised_inr_crore",
            "central_funds_released_inr_crore",
            key="utilisation_pct",
            label="Central funds utilised (%)",
        ),
    ]
    released = _row(latest, "central_funds_released_inr_crore")
    if released is not None:
        share = 100 * float(released["value"]) / CENTRAL_COMMITMENT_INR_CRORE
        out.append(
            Kpi(
                "commitment_pct",
                "Share of ₹48,000 cr released",
                fmt.pct(share),
                None,
                pd.Timestamp(released["as_of_date"]),
                str(released["source_url"]),
                f"Central funds released as a share of the "
                f"{fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE)} central commitment.",
                share,
                released.get("date_basis"),
                fmt.dated(released["as_of_date"], released.get("date_basis")),
            )
        )
    return out


def localised_detail(k: Kpi, latest: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """A card's help text in ``lang``: what the figure counts (the schema's description), its
    date with how sure it is, the data's own note (as written) and, where a running total fell,
    why it may have. English is the card's own text. Ratios name their two figures."""
    if lang == DEFAULT_LANG:
        return k.detail
    _ = gettext(lang)
    row = _row(latest, k.key) if k.key in METRICS and len(latest) else None
    if k.key in METRICS and row is not None:
        parts = [_(METRICS[k.key].description)]
        dated = fmt.dated(row["as_of_date"], row.get("date_basis"), lang)
        parts.append(dated[:1].upper() + dated[1:] + "।")
        if pd.notna(row.get("note")):
            parts.append(_("Note: {note}").format(note=row["note"]))
        if checks.latest_fall(row):
            parts.append(checks.latest_fall(row, lang) or "")
        if k.key.endswith("incl_state_share_inr_crore"):
            parts.append(_(checks.STATE_SHARE_LABEL) + "।")
        return " ".join(parts)
    if k.key == "commitment_pct":
        amount = fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE, lang=lang)
        return _("Central funds released as a share of the {amount} central commitment.").format(
            amount=amount
        )
    pair = RATIO_PARTS.get(k.key)
    if pair is not None:
        num, den = _row(latest, pair[0]), _row(latest, pair[1])
        if num is not None and den is not None:
            return _(
                "{num} ({num_value}, {num_date}) as a share of {den} ({den_value}, {den_date})."
            ).format(
                num=_(METRICS[pair[0]].label),
                num_value=fmt.value(num["value"], METRICS[pair[0]].unit, lang),
                num_date=fmt.dated(num["as_of_date"], num.get("date_basis"), lang),
                den=_(METRICS[pair[1]].label),
                den_value=fmt.value(den["value"], METRICS[pair[1]].unit, lang),
                den_date=fmt.dated(den["as_of_date"], den.get("date_basis"), lang),
            )
    return _(k.detail)


# The two reported figures of each ratio card (numerator, denominator).
RATIO_PARTS = {
    "completed_pct": ("projects_completed_count", "projects_taken_up_count"),
    "utilisation_pct": ("funds_utilised_inr_crore", "central_funds_released_inr_crore"),
}


def wide_latest(latest: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """One row per area, one column per metric (latest values), plus the newest date."""
    data = latest[latest["metric"].isin(metrics)]
    if data.empty:
        return pd.DataFrame(columns=["area_id", "area_name", *metrics, "as_of_date"])
    wide = data.pivot_table(
        index=["area_id", "area_name"], columns="metric", values="value", aggfunc="first"
    )
    dates = data.groupby(["area_id", "area_name"])["as_of_date"].max()
    wide = wide.reindex(columns=[m for m in metrics if m in wide.columns])
    wide["as_of_date"] = dates
    # How sure the row's dates are: one basis when its figures share it, else "mixed".
    if "date_basis" in data:
        bases = data.groupby(["area_id", "area_name"])["date_basis"].agg(
            lambda b: BASIS_LABELS.get(b.iat[0], b.iat[0]) if b.nunique() == 1 else "mixed"
        )
        wide["date_basis"] = bases
    return wide.reset_index()


# Short labels of the date bases for table columns (schema.PROGRESS_DATE_BASES).
BASIS_LABELS = {
    "as_on": "as on",
    "reply": "reply date (as-on date not stated)",
    "on_or_before": "on or before",
    "reported": "as on",
}


LAG_RULES = (
    "ICCC not known to be operational by the date",
    "Projects still ongoing at the latest report",
    "No project completed at the latest report",
    "Central funds utilisation below 75%",
)


LAGGING_COLUMNS = [
    "city_id",
    "city_name",
    "state_ut",
    "selection_round",
    "reason",
    "figure",
    "as_of_date",
    "source_url",
]


def lagging_cities(
    cities: pd.DataFrame,
    iccc: pd.DataFrame,
    city_latest: pd.DataFrame,
    as_of: pd.Timestamp | None,
) -> pd.DataFrame:
    """Cities with an exception worth an official's attention, one row per city and reason.

    Only what the data says: a city with no report is not called lagging on progress; ICCC
    status uses the per-city stage table (a city counts as operational once any source says so,
    including 'on or before' statements).
    """
    # Each rule is a vectorised mask over the cities' latest figures: a loop over city groups
    # took seconds at national-programme scale (4,500 towns).
    parts: list[pd.DataFrame] = []
    if len(iccc) or as_of is not None:
        operational = iccc.loc[iccc["stage"] == "operational", "city_id"] if len(iccc) else []
        missing = cities.loc[~cities["city_id"].isin(operational), ["city_id"]]
        parts.append(
            missing.assign(reason=LAG_RULES[0], figure="–", as_of_date=as_of, source_url=None)
        )
    latest = city_latest[city_latest["area_id"].isin(cities["city_id"])]
    latest = latest.drop_duplicates(["area_id", "metric"])

    def metric_rows(metric: str) -> pd.DataFrame:
        rows = latest.loc[
            latest["metric"] == metric, ["area_id", "value", "as_of_date", "source_url"]
        ]
        return rows.rename(columns={"area_id": "city_id"})

    ongoing = metric_rows("projects_ongoing_count")
    ongoing = ongoing[ongoing["value"] > 0]
    parts.append(
        ongoing.assign(
            reason=LAG_RULES[1], figure=[f"{fmt.count(v)} ongoing" for v in ongoing["value"]]
        )
    )
    none_done = metric_rows("projects_completed_count")
    none_done = none_done[none_done["value"] == 0]
    parts.append(none_done.assign(reason=LAG_RULES[2], figure="0 completed"))
    used = metric_rows("funds_utilised_inr_crore")
    released = metric_rows("central_funds_released_inr_crore")[["city_id", "value"]]
    funds = used.merge(released, on="city_id", suffixes=("", "_released"))
    funds = funds[(funds["value_released"] > 0)]
    share = funds["value"] / funds["value_released"]
    funds = funds[share < 0.75].assign(
        reason=LAG_RULES[3], figure=[fmt.pct(100 * x) for x in share[share < 0.75]]
    )
    parts.append(funds)
    keep = ["city_id", "reason", "figure", "as_of_date", "source_url"]
    rows = [p[keep] for p in parts if len(p)]
    if not rows:
        return pd.DataFrame(columns=LAGGING_COLUMNS)
    out = pd.concat(rows, ignore_index=True).merge(
        cities[["city_id", "city_name", "state_ut", "selection_round"]], on="city_id"
    )
    return out[LAGGING_COLUMNS].sort_values(["reason", "city_name"])


def units_of(frame: pd.DataFrame) -> dict[str, str]:
    """Metric columns of a wide table and their units, for formatting."""
    return {c: METRICS[c].unit for c in frame.columns if c in METRICS}


def mission_events(
    events: pd.DataFrame, categories: tuple[str, ...], until: pd.Timestamp | None
) -> pd.DataFrame:
    """Mission events of some categories, on or before a date (for chart markers)."""
    if events.empty:
        return events
    out = events[events["category"].isin(categories)]
    if until is not None:
        out = out[out["event_date"] <= pd.Timestamp(until)]
    return out.sort_values("event_date").reset_index(drop=True)


def _suffix(unit: str) -> str:
    return "_inr_crore" if unit == "inr_crore" else "_count"


def funnel_metrics(unit: str) -> tuple[str, str, str]:
    """The tendered -> work order -> completed metrics in a unit (``count`` or ``inr_crore``)."""
    s = _suffix(unit)
    return ("projects_tendered" + s, "work_orders_issued" + s, "projects_completed" + s)


def funnel_stages(latest: pd.DataFrame, unit: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The funnel's stages for one area (``Engine.latest`` rows): value, its own "as on" date
    and source, and the share of the previous stage. Stages are often last reported on
    different dates; the dates travel with the values so the page can say so. Stage names and
    dates in ``lang``."""
    _ = gettext(lang)
    rows = []
    previous: float | None = None
    for metric in funnel_metrics(unit):
        r = _row(latest, metric)
        if r is None:
            continue
        value = float(r["value"])
        share = 100 * value / previous if previous else None
        rows.append(
            {
                "stage": _(METRICS[metric].label),
                "metric": metric,
                "value": value,
                "pct_of_previous": share,
                "as_of_date": pd.Timestamp(r["as_of_date"]),
                "date": fmt.dated(r["as_of_date"], r.get("date_basis"), lang),
                "source_url": r["source_url"],
            }
        )
        previous = value
    cols = ["stage", "metric", "value", "pct_of_previous", "as_of_date", "date", "source_url"]
    return pd.DataFrame(rows, columns=cols)


def describe_funnel(stages: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """Text summary of the funnel, with each stage's date and the conversion rates."""
    _ = gettext(lang)
    if stages.empty:
        return _("No stage figures reported for this selection.")
    parts = []
    for r in stages.itertuples(index=False):
        rate = (
            ""
            if pd.isna(r.pct_of_previous)
            else ", " + _("{pct} of previous").format(pct=fmt.pct(r.pct_of_previous))
        )
        value = fmt.value(r.value, METRICS[r.metric].unit, lang)
        parts.append(f"{r.stage}: {value} ({r.date}{rate})")
    text = "; ".join(parts) + ("." if lang == DEFAULT_LANG else "।")
    if stages["as_of_date"].nunique() > 1:
        text += " " + _(
            "The stages were last reported on different dates, so rates are indicative."
        )
    return text


def ratio_series(series: pd.DataFrame, ratios: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    """Percentages of two reported series at the dates where both exist.

    ``series`` holds ``Engine.series`` rows of one area; ``ratios`` maps a key to (numerator
    metric, denominator metric, label). Returns as_of_date, key, label, value (%),
    numerator and denominator; a date where either figure is missing or the denominator is 0 is
    left out rather than guessed."""
    cols = ["as_of_date", "key", "label", "value", "numerator", "denominator"]
    if series.empty:
        return pd.DataFrame(columns=cols)
    wide = series.pivot_table(index="as_of_date", columns="metric", values="value", aggfunc="first")
    frames = []
    for key, (num, den, text) in ratios.items():
        if num not in wide.columns or den not in wide.columns:
            continue
        both = wide[[num, den]].dropna()
        both = both[both[den] != 0]
        if both.empty:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "as_of_date": both.index,
                    "key": key,
                    "label": text,
                    "value": 100 * both[num].to_numpy() / both[den].to_numpy(),
                    "numerator": both[num].to_numpy(),
                    "denominator": both[den].to_numpy(),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)  # in the order of ``ratios``, by date


def conversion_rates(series: pd.DataFrame, unit: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Work orders as % of tendered, and completed as % of work orders, over time (count or ₹),
    at the dates where both figures of a pair are reported (labels in ``lang``)."""
    _ = gettext(lang)
    tendered, work_orders, completed = funnel_metrics(unit)
    return ratio_series(
        series,
        {
            "work_orders_per_tendered": (
                work_orders,
                tendered,
                _("Work orders as a share of tendered (%)"),
            ),
            "completed_per_work_order": (
                completed,
                work_orders,
                _("Completed as a share of work orders (%)"),
            ),
        },
    )


def utilisation_over_time(series: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Central funds utilised as % of released, at the dates where both are reported."""
    _ = gettext(lang)
    return ratio_series(
        series,
        {
            "utilisation_pct": (
                "funds_utilised_inr_crore",
                "central_funds_released_inr_crore",
                _("Utilised as a share of released (%)"),
            )
        },
    )


def describe_rates(rates: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """Text summary of a ratio chart: first and last value of each ratio."""
    _ = gettext(lang)
    parts = []
    for _key, rows in rates.groupby("key", sort=False):
        rows = rows.sort_values("as_of_date")
        first, last = rows.iloc[0], rows.iloc[-1]
        parts.append(
            _(
                "{label}: {first} on {first_date}, {last} on {last_date} "
                "({n} dates with both figures)."
            ).format(
                label=first["label"],
                first=fmt.pct(first["value"]),
                first_date=fmt.as_on(first["as_of_date"], lang),
                last=fmt.pct(last["value"]),
                last_date=fmt.as_on(last["as_of_date"], lang),
                n=len(rows),
            )
        )
    return " ".join(parts) or _("No date has both figures of a ratio for this selection.")


def projects_total_meanings(unit: str) -> tuple[str, str]:
    """The two series behind "projects total" in a unit: (proposed at selection, taken up)."""
    if unit == "inr_crore":
        return "proposed_investment_inr_crore", "projects_taken_up_inr_crore"
    return "proposed_projects_count", "projects_taken_up_count"


COMPARABLE_METRICS: tuple[str, ...] = tuple(m for m, d in METRICS.items() if d.unit != "flag")


def reporting_note(
    reported: pd.DataFrame,
    areas: list[str],
    what: str,
    lang: str = DEFAULT_LANG,
    kind: str = "city",
) -> str:
    """'12 of 20 cities of Bihar report it; not reported: A, B, …' for a comparison chart:
    areas without a figure are counted and named, never silently left out. ``areas`` and the
    rows' ``area_name`` are the data's names; they are shown in ``lang`` (``kind``: "city" or
    "state")."""
    _ = gettext(lang)
    have = set(reported.dropna(subset=["value"])["area_name"])
    missing = [place_name(kind, a, lang) for a in areas if a not in have]
    text = _("{n} of {total} {what} report this measure.").format(
        n=len(areas) - len(missing), total=len(areas), what=what
    )
    if missing:
        shown = ", ".join(missing[:30]) + (
            " " + _("and {n} more").format(n=len(missing) - 30) if len(missing) > 30 else ""
        )
        text += " " + _("Not reported ({n}): {names}.").format(n=len(missing), names=shown)
    return text


def comparison_scope(
    scope: Scope, city_state: str | None = None, lang: str = DEFAULT_LANG
) -> tuple[str, Scope, str]:
    """Which areas a comparison chart shows for a filter selection: (level, scope, what).

    No filter: the states/UTs. A state: its cities (of the round too, if one is chosen). A
    round: its cities. A city: the cities of its state (``city_state``), its peers. ``what``
    is in ``lang``.
    """
    _ = gettext(lang)
    if scope.city_id and city_state:
        what = _("cities of {area}").format(area=place_name("state", city_state, lang))
        return "city", Scope(state_ut=city_state, as_of=scope.as_of), what
    if scope.state_ut:
        state = place_name("state", scope.state_ut, lang)
        what = (
            _("cities of {state} in {round}").format(state=state, round=_(scope.round))
            if scope.round
            else _("cities of {area}").format(area=state)
        )
        return "city", Scope(state_ut=scope.state_ut, round=scope.round, as_of=scope.as_of), what
    if scope.round:
        what = _("cities of {area}").format(area=_(scope.round))
        return "city", Scope(round=scope.round, as_of=scope.as_of), what
    return "state", Scope(as_of=scope.as_of), _("states and UTs")


# The kinds of metric (schema.Metric.kind), as the About page names them.
METRIC_KINDS = (
    N_("cumulative"),
    N_("snapshot"),
    N_("total"),
    N_("flag"),
    N_("rank"),
)


def metric_definitions(lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Every metric of the contract (label, unit, kind, description), from ``schema.METRICS``,
    worded in ``lang`` (the metric's name stays the contract's)."""
    _ = gettext(lang)
    return pd.DataFrame(
        [
            {
                "label": _(m.label),
                "description": _(m.description),
                "unit": _(metric_unit_label(m.name)),
                "kind": _(m.kind),
                "metric": m.name,
            }
            for m in METRICS.values()
        ]
    )


PROJECTS_TOTAL_CAVEAT = N_(
    "“Projects total” means two different things in the public record. From 2016 to 2019 it is "
    "what the cities **proposed at selection** (ending at 5,151 projects, ₹2,05,018 crore for "
    "all 100 cities). From 2020 it is the projects **actually taken up** after the lists were "
    "re-scoped (about 8,064 projects, ₹1.65 lakh crore). They are two separate series "
    "(`proposed_*` and `projects_taken_up_*`), never one line."
)


LEVEL_WORDS = {
    "national": N_("India as a whole"),
    "round": N_("selection rounds"),
    "state": N_("states/UTs"),
    "city": N_("cities"),
}
# The kinds of figure a section may lack ("No project-stage figures …").
FIGURE_KINDS = {
    "project-stage": N_("project-stage"),
    "central-funds": N_("central-funds"),
    "projects-total": N_("projects-total"),
}


def no_figures_message(
    what: str, area: str, levels: Iterable[str], lang: str = DEFAULT_LANG
) -> str:
    """Why a section is empty: nothing of that kind for the area, and which levels the data set
    does report (the public record is mostly national; the synthetic sample has no rounds)."""
    _ = gettext(lang)
    what = _(FIGURE_KINDS.get(what, what))
    present = [_(LEVEL_WORDS[lv]) for lv in LEVEL_WORDS if lv in set(levels)]
    if not present:
        text = _("No {what} figures have been reported for {area}: this data set has no figures.")
        return text.format(what=what, area=area)
    last = (" " + _("and") + " " if len(present) > 1 else "") + present[-1]
    where = ", ".join(present[:-1]) + last
    return _(
        "No {what} figures have been reported for {area} in this data set. It has figures for "
        "{where}: choose a wider selection or one of those."
    ).format(what=what, area=area, where=where)
