"""What a map can show: the measures a city or a state/UT can be coloured, sized or shaded by.

One row per city (:func:`city_values`) and a tidy table per state/UT (:func:`state_measures`),
each value with the date it is "as on" (and how sure that date is, where known); the tokens
a map's options offer for the data in hand; their labels and units; and a value as hover or
table text. Pure pandas: the figures are drawn by :mod:`smartcities.maps`, the map page's
queries and URL options are in :mod:`smartcities.map_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from smartcities import fmt
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.schema import ICCC_STAGES, METRICS, label

NO_DATA = N_("no data reported")
NOT_KNOWN = "not known"
AS_OF = "__as_of"  # suffix of the date column that goes with each measure column
BASIS = "__basis"  # suffix of the date-basis column (how sure the date is), where known
# Projects completed as a share of projects taken up, each city's latest of both (a map colour).
SHARE_DONE = "share_completed_pct"

# Measures a city can be coloured by that are categories rather than numbers.
CITY_CATEGORICAL: dict[str, str] = {"iccc": "iccc_stage", "round": "selection_round"}
STATE_DERIVED: dict[str, str] = {"iccc": "iccc_operational_count", "cities": "smart_cities_count"}
STAGE_LABELS = {
    "tendered": N_("Tendered"),
    "work_order_issued": N_("Work order issued"),
    "operational": N_("Operational"),
}
MEASURE_LABELS = {
    SHARE_DONE: N_("Share of projects completed (latest reported)"),
    "iccc_stage": N_("ICCC stage"),
    "selection_round": N_("Selection round"),
    "iccc_cost_inr_crore": N_("ICCC cost (₹ crore)"),
}


def measure_label(measure: str, lang: str = DEFAULT_LANG) -> str:
    """Display label of a city measure (a URL token, a column or a metric name), in ``lang``."""
    measure = CITY_CATEGORICAL.get(measure, measure)
    text = MEASURE_LABELS.get(measure) or label(measure)
    if lang == DEFAULT_LANG:
        return text
    _ = gettext(lang)
    money = " (₹ crore)"
    if text.endswith(money) and _(text) == text:  # a schema label with its unit appended
        return f"{_(text[: -len(money)])} (₹ {_('crore')})"
    return _(text)


def state_label(measure: str, lang: str = DEFAULT_LANG) -> str:
    """Display label of a state measure (a URL token or a metric name)."""
    return measure_label(state_metric(measure), lang)


def labeller(view: str, lang: str = DEFAULT_LANG) -> Callable[[str], str]:
    """The label function for a view's colour tokens ("iccc" means a stage for a city and a
    count of operational ICCCs for a state)."""
    if view == "cities":
        return lambda m: measure_label(m, lang)
    return lambda m: state_label(m, lang)


def shade_label(measure: str, lang: str = DEFAULT_LANG) -> str:
    """Label of a state shading choice ("none" leaves the states a neutral colour)."""
    return gettext(lang)("No shading") if measure == "none" else state_label(measure, lang)


def size_label(measure: str, lang: str = DEFAULT_LANG) -> str:
    """Label of a size choice ("none" keeps every marker the same size)."""
    return gettext(lang)("Same size") if measure == "none" else measure_label(measure, lang)


_SHADE_SIZE_WORDS = (N_("No shading"), N_("Same size"), N_("Yes"), N_("No"))


def measure_unit(measure: str) -> str:
    """Unit of a numeric measure: a metric's own unit, else read from the name's suffix."""
    measure = STATE_DERIVED.get(measure, measure)
    if measure in METRICS:
        return METRICS[measure].unit
    for suffix, unit in (("_inr_crore", "inr_crore"), ("_pct", "pct"), ("_flag", "flag")):
        if measure.endswith(suffix):
            return unit
    return "count"


def city_values(
    cities: pd.DataFrame,
    iccc: pd.DataFrame | None = None,
    latest: pd.DataFrame | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per city: each measure a map can show, with the date it is "as on".

    Columns: ``city_id``, ``iccc_stage`` (furthest stage reached by ``as_of``),
    ``selection_round`` and one column per city-level metric in ``latest`` (the output of
    ``engine.latest(scope, levels=("city",))``), each followed by ``<measure>__as_of``.
    """
    out = pd.DataFrame({"city_id": cities["city_id"].astype(str).to_numpy()})
    out["selection_round"] = cities["selection_round"].astype("object").to_numpy()
    out["selection_round" + AS_OF] = pd.to_datetime(cities["selection_date"]).to_numpy()
    out["iccc_stage"] = None
    out["iccc_stage" + AS_OF] = pd.NaT
    if iccc is not None and not iccc.empty:
        rows = iccc[iccc["stage"].isin(ICCC_STAGES)].copy()
        if as_of is not None:
            rows = rows[pd.to_datetime(rows["stage_date"]) <= pd.Timestamp(as_of)]
        rows["_order"] = rows["stage"].map(ICCC_STAGES.index)
        best = rows.sort_values(["_order", "stage_date"]).groupby("city_id").tail(1)
        best = best.set_index("city_id")
        out["iccc_stage"] = out["city_id"].map(best["stage"]).astype("object")
        out["iccc_stage" + AS_OF] = out["city_id"].map(best["stage_date"])
        if "date_basis" in best:
            out["iccc_stage" + BASIS] = out["city_id"].map(best["date_basis"])
        costs = iccc.dropna(subset=["cost_inr_crore"]) if "cost_inr_crore" in iccc else None
        if costs is not None and not costs.empty:
            last = costs.sort_values("stage_date").groupby("city_id").tail(1).set_index("city_id")
            out["iccc_cost_inr_crore"] = out["city_id"].map(last["cost_inr_crore"])
            out["iccc_cost_inr_crore" + AS_OF] = out["city_id"].map(last["stage_date"])
    if latest is not None and not latest.empty:
        rows = latest[latest["level"] == "city"] if "level" in latest else latest
        for metric, group in rows.groupby("metric", sort=True):
            by_city = group.drop_duplicates("area_id").set_index("area_id")
            out[str(metric)] = out["city_id"].map(by_city["value"]).astype(float)
            out[str(metric) + AS_OF] = out["city_id"].map(by_city["as_of_date"])
            if "date_basis" in by_city:
                out[str(metric) + BASIS] = out["city_id"].map(by_city["date_basis"])
        _share_completed(out)
    return out


def _share_completed(out: pd.DataFrame) -> None:
    """Add :data:`SHARE_DONE` where a city reports both projects completed and taken up: the
    share, dated by the later of the two figures with that figure's basis."""
    done, total = "projects_completed_count", "projects_taken_up_count"
    if done not in out or total not in out:
        return
    ok = out[done].notna() & (out[total] > 0)
    out[SHARE_DONE] = np.where(ok, 100 * out[done] / out[total].where(ok), np.nan)
    later_is_done = out[done + AS_OF] >= out[total + AS_OF]
    out[SHARE_DONE + AS_OF] = out[done + AS_OF].where(later_is_done, out[total + AS_OF]).where(ok)
    if done + BASIS in out and total + BASIS in out:
        basis = out[done + BASIS].where(later_is_done, out[total + BASIS])
        out[SHARE_DONE + BASIS] = basis.where(ok)


def city_colour_options(values: pd.DataFrame) -> list[str]:
    """Tokens a city map can be coloured by: ICCC stage, round, then the measures with data."""
    return list(CITY_CATEGORICAL) + _numeric_city_measures(values, flags=True)


def city_size_options(values: pd.DataFrame) -> list[str]:
    """Numeric city measures with at least one value (anything a marker size can encode)."""
    return _numeric_city_measures(values, flags=False)


def _numeric_city_measures(values: pd.DataFrame, *, flags: bool) -> list[str]:
    skip = set(CITY_CATEGORICAL.values()) | {"city_id"}
    return [
        c
        for c in values.columns
        if c not in skip
        and not c.endswith(AS_OF)
        and not c.endswith(BASIS)
        and values[c].notna().any()
        and (flags or measure_unit(c) != "flag")
    ]


def state_measures(
    states: pd.DataFrame,
    cities: pd.DataFrame,
    *,
    iccc: pd.DataFrame | None = None,
    latest: pd.DataFrame | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Tidy state table (``state_ut, measure, value, as_of_date, source_url``) for the maps.

    Smart Cities per state are counted from the city list (cities selected by ``as_of``), ICCCs
    operational from the ICCC table, and any state-level progress metric is the latest value
    on or before ``as_of`` (the output of ``engine.latest(scope, levels=("state",))``).
    """
    when = pd.Timestamp(as_of) if as_of is not None else None
    names = states["state_ut"].tolist()
    frames: list[pd.DataFrame] = []

    selected = cities
    if when is not None:
        dates = pd.to_datetime(cities["selection_date"])
        selected = cities[dates.isna() | (dates <= when)]
    counts = selected.groupby("state_ut")["city_id"].nunique()
    last_selected = pd.to_datetime(selected["selection_date"]).max() if len(selected) else pd.NaT
    frames.append(
        pd.DataFrame(
            {
                "state_ut": names,
                "measure": "smart_cities_count",
                "value": [float(counts.get(s, 0)) for s in names],
                "as_of_date": when if when is not None else last_selected,
                "source_url": "derived:cities",
            }
        )
    )
    if iccc is not None and not iccc.empty:
        ops = iccc[iccc["stage"] == "operational"]
        if when is not None:
            ops = ops[pd.to_datetime(ops["stage_date"]) <= when]
        state_of = cities.set_index("city_id")["state_ut"]
        ops = ops.assign(state_ut=ops["city_id"].map(state_of)).dropna(subset=["state_ut"])
        n_ops = ops.groupby("state_ut")["city_id"].nunique()
        frames.append(
            pd.DataFrame(
                {
                    "state_ut": names,
                    "measure": "iccc_operational_count",
                    "value": [float(n_ops.get(s, 0)) for s in names],
                    "as_of_date": when
                    if when is not None
                    else pd.to_datetime(ops["stage_date"]).max(),
                    "source_url": "derived:iccc",
                }
            )
        )
    if latest is not None and not latest.empty:
        rows = latest[latest["level"] == "state"] if "level" in latest else latest
        rows = rows[~rows["metric"].isin(list(STATE_DERIVED.values()))]
        by_slug = dict(zip(states["state_id"], states["state_ut"], strict=True))
        state = rows["area_id"].map(by_slug).fillna(rows.get("state_ut", rows["area_name"]))
        frames.append(
            pd.DataFrame(
                {
                    "state_ut": state.to_numpy(),
                    "measure": rows["metric"].astype(str).to_numpy(),
                    "value": rows["value"].astype(float).to_numpy(),
                    "as_of_date": pd.to_datetime(rows["as_of_date"]).to_numpy(),
                    "source_url": rows["source_url"].to_numpy(),
                }
            ).drop_duplicates(["state_ut", "measure"])
        )
    out = pd.concat(frames, ignore_index=True)
    out["as_of_date"] = pd.to_datetime(out["as_of_date"])
    return out[out["state_ut"].isin(names)].reset_index(drop=True)


def state_measure_options(tidy: pd.DataFrame) -> list[str]:
    """Tokens a state map can show: ICCCs, Smart Cities, then the state metrics with data."""
    have = set(tidy.dropna(subset=["value"])["measure"])
    first = [t for t, m in STATE_DERIVED.items() if m in have]
    rest = sorted(have - set(STATE_DERIVED.values()), key=measure_label)
    return first + rest


def state_metric(measure: str) -> str:
    """The metric behind a state measure token ("iccc" is the count of operational ICCCs)."""
    return STATE_DERIVED.get(measure, measure)


def hover_value(value: object, unit: str) -> str:
    """A value as hover or table text, or "no data reported"."""
    return NO_DATA if value is None or pd.isna(value) else fmt.value(value, unit)


def hover_values(values: Iterable[object], unit: str) -> list[str]:
    """:func:`hover_value` of many values (thousands of towns): :func:`fmt.values`, with
    "no data reported" where a value is missing or not finite."""
    v = pd.to_numeric(pd.Series(list(values)), errors="coerce").to_numpy(float)
    text = fmt.values(v, unit)
    return [t if np.isfinite(x) else NO_DATA for t, x in zip(text, v, strict=True)]


def colour_choices(view: str, city_vals: pd.DataFrame, state_vals: pd.DataFrame) -> list[str]:
    """The colour tokens that make sense for a view and the data in hand."""
    return city_colour_options(city_vals) if view == "cities" else state_measure_options(state_vals)
