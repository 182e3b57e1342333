"""City progress derived from a project list, and reconciled with reported figures.

An MIS export lists projects with the date each reached a stage. From it, a city's cumulative
figures on any date follow: projects (and ₹ crore) tendered, with work orders, completed. A
project counts at a stage when its own stage is that one or a later one; the date it reached
the stage is the stage's date, else the date its record was last updated (``updated_on``: the
stage was reached by then), else the latest update in the file (the export's "as on" date).
Where a data set reports no figures for a city, state or the nation, these derived figures
fill the gap (their source says ``derived:projects``); where it reports figures too, the two
are compared (a state's or the nation's only when every one of its cities has projects in the
table) and differences are reported as warnings, never silently overwritten.

The work is done in DuckDB: a range join of projects against the report dates, grouped per
city, which stays fast at a million projects.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from smartcities import dataset as ds
from smartcities.report import Report
from smartcities.schema import TABLES, pandas_dtype

DERIVED_SOURCE = "derived:projects"
DERIVED_NOTE = "Derived from the projects table (cumulative by stage date)"
# metric -> (stages that count, the date the stage was reached)
_STAGES = {
    "projects_tendered": (
        ("tendered", "work_order_issued", "completed"),
        "COALESCE(tendered_date, work_order_date, completed_date, updated_on, _latest)",
    ),
    "work_orders_issued": (
        ("work_order_issued", "completed"),
        "COALESCE(work_order_date, completed_date, updated_on, _latest)",
    ),
    "projects_completed": (("completed",), "COALESCE(completed_date, updated_on, _latest)"),
}
_DATE_COLUMNS = ("tendered_date", "work_order_date", "completed_date", "updated_on")
# Relative difference above which a reported and a derived figure are called different.
TOLERANCE = 0.02


def _derived_sql(city_filter: str) -> str:
    selects = []
    for metric, (stages, when) in _STAGES.items():
        counted = ", ".join(f"'{st}'" for st in stages)
        join = (
            f"FROM grid d CROSS JOIN cities_in c LEFT JOIN p ON p.city_id = c.city_id "
            f"AND CAST(p.stage AS VARCHAR) IN ({counted}) AND {when} <= d.as_of_date GROUP BY ALL"
        )
        selects.append(
            f"SELECT c.city_id, d.as_of_date, '{metric}_count' AS metric, "
            f"count(p.project_id)::DOUBLE AS value {join}"
        )
        selects.append(
            f"SELECT c.city_id, d.as_of_date, '{metric}_inr_crore' AS metric, "
            f"COALESCE(sum(p.cost_inr_crore), 0)::DOUBLE AS value {join}"
        )
    return (
        f"WITH cities_in AS ({city_filter}), p AS (SELECT *, max(updated_on) OVER () AS _latest "
        "FROM projects) " + " UNION ALL ".join(selects)
    )


def derive_city_progress(
    projects: pd.DataFrame, dates: list[pd.Timestamp], city_ids: list[str]
) -> pd.DataFrame:
    """Cumulative stage figures for the given cities at the given dates (long rows)."""
    if projects.empty or not dates or not city_ids:
        return pd.DataFrame(columns=["city_id", "as_of_date", "metric", "value"])
    projects = projects.reindex(
        columns=["project_id", "city_id", "stage", "cost_inr_crore", *_DATE_COLUMNS]
    )
    for col in _DATE_COLUMNS:
        projects[col] = pd.to_datetime(projects[col]).astype("datetime64[ns]")
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
    stage_dates = pd.concat([projects[c] for c in _DATE_COLUMNS if c in projects]).dropna()
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
    """Fill city, state and national progress from projects where none is reported; reconcile
    city figures where both exist.

    Changes ``tables["progress"]`` in place (a new frame) and returns the rows added.
    """
    projects = tables.get("projects")
    cities = tables.get("cities")
    if projects is None or projects.empty or cities is None:
        return 0
    progress = tables.get("progress")
    stage_metrics = [f"{m}_{u}" for m in _STAGES for u in ("count", "inr_crore")]
    reported_all = (
        progress[progress["metric"].isin(stage_metrics)]
        if progress is not None
        else pd.DataFrame(columns=["level", "area_id", "as_of_date", "metric", "value"])
    )
    reported = reported_all[reported_all["level"] == "city"]
    with_projects = sorted(set(projects["city_id"]))
    without_reports = sorted(set(with_projects) - set(reported["area_id"]))
    _reconcile(projects, reported_all, cities, report)
    info = cities.set_index("city_id")
    # Only the cities whose figures are used: those without reports, plus every city of a
    # state (or the nation) that reports no stage figures and so gets their sum.
    state_ids = dict(zip(ds.states()["state_ut"], ds.states()["state_id"], strict=True))
    reported_states = set(reported_all.loc[reported_all["level"] == "state", "area_id"])
    national_reported = bool((reported_all["level"] == "national").any())
    city_state = pd.Series(with_projects).map(info["state_ut"]).map(state_ids)
    summed = (
        with_projects
        if not national_reported
        else [
            c for c, st in zip(with_projects, city_state, strict=True) if st not in reported_states
        ]
    )
    needed = sorted(set(without_reports) | set(summed))
    derived = derive_city_progress(projects, report_dates(progress, projects), needed)
    if derived.empty:
        return 0
    n_cities = len(with_projects)
    city_note = DERIVED_NOTE
    wider_note = (
        f"{DERIVED_NOTE}; sums the {n_cities} city(ies) with projects in the table, not "
        "necessarily every city of the area"
    )
    frames = []
    mine = derived[derived["city_id"].isin(without_reports)]
    if not mine.empty:
        frames.append(
            _rows(
                mine, "city", mine["city_id"], mine["city_id"].map(info["city_name"]), city_note
            ).assign(state_ut=mine["city_id"].map(info["state_ut"]).to_numpy())
        )
    state_of = derived["city_id"].map(info["state_ut"])
    by_state = (
        derived.assign(state_ut=state_of)
        .groupby(["state_ut", "as_of_date", "metric"], as_index=False)["value"]
        .sum()
    )
    by_state = by_state[
        by_state["state_ut"].map(state_ids).notna()
        & ~by_state["state_ut"].map(state_ids).isin(reported_states)
    ]
    if not by_state.empty:
        frames.append(
            _rows(
                by_state,
                "state",
                by_state["state_ut"].map(state_ids),
                by_state["state_ut"],
                wider_note,
            ).assign(state_ut=by_state["state_ut"].to_numpy())
        )
    if not national_reported:
        nation = derived.groupby(["as_of_date", "metric"], as_index=False)["value"].sum()
        frames.append(_rows(nation, "national", "india", "India", wider_note))
    if not frames:
        return 0
    rows = pd.concat(frames, ignore_index=True)
    for f in TABLES["progress"].fields:
        if f.name not in rows:
            rows[f.name] = None
        rows[f.name] = rows[f.name].astype(pandas_dtype(f))
    rows = rows[TABLES["progress"].columns]
    base = progress if progress is not None else rows.iloc[0:0]
    tables["progress"] = pd.concat([base, rows], ignore_index=True)
    levels = ", ".join(dict.fromkeys(rows["level"]))
    report.warning(
        "",
        f"progress was derived from the projects table where none is reported ({levels}: "
        f"{len(without_reports)} city(ies) with no reported figures)",
        table="progress",
        fix="Nothing to fix: derived rows say source 'derived:projects'.",
    )
    return len(rows)


def _rows(
    derived: pd.DataFrame, level: str, area_id: object, area_name: object, note: str
) -> pd.DataFrame:
    """Derived long rows of one level in the progress table's columns."""
    return pd.DataFrame(
        {
            "as_of_date": derived["as_of_date"].to_numpy(),
            "level": level,
            "area_id": area_id if isinstance(area_id, str) else pd.Series(area_id).to_numpy(),
            "area_name": area_name
            if isinstance(area_name, str)
            else pd.Series(area_name).to_numpy(),
            "metric": derived["metric"].to_numpy(),
            "value": derived["value"].to_numpy(),
            "unit": ["inr_crore" if m.endswith("crore") else "count" for m in derived["metric"]],
            "source_url": DERIVED_SOURCE,
            "note": note,
            # Counted from the project list as it stood on the date.
            "date_basis": "as_on",
        }
    )


def _reconcile(
    projects: pd.DataFrame, reported: pd.DataFrame, cities: pd.DataFrame, report: Report
) -> None:
    """Warn where a reported figure differs from the one the projects imply: for a city with
    projects, and for a state (or the nation) only when every one of its cities has projects
    in the table, since a partial list says nothing about the area's total."""
    if reported.empty:
        return
    covered = set(projects["city_id"])
    state_ids = dict(zip(ds.states()["state_ut"], ds.states()["state_id"], strict=True))
    state_of = cities.set_index("city_id")["state_ut"].map(state_ids)
    full_states = {
        state for state, ids in state_of.groupby(state_of).groups.items() if set(ids) <= covered
    }
    level, area = reported["level"].astype("string"), reported["area_id"].astype("string")
    keep = (
        ((level == "city") & area.isin(covered))
        | ((level == "state") & area.isin(full_states))
        | ((level == "national") & bool(set(state_of.index) <= covered))
    ).fillna(False)
    pairs = reported[keep.to_numpy(dtype=bool)]
    if pairs.empty:
        return
    # Compare at each area's latest reported date only: enough to catch a mismatch, cheap at
    # national-programme scale.
    keys = ["level", "area_id", "metric"]
    latest = pairs.sort_values("as_of_date").groupby(keys, observed=True).tail(1)
    shown = 0
    for as_of, group in latest.groupby("as_of_date"):
        areas = group["area_id"].astype("string")
        kinds = group["level"].astype("string")
        wanted = set(areas[kinds == "city"]) | set(
            state_of.index[state_of.isin(set(areas[kinds == "state"]))]
        )
        if (kinds == "national").any():
            wanted = covered
        derived = derive_city_progress(projects, [as_of], sorted(wanted & covered))
        by_city = derived.assign(level="city", area_id=derived["city_id"])
        by_state = (
            derived.assign(area_id=derived["city_id"].map(state_of))
            .groupby(["area_id", "metric"], as_index=False)["value"]
            .sum()
            .assign(level="state")
        )
        nation = derived.groupby("metric", as_index=False)["value"].sum()
        every = pd.concat(
            [by_city, by_state, nation.assign(level="national", area_id="india")],
            ignore_index=True,
        )[[*keys, "value"]]
        merged = group.astype({k: "string" for k in keys}).merge(
            every.astype({k: "string" for k in keys}), on=keys, suffixes=("", "_derived")
        )
        off = merged[
            (merged["value"] - merged["value_derived"]).abs()
            > TOLERANCE * merged[["value", "value_derived"]].abs().max(axis=1).clip(lower=1)
        ]
        for row in off.itertuples(index=False):
            shown += 1
            if shown > 20:
                break
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
