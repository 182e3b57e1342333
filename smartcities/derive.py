"""City progress derived from a project list, and reconciled with reported figures.

An MIS export lists projects with the date each reached a stage. From it, a city's cumulative
figures on any date follow: projects (and ₹ crore) tendered, with work orders, completed.
Where a data set reports no figures for a city, these derived figures fill the gap (their
source says ``derived:projects``); where it reports figures too, the two are compared and
differences are reported as warnings, never silently overwritten.

The work is done in DuckDB: a range join of projects against the report dates, grouped per
city, which stays fast at a million projects.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from smartcities.report import Report
from smartcities.schema import TABLES, pandas_dtype

DERIVED_SOURCE = "derived:projects"
DERIVED_NOTE = "Derived from the projects table (cumulative by stage date)"
# metric -> (stage date expression, value expression)
_STAGES = {
    "projects_tendered": "COALESCE(tendered_date, work_order_date, completed_date)",
    "work_orders_issued": "COALESCE(work_order_date, completed_date)",
    "projects_completed": "completed_date",
}
# Relative difference above which a reported and a derived figure are called different.
TOLERANCE = 0.02


def _derived_sql(city_filter: str) -> str:
    selects = []
    for metric, when in _STAGES.items():
        selects.append(
            f"SELECT c.city_id, d.as_of_date, '{metric}_count' AS metric, "
            f"count(p.project_id)::DOUBLE AS value FROM grid d CROSS JOIN cities_in c "
            f"LEFT JOIN projects p ON p.city_id = c.city_id AND {when} <= d.as_of_date "
            f"AND p.stage <> 'dropped' GROUP BY ALL"
        )
        selects.append(
            f"SELECT c.city_id, d.as_of_date, '{metric}_inr_crore' AS metric, "
            f"COALESCE(sum(p.cost_inr_crore), 0)::DOUBLE AS value FROM grid d "
            f"CROSS JOIN cities_in c LEFT JOIN projects p ON p.city_id = c.city_id "
            f"AND {when} <= d.as_of_date AND p.stage <> 'dropped' GROUP BY ALL"
        )
    return f"WITH cities_in AS ({city_filter}) " + " UNION ALL ".join(selects)


def derive_city_progress(
    projects: pd.DataFrame, dates: list[pd.Timestamp], city_ids: list[str]
) -> pd.DataFrame:
    """Cumulative stage figures for the given cities at the given dates (long rows)."""
    if projects.empty or not dates or not city_ids:
        return pd.DataFrame(columns=["city_id", "as_of_date", "metric", "value"])
    con = duckdb.connect(":memory:")
    try:
        con.register("projects", projects)
        con.register("grid", pd.DataFrame({"as_of_date": pd.to_datetime(dates)}))
        con.register("wanted", pd.DataFrame({"city_id": city_ids}))
        return con.execute(_derived_sql("SELECT city_id FROM wanted")).df()
    finally:
        con.close()


def report_dates(progress: pd.DataFrame | None, projects: pd.DataFrame) -> list[pd.Timestamp]:
    """Dates to derive at: the data set's national report dates (or all its dates), else the
    end of each quarter the projects span; always including the latest project event."""
    stage_dates = pd.concat(
        [projects[c] for c in ("tendered_date", "work_order_date", "completed_date")]
    ).dropna()
    if progress is not None and not progress.empty:
        national = progress.loc[progress["level"] == "national", "as_of_date"]
        base = national if not national.empty else progress["as_of_date"]
        dates = set(pd.to_datetime(base.dropna().unique()))
    elif not stage_dates.empty:
        dates = set(pd.date_range(stage_dates.min(), stage_dates.max(), freq="QE"))
    else:
        return []
    if not stage_dates.empty:
        dates.add(pd.Timestamp(stage_dates.max()))
    return sorted(dates)


def add_derived_progress(tables: dict[str, pd.DataFrame], report: Report) -> int:
    """Fill city progress from projects where none is reported; reconcile where both exist.

    Changes ``tables["progress"]`` in place (a new frame) and returns the rows added.
    """
    projects = tables.get("projects")
    cities = tables.get("cities")
    if projects is None or projects.empty or cities is None:
        return 0
    progress = tables.get("progress")
    stage_metrics = [f"{m}_{u}" for m in _STAGES for u in ("count", "inr_crore")]
    reported = (
        progress[(progress["level"] == "city") & progress["metric"].isin(stage_metrics)]
        if progress is not None
        else pd.DataFrame(columns=["area_id", "as_of_date", "metric", "value"])
    )
    with_projects = set(projects["city_id"])
    without_reports = sorted(with_projects - set(reported["area_id"]))
    _reconcile(projects, reported, report)
    derived = derive_city_progress(projects, report_dates(progress, projects), without_reports)
    if derived.empty:
        return 0
    info = cities.set_index("city_id")
    rows = pd.DataFrame(
        {
            "as_of_date": derived["as_of_date"],
            "level": "city",
            "area_id": derived["city_id"],
            "area_name": derived["city_id"].map(info["city_name"]),
            "state_ut": derived["city_id"].map(info["state_ut"]),
            "metric": derived["metric"],
            "value": derived["value"],
            "unit": derived["metric"].map(
                lambda m: "inr_crore" if m.endswith("crore") else "count"
            ),
            "source_url": DERIVED_SOURCE,
            "note": DERIVED_NOTE,
            # Counted from the project list as it stood on the date.
            "date_basis": "as_on",
        }
    )
    for f in TABLES["progress"].fields:
        rows[f.name] = rows[f.name].astype(pandas_dtype(f))
    base = progress if progress is not None else rows.iloc[0:0]
    tables["progress"] = pd.concat([base, rows], ignore_index=True)
    report.warning(
        "",
        f"city progress for {len(without_reports)} city(ies) with no reported figures was "
        "derived from the projects table",
        table="progress",
        fix="Nothing to fix: derived rows say source 'derived:projects'.",
    )
    return len(rows)


def _reconcile(projects: pd.DataFrame, reported: pd.DataFrame, report: Report) -> None:
    """Warn where a reported city figure differs from the one the projects imply."""
    if reported.empty:
        return
    pairs = reported[reported["area_id"].isin(set(projects["city_id"]))]
    if pairs.empty:
        return
    # Compare at each city's latest reported date only: enough to catch a mismatch, cheap at
    # national-programme scale.
    latest = pairs.sort_values("as_of_date").groupby(["area_id", "metric"]).tail(1)
    for as_of, group in latest.groupby("as_of_date"):
        derived = derive_city_progress(projects, [as_of], sorted(set(group["area_id"])))
        merged = group.merge(
            derived,
            left_on=["area_id", "metric"],
            right_on=["city_id", "metric"],
            suffixes=("", "_derived"),
        )
        off = merged[
            (merged["value"] - merged["value_derived"]).abs()
            > TOLERANCE * merged[["value", "value_derived"]].abs().max(axis=1).clip(lower=1)
        ]
        for row in off.head(20).itertuples(index=False):
            report.warning(
                "",
                f"{row.area_id}: reported {row.metric} {row.value:g} on "
                f"{pd.Timestamp(as_of).date()} but the projects table gives "
                f"{row.value_derived:g}",
                table="progress",
                column="value",
                value=f"{row.value:g}",
                fix="Check the project list or the reported figure; both are kept as given.",
            )
