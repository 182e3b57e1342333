"""Headline figures and derived measures, from query results (pure pandas, no UI).

A headline is the latest figure for an area on or before the "as on" date, with the change
since the previous report and its source, so an official can quote it and say where it came
from. Derived measures (utilisation %, share of projects completed) say which two reported
figures they were computed from.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartcities import fmt
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, METRICS


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
    if pd.notna(row.get("prev_value")):
        diff = float(row["value"]) - float(row["prev_value"])
        sign = "+" if diff >= 0 else "−"
        delta = f"{sign}{fmt.value(abs(diff), m.unit)} since {fmt.as_on(row['prev_as_of_date'])}"
    note = "" if pd.isna(row.get("note")) else f" Note: {row['note']}"
    return Kpi(
        metric,
        label or m.label,
        fmt.value(row["value"], m.unit),
        delta,
        pd.Timestamp(row["as_of_date"]),
        str(row["source_url"]),
        f"{m.description} As on {fmt.as_on(row['as_of_date'])}.{note}",
        float(row["value"]),
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
    detail = (
        f"{METRICS[numerator].label} ({num_text}, as on {fmt.as_on(num['as_of_date'])}) as a "
        f"share of {METRICS[denominator].label.lower()} ({den_text}, as on "
        f"{fmt.as_on(den['as_of_date'])})."
    )
    when = max(pd.Timestamp(num["as_of_date"]), pd.Timestamp(den["as_of_date"]))
    return Kpi(key, label, fmt.pct(pct), None, when, str(num["source_url"]), detail, pct)


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
            label="Share of projects taken up that are complete",
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
            label="Utilisation of central funds released",
        ),
    ]
    released = _row(latest, "central_funds_released_inr_crore")
    if released is not None:
        share = 100 * float(released["value"]) / CENTRAL_COMMITMENT_INR_CRORE
        out.append(
            Kpi(
                "commitment_pct",
                "Central commitment released",
                fmt.pct(share),
                None,
                pd.Timestamp(released["as_of_date"]),
                str(released["source_url"]),
                f"Central funds released as a share of the "
                f"{fmt.inr_crore(CENTRAL_COMMITMENT_INR_CRORE)} central commitment.",
                share,
            )
        )
    return out


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
    return wide.reset_index()


LAG_RULES = (
    "ICCC not known to be operational by the date",
    "Projects still ongoing at the latest report",
    "No project completed at the latest report",
    "Central funds utilisation below 75%",
)


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
    rows: list[dict[str, object]] = []
    names = cities.set_index("city_id")
    operational = set(iccc.loc[iccc["stage"] == "operational", "city_id"]) if len(iccc) else set()
    if len(iccc) or as_of is not None:
        for cid in cities["city_id"]:
            if cid not in operational:
                rows.append(
                    {
                        "city_id": cid,
                        "reason": LAG_RULES[0],
                        "figure": "–",
                        "as_of_date": as_of,
                        "source_url": None,
                    }
                )
    by_city = {cid: grp for cid, grp in city_latest.groupby("area_id")} if len(city_latest) else {}
    for cid, grp in by_city.items():
        if cid not in names.index:
            continue
        vals = grp.set_index("metric")
        if (
            "projects_ongoing_count" in vals.index
            and vals.loc["projects_ongoing_count", "value"] > 0
        ):
            r = vals.loc["projects_ongoing_count"]
            rows.append(
                {
                    "city_id": cid,
                    "reason": LAG_RULES[1],
                    "figure": f"{fmt.count(r['value'])} ongoing",
                    "as_of_date": r["as_of_date"],
                    "source_url": r["source_url"],
                }
            )
        if (
            "projects_completed_count" in vals.index
            and vals.loc["projects_completed_count", "value"] == 0
        ):
            r = vals.loc["projects_completed_count"]
            rows.append(
                {
                    "city_id": cid,
                    "reason": LAG_RULES[2],
                    "figure": "0 completed",
                    "as_of_date": r["as_of_date"],
                    "source_url": r["source_url"],
                }
            )
        if {"funds_utilised_inr_crore", "central_funds_released_inr_crore"} <= set(vals.index):
            used = vals.loc["funds_utilised_inr_crore", "value"]
            rel = vals.loc["central_funds_released_inr_crore", "value"]
            if rel and used / rel < 0.75:
                r = vals.loc["funds_utilised_inr_crore"]
                rows.append(
                    {
                        "city_id": cid,
                        "reason": LAG_RULES[3],
                        "figure": fmt.pct(100 * used / rel),
                        "as_of_date": r["as_of_date"],
                        "source_url": r["source_url"],
                    }
                )
    if not rows:
        return pd.DataFrame(
            columns=[
                "city_id",
                "city_name",
                "state_ut",
                "selection_round",
                "reason",
                "figure",
                "as_of_date",
                "source_url",
            ]
        )
    out = pd.DataFrame(rows).merge(
        cities[["city_id", "city_name", "state_ut", "selection_round"]], on="city_id"
    )
    return out[
        [
            "city_id",
            "city_name",
            "state_ut",
            "selection_round",
            "reason",
            "figure",
            "as_of_date",
            "source_url",
        ]
    ].sort_values(["reason", "city_name"])


def units_of(frame: pd.DataFrame) -> dict[str, str]:
    """Metric columns of a wide table and their units, for formatting."""
    return {c: METRICS[c].unit for c in frame.columns if c in METRICS}
