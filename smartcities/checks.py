"""Checks where sources disagree: pure functions over progress rows, shown beside the figures.

The public record is compiled from many sources (ministry releases, parliamentary replies, state
governments, news reports). They do not always agree, and a dashboard that quietly picks one
figure misleads. Four kinds of disagreement are found here and explained in plain words:

- :func:`falls`: a cumulative series (projects completed, funds released) that falls between
  two reports, which it cannot do in reality;
- :func:`same_date_conflicts`: one area, measure and date reported with different values;
- :func:`level_sums`: levels that should add up (a state's cities vs the state, the states vs
  the nation) at the same or the nearest date within a stated window;
- :func:`definition_labels`: counts that differ by definition (a state government's count, a
  release that includes the state share), labelled so they are never compared silently.

Every function takes plain frames (``progress``-shaped rows; see ``schema.PROGRESS``) and
returns a frame, so the pages, the coverage page and the tests use the same results.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from smartcities import fmt
from smartcities.provenance import source_domain
from smartcities.schema import METRICS

CUMULATIVE: frozenset[str] = frozenset(m for m, d in METRICS.items() if d.kind == "cumulative")
# Measures that add up across areas: counts and amounts, not flags, ranks or per-year releases.
ADDITIVE: frozenset[str] = frozenset(
    m
    for m, d in METRICS.items()
    if d.unit in ("count", "inr_crore")
    and d.kind in ("cumulative", "snapshot", "total")
    and m not in ("central_funds_released_in_fy_inr_crore", "cities_selected_count")
)
# Two figures within this share of each other "add up" (sources round differently).
TOLERANCE = 0.005
SUM_WINDOW_DAYS = 31

# Notes that say a figure is counted by someone other than the Ministry (SOURCES.md: "State-
# government and MoHUA counts differ"). Reviewed against the reference notes.
_OTHER_COUNT = re.compile(
    # "released to state governments" is the Ministry's own wording, not a state's count.
    r"(?<!to )state government|state-government|assembly|\bRTI\b|district|UD Commissioner|"
    r"Raj Nivas|administration (?:data|count)|\bworks\b|Urban Development Department",
    re.IGNORECASE,
)
STATE_SHARE_LABEL = (
    "Includes the state share: not comparable with central-only releases or utilisation"
)
OTHER_COUNT_LABEL = (
    "Counted by a state government or another body: may differ from the Ministry's count"
)

_KEY = ["level", "area_id", "metric"]


def _first_per_date(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (level, area, metric, date): the first listed, as headlines use."""
    order = rows.reset_index(drop=True)
    order["_pos"] = np.arange(len(order))
    order = order.sort_values([*_KEY, "as_of_date", "_pos"], kind="stable")
    return order.drop_duplicates([*_KEY, "as_of_date"], keep="first")


def explain_fall(prev_source: object, source: object) -> str:
    """Why a cumulative figure may have fallen, in plain words."""
    a, b = source_domain(prev_source), source_domain(source)
    if a and b and a != b:
        why = (
            f"The two figures come from different sources ({a}, then {b}), which may count "
            "differently or round differently"
        )
    else:
        why = "Both figures come from the same source, so the later one may correct the earlier"
    return (
        f"A running total should not fall. {why}; a changed definition (projects dropped or "
        "merged, claims instead of releases) can also explain it. Both figures are kept as "
        "published."
    )


def falls(progress: pd.DataFrame) -> pd.DataFrame:
    """Each step where a cumulative series falls between two consecutive reported dates.

    One row per fall: the area and metric, the earlier and later date, value, source and date
    basis, the amount of the fall and an explanation. Dates with two sources use the first
    listed (as the headlines do).
    """
    cols = [
        *_KEY,
        "area_name",
        "prev_as_of_date",
        "prev_value",
        "prev_source_url",
        "prev_date_basis",
        "as_of_date",
        "value",
        "source_url",
        "date_basis",
        "fall",
        "explanation",
    ]
    rows = progress[progress["metric"].isin(CUMULATIVE)]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = _first_per_date(rows)
    if "date_basis" not in rows:
        rows = rows.assign(date_basis="as_on")
    grouped = rows.groupby(_KEY, sort=False, observed=True)
    prev = grouped[["as_of_date", "value", "source_url", "date_basis"]].shift(1)
    fell = prev["value"].notna() & (rows["value"] < prev["value"])
    out = rows[fell].copy()
    if out.empty:
        return pd.DataFrame(columns=cols)
    for c in ("as_of_date", "value", "source_url", "date_basis"):
        out[f"prev_{c}"] = prev.loc[fell, c]
    out["fall"] = out["prev_value"] - out["value"]
    out["explanation"] = [
        explain_fall(a, b) for a, b in zip(out["prev_source_url"], out["source_url"], strict=True)
    ]
    return out.reindex(columns=cols).reset_index(drop=True)


def fall_text(row: pd.Series | dict) -> str:
    """'Fell from ₹47,459 crore (as on 31 Mar 2025) to ₹47,458 crore (as on 1 Dec 2025).'"""
    unit = METRICS[row["metric"]].unit if row["metric"] in METRICS else "count"
    return (
        f"Fell from {fmt.value(row['prev_value'], unit)} "
        f"({fmt.dated(row['prev_as_of_date'], row.get('prev_date_basis'))}) to "
        f"{fmt.value(row['value'], unit)} ({fmt.dated(row['as_of_date'], row.get('date_basis'))})."
    )


def latest_fall(row: pd.Series | dict) -> str | None:
    """The fall at a headline's latest step (``Engine.latest`` row), in words, or None.
    The first sentence says what fell; the rest (see :func:`explain_fall`) why it may have."""
    metric = row.get("metric")
    prev = row.get("prev_value")
    if metric not in CUMULATIVE or prev is None or pd.isna(prev):
        return None
    if not float(row["value"]) < float(prev):
        return None
    return fall_text(row) + " " + explain_fall(row.get("prev_source_url"), row.get("source_url"))


def same_date_conflicts(progress: pd.DataFrame) -> pd.DataFrame:
    """Areas, measures and dates reported with different values by different rows.

    One row per conflict: the value used (the first listed, as every headline and chart uses),
    the other values and their sources, and why the first is used.
    """
    cols = [
        *_KEY,
        "area_name",
        "as_of_date",
        "used_value",
        "used_source_url",
        "other_values",
        "other_source_urls",
        "why",
    ]
    if progress.empty:
        return pd.DataFrame(columns=cols)
    rows = progress.reset_index(drop=True)
    keys = [*_KEY, "as_of_date"]
    n_values = rows.groupby(keys, sort=False, observed=True)["value"].transform("nunique")
    rows = rows[n_values > 1]
    out = []
    for _, group in rows.groupby(keys, sort=True, observed=True):
        first, others = group.iloc[0], group.iloc[1:]
        others = others[others["value"] != first["value"]]
        unit = METRICS[first["metric"]].unit if first["metric"] in METRICS else "count"
        out.append(
            {
                **{k: first[k] for k in keys},
                "area_name": first.get("area_name"),
                "used_value": first["value"],
                "used_source_url": first["source_url"],
                "other_values": "; ".join(fmt.value(v, unit) for v in others["value"]),
                "other_source_urls": " ".join(str(u) for u in others["source_url"]),
                "why": "The first listed figure is used in headlines and charts (the data "
                "set's order: the compiler's preferred source first); every figure stays in "
                "the data and the downloads.",
            }
        )
    return pd.DataFrame(out, columns=cols)


def definition_labels(progress: pd.DataFrame) -> pd.Series:
    """Per row: a label when the figure is counted by a different definition, else ''."""
    notes = progress["note"].fillna("").astype(str) if "note" in progress else None
    metric = progress["metric"].astype(str)
    labels = pd.Series("", index=progress.index, dtype=object)
    state_share = metric.str.contains("incl_state_share", regex=False)
    labels[state_share] = STATE_SHARE_LABEL
    if notes is not None:
        other = notes.str.contains(_OTHER_COUNT) & ~state_share
        labels[other] = OTHER_COUNT_LABEL
    return labels


def definition_differences(progress: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`definition_labels` labels, with their label (for the checks list)."""
    labels = definition_labels(progress)
    out = progress[labels != ""].copy()
    out["label"] = labels[labels != ""]
    return out.reset_index(drop=True)


def _nearest(children: pd.DataFrame, day: pd.Timestamp, window_days: int) -> pd.DataFrame:
    """Each child area's row nearest to ``day`` within the window (the earlier on a tie)."""
    if children.empty:
        return children
    gap = (children["as_of_date"] - day).abs()
    # Assign before filtering: assigning a Series to an empty frame would adopt its index.
    near = children.assign(_gap=gap, _late=children["as_of_date"] > day)
    near = near[near["_gap"] <= pd.Timedelta(days=window_days)]
    near = near.sort_values(["area_id", "_gap", "_late"], kind="stable")
    return near.drop_duplicates("area_id", keep="first").drop(columns=["_gap", "_late"])


def level_sums(
    progress: pd.DataFrame, cities: pd.DataFrame, *, window_days: int = SUM_WINDOW_DAYS
) -> pd.DataFrame:
    """Levels that should add up: each state's figure against the sum of its cities', and each
    national figure against the sum of the states', at the nearest date within the window.

    Only additive measures (counts and ₹) are compared, only where at least one part reports,
    and only figures of the same definition: a row labelled by :func:`definition_labels` is
    left out of the sums and counted in ``left_out``. ``status`` says what the comparison
    shows: ``adds up``, ``parts exceed the whole`` (cannot be right), ``differs`` (all parts
    report and the sum is off) or ``partial`` (fewer parts report than exist).
    """
    cols = [
        "comparison",
        "level",
        "area_id",
        "area_name",
        "metric",
        "as_of_date",
        "date_basis",
        "value",
        "source_url",
        "parts_sum",
        "parts_reporting",
        "parts_total",
        "parts_dates",
        "parts_sources",
        "difference",
        "status",
        "left_out",
    ]
    if progress.empty:
        return pd.DataFrame(columns=cols)
    rows = progress[progress["metric"].isin(ADDITIVE)].copy()
    labels = definition_labels(rows)
    plain = rows[labels == ""]
    if "date_basis" not in plain:
        plain = plain.assign(date_basis="as_on")
    plain = _first_per_date(plain)
    n_cities = cities.groupby("state_ut").size() if not cities.empty else pd.Series(dtype=int)
    n_states = int(cities["state_ut"].nunique()) if not cities.empty else 0
    city_rows = plain[plain["level"] == "city"]
    state_rows = plain[plain["level"] == "state"]
    out: list[dict[str, object]] = []

    def compare(whole: pd.Series, parts: pd.DataFrame, total: int, what: str) -> None:
        near = _nearest(parts, whole["as_of_date"], window_days)
        if near.empty:
            return
        left_out = int(
            (
                (labels != "")
                & rows["metric"].eq(whole["metric"])
                & rows["area_id"].isin(parts["area_id"])
            ).sum()
        )
        total_sum = float(near["value"].sum())
        diff = float(whole["value"]) - total_sum
        tol = TOLERANCE * max(abs(float(whole["value"])), abs(total_sum), 1.0)
        if total_sum > float(whole["value"]) + tol:
            status = "parts exceed the whole"
        elif len(near) < total:
            status = "partial"
        elif abs(diff) <= tol:
            status = "adds up"
        else:
            status = "differs"
        dates = sorted(pd.Timestamp(d) for d in near["as_of_date"].unique())
        out.append(
            {
                "comparison": what,
                "level": whole["level"],
                "area_id": whole["area_id"],
                "area_name": whole.get("area_name"),
                "metric": whole["metric"],
                "as_of_date": whole["as_of_date"],
                "date_basis": whole.get("date_basis"),
                "value": float(whole["value"]),
                "source_url": whole["source_url"],
                "parts_sum": total_sum,
                "parts_reporting": len(near),
                "parts_total": total,
                "parts_dates": fmt.as_on(dates[0])
                + ("" if len(dates) == 1 else f" to {fmt.as_on(dates[-1])}"),
                "parts_sources": " ".join(dict.fromkeys(str(u) for u in near["source_url"])),
                "difference": diff,
                "status": status,
                "left_out": left_out,
            }
        )

    for whole in state_rows.itertuples(index=False):
        w = pd.Series(whole._asdict())
        parts = city_rows[
            (city_rows["state_ut"] == w["state_ut"]) & (city_rows["metric"] == w["metric"])
        ]
        compare(w, parts, int(n_cities.get(w["state_ut"], 0)), "cities vs their state")
    national = plain[plain["level"] == "national"]
    for whole in national.itertuples(index=False):
        w = pd.Series(whole._asdict())
        parts = state_rows[state_rows["metric"] == w["metric"]]
        compare(w, parts, n_states, "states vs the nation")
    return pd.DataFrame(out, columns=cols)


def row_flags(rows: pd.DataFrame, progress: pd.DataFrame) -> pd.Series:
    """For figures shown in a table (progress rows): what the checks say about each, in a few
    words ('' when nothing): a fall from the previous report, another value on the same date,
    a different definition. ``progress`` is the wider set the rows come from."""
    flags = pd.Series([[] for _ in range(len(rows))], index=rows.index, dtype=object)
    if rows.empty:
        return flags.map(lambda _: "")
    keys = [*_KEY, "as_of_date"]
    fall_keys = {tuple(r) for r in falls(progress)[keys].itertuples(index=False, name=None)}
    conflict_keys = {
        tuple(r) for r in same_date_conflicts(progress)[keys].itertuples(index=False, name=None)
    }
    labels = definition_labels(rows)
    for i, key in zip(rows.index, rows[keys].itertuples(index=False, name=None), strict=True):
        key = tuple(
            pd.Timestamp(k) if isinstance(k, pd.Timestamp | np.datetime64) else k for k in key
        )
        if key in fall_keys:
            flags[i].append("fell since the previous report")
        if key in conflict_keys:
            flags[i].append("another source gives a different figure for this date")
        if labels[i]:
            flags[i].append(
                "includes the state share"
                if labels[i] == STATE_SHARE_LABEL
                else "state or other count"
            )
    return flags.map("; ".join)
