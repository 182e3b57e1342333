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
from smartcities.i18n import DEFAULT_LANG, N_, gettext
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
STATE_SHARE_LABEL = N_(
    "Includes the state share: not comparable with central-only releases or utilisation"
)
OTHER_COUNT_LABEL = N_(
    "Counted by a state government or another body: may differ from the Ministry's count"
)

WHY_FIRST = N_(
    "The first listed figure is used in headlines and charts (the data set's order: the "
    "compiler's preferred source first); every figure stays in the data and the downloads."
)

_KEY = ["level", "area_id", "metric"]


def _first_per_date(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (level, area, metric, date): the first listed, as headlines use."""
    order = rows.reset_index(drop=True)
    order["_pos"] = np.arange(len(order))
    order = order.sort_values([*_KEY, "as_of_date", "_pos"], kind="stable")
    return order.drop_duplicates([*_KEY, "as_of_date"], keep="first")


def explain_fall(prev_source: object, source: object, lang: str = DEFAULT_LANG) -> str:
    """Why a cumulative figure may have fallen, in plain words (in ``lang``)."""
    _ = gettext(lang)
    a, b = source_domain(prev_source), source_domain(source)
    if a and b and a != b:
        why = _(
            "The two figures come from different sources ({a}, then {b}), which may count "
            "differently or round differently"
        ).format(a=a, b=b)
    else:
        why = _("Both figures come from the same source, so the later one may correct the earlier")
    return _(
        "A running total should not fall. {why}; a changed definition (projects dropped or "
        "merged, claims instead of releases) can also explain it. Both figures are kept as "
        "published."
    ).format(why=why)


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


def fall_text(row: pd.Series | dict, lang: str = DEFAULT_LANG) -> str:
    """'Fell from ₹47,459 crore (as on 31 Mar 2025) to ₹47,458 crore (as on 1 Dec 2025).'"""
    unit = METRICS[row["metric"]].unit if row["metric"] in METRICS else "count"
    _ = gettext(lang)
    return _("Fell from {before} ({before_date}) to {after} ({after_date}).").format(
        before=fmt.value(row["prev_value"], unit, lang),
        before_date=fmt.dated(row["prev_as_of_date"], row.get("prev_date_basis"), lang),
        after=fmt.value(row["value"], unit, lang),
        after_date=fmt.dated(row["as_of_date"], row.get("date_basis"), lang),
    )


def latest_fall(row: pd.Series | dict, lang: str = DEFAULT_LANG) -> str | None:
    """The fall at a headline's latest step (``Engine.latest`` row), in words, or None.
    The first sentence says what fell; the rest (see :func:`explain_fall`) why it may have."""
    metric = row.get("metric")
    prev = row.get("prev_value")
    if metric not in CUMULATIVE or prev is None or pd.isna(prev):
        return None
    if not float(row["value"]) < float(prev):
        return None
    why = explain_fall(row.get("prev_source_url"), row.get("source_url"), lang)
    return fall_text(row, lang) + " " + why


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
                "why": WHY_FIRST,
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

    Vectorised (a join of each whole with its parts' rows, then the nearest row per part):
    a loop per figure took minutes on the synthetic sample's monthly series.
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
    other = rows[labels != ""]
    city_rows, state_rows = plain[plain["level"] == "city"], plain[plain["level"] == "state"]
    parts_out = []
    for wholes, parts, key, what, total, other_parts in (
        (
            state_rows,
            city_rows,
            ["state_ut", "metric"],
            N_("cities vs their state"),
            state_rows["state_ut"].map(n_cities).fillna(0).astype(int),
            other[other["level"] == "city"],
        ),
        (
            plain[plain["level"] == "national"],
            state_rows,
            ["metric"],
            N_("states vs the nation"),
            pd.Series(n_states, index=plain.index[plain["level"] == "national"]),
            other[other["level"] == "state"],
        ),
    ):
        if wholes.empty or parts.empty:
            continue
        w = wholes.reset_index(drop=True).assign(_w=lambda f: range(len(f)))
        w["parts_total"] = total.to_numpy()
        # Each whole against each part area that reports the measure, and that area's row
        # nearest in time (an as-of join): a plain join of every whole with every part row
        # would grow with the square of the number of report dates.
        p = parts[[*key, "area_id", "as_of_date", "value", "source_url"]].assign(
            as_of_date_p=lambda f: f["as_of_date"]
        )
        areas = p[[*key, "area_id"]].drop_duplicates()
        left = w[[*key, "_w", "as_of_date"]].merge(areas, on=key)
        near = pd.merge_asof(
            left.sort_values("as_of_date", kind="stable"),
            p.sort_values("as_of_date", kind="stable"),
            on="as_of_date",
            by=[*key, "area_id"],
            direction="nearest",
            tolerance=pd.Timedelta(days=window_days),
        ).dropna(subset=["as_of_date_p"])
        if near.empty:
            continue
        agg = near.groupby("_w").agg(
            parts_sum=("value", "sum"),
            parts_reporting=("area_id", "size"),
            first=("as_of_date_p", "min"),
            last=("as_of_date_p", "max"),
            parts_sources=("source_url", lambda u: " ".join(dict.fromkeys(map(str, u)))),
        )
        out = w.join(agg, on="_w", how="inner")
        # Figures of another definition among the parts (left out of the sums, counted).
        if not other_parts.empty:
            left = other_parts.groupby(key).size().rename("left_out")
            out = out.join(left, on=key)
        else:
            out["left_out"] = 0
        out["left_out"] = out["left_out"].fillna(0).astype(int)
        out["comparison"] = what
        parts_out.append(out)
    if not parts_out:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts_out, ignore_index=True)
    out["difference"] = out["value"] - out["parts_sum"]
    tol = TOLERANCE * np.maximum(np.maximum(out["value"].abs(), out["parts_sum"].abs()), 1.0)
    out["status"] = np.select(
        [
            out["parts_sum"] > out["value"] + tol,
            out["parts_reporting"] < out["parts_total"],
            out["difference"].abs() <= tol,
        ],
        [N_("parts exceed the whole"), N_("partial"), N_("adds up")],
        default=N_("differs"),
    )
    out["parts_dates"] = [
        fmt.as_on(a) + ("" if a == b else f" to {fmt.as_on(b)}")
        for a, b in zip(out["first"], out["last"], strict=True)
    ]
    return out.reindex(columns=cols).reset_index(drop=True)


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
