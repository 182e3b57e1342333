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

from dataclasses import dataclass

import duckdb
import pandas as pd

from smartcities import dataset as ds
from smartcities.report import Report
from smartcities.schema import FUNNEL_RULE, TABLES, pandas_dtype

DERIVED_SOURCE = "derived:projects"
DERIVED_NOTE = "Derived from the projects table (cumulative by stage date)"
# metric -> (stages that count, the date the stage was reached)
_STAGES = {
    stem: (stages, f"COALESCE({', '.join(dates)}, updated_on, _latest)")
    for stem, _header, stages, dates in FUNNEL_RULE
}
_DATE_COLUMNS = ("tendered_date", "work_order_date", "completed_date", "updated_on")
# Relative difference above which a reported and a derived figure are called different.
TOLERANCE = 0.02


def _derived_sql(city_filter: str) -> str:
    """Cumulative stage figures of the wanted cities at every grid date.

    Each counted project is placed once, at the first grid date on or after the date it reached
    the stage (an ASOF join), the per-date counts and sums are accumulated with a running window,
    and a city × date × metric frame gives the zeros. Linear in projects plus cities × dates:
    a range join of every project against every date (the earlier form) grew with their
    product, which at national-programme scale (a million projects, 161 dates) took 23 s and
    2.6 GB of the store build.
    """
    events = []
    for metric, (stages, when) in _STAGES.items():
        counted = ", ".join(f"'{st}'" for st in stages)
        events.append(
            f"SELECT city_id, '{metric}' AS metric, {when} AS reached, project_id, cost_inr_crore "
            f"FROM p WHERE CAST(stage AS VARCHAR) IN ({counted})"
        )
    metrics = ", ".join(f"('{m}')" for m in _STAGES)
    return f"""
        WITH cities_in AS ({city_filter}),
        p AS (
            -- the export's "as on" date is the latest update of any project, wanted or not
            SELECT project_id, city_id, stage, cost_inr_crore, {", ".join(_DATE_COLUMNS)},
                   (SELECT max(updated_on) FROM projects) AS _latest
            FROM projects WHERE city_id IN (SELECT city_id FROM cities_in)
        ),
        dates AS (SELECT DISTINCT as_of_date FROM grid),
        events AS ({" UNION ALL ".join(events)}),
        placed AS (
            SELECT e.city_id, e.metric, d.as_of_date,
                   count(e.project_id) AS n, sum(e.cost_inr_crore) AS cost
            FROM events e ASOF JOIN dates d ON e.reached <= d.as_of_date
            GROUP BY ALL
        ),
        frame AS (
            SELECT c.city_id, d.as_of_date, m.metric
            FROM (SELECT DISTINCT city_id FROM cities_in) c
            CROSS JOIN dates d CROSS JOIN (VALUES {metrics}) m(metric)
        ),
        running AS MATERIALIZED (
            SELECT f.city_id, f.as_of_date, f.metric,
                   sum(coalesce(pl.n, 0)) OVER w AS n,
                   sum(pl.cost) OVER w AS cost
            FROM frame f LEFT JOIN placed pl USING (city_id, metric, as_of_date)
            WINDOW w AS (PARTITION BY f.city_id, f.metric ORDER BY f.as_of_date
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        )
        SELECT * FROM (
            SELECT city_id, as_of_date, metric || '_count' AS metric, n::DOUBLE AS value
            FROM running
            UNION ALL
            SELECT city_id, as_of_date, metric || '_inr_crore', coalesce(cost, 0)::DOUBLE
            FROM running
        ) ORDER BY city_id, metric, as_of_date  -- a stable order for the rows it adds
    """


def derive_city_progress(
    projects: pd.DataFrame, dates: list[pd.Timestamp], city_ids: list[str]
) -> pd.DataFrame:
    """Cumulative stage figures for the given cities at the given dates (long rows)."""
    if projects.empty or not dates or not city_ids:
        return pd.DataFrame(columns=["city_id", "as_of_date", "metric", "value"])
    projects = _project_columns(projects)
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


STAGE_METRICS: tuple[str, ...] = tuple(f"{m}_{u}" for m in _STAGES for u in ("count", "inr_crore"))


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
    stage_rows = (
        progress[progress["metric"].isin(STAGE_METRICS)]
        if progress is not None
        else pd.DataFrame(columns=["level", "area_id", "as_of_date", "metric", "value"])
    )
    rows = derived_rows(projects, cities, stage_rows, report_dates(progress, projects), report)
    if rows.empty:
        return 0
    base = progress if progress is not None else rows.iloc[0:0]
    tables["progress"] = pd.concat([base, rows], ignore_index=True)
    return len(rows)


@dataclass(frozen=True)
class _Plan:
    """Which derived rows a data set gets: small, computed from the reported figures."""

    needed: list[str]  # cities whose figures are derived (their own, or summed into an area)
    own: list[str]  # cities with projects but no reported figures: they get city rows
    states: list[tuple[str, str]]  # (state_id, state_ut) that report no stage figures
    national: bool  # the nation reports none: it gets the sum of the cities
    n_cities: int  # cities with projects (named in the note of summed rows)


def _plan(city_ids: set[str], cities: pd.DataFrame, reported_all: pd.DataFrame) -> _Plan:
    reported = reported_all[reported_all["level"] == "city"]
    with_projects = sorted(city_ids)
    without_reports = sorted(set(with_projects) - set(reported["area_id"]))
    info = cities.set_index("city_id")
    # Only the cities whose figures are used: those without reports, plus every city of a
    # state (or the nation) that reports no stage figures and so gets their sum.
    state_ids = dict(zip(ds.states()["state_ut"], ds.states()["state_id"], strict=True))
    reported_states = set(reported_all.loc[reported_all["level"] == "state", "area_id"])
    national_reported = bool((reported_all["level"] == "national").any())
    city_state = pd.Series(with_projects, dtype="object").map(info["state_ut"]).map(state_ids)
    summed = (
        with_projects
        if not national_reported
        else [
            c for c, st in zip(with_projects, city_state, strict=True) if st not in reported_states
        ]
    )
    states = sorted(
        {
            (state_ids[s], s)
            for s in pd.Series(with_projects, dtype="object").map(info["state_ut"]).dropna()
            if s in state_ids and state_ids[s] not in reported_states
        }
    )
    return _Plan(
        needed=sorted(set(without_reports) | set(summed)),
        own=without_reports,
        states=states,
        national=not national_reported,
        n_cities=len(with_projects),
    )


_LEVEL_ORDER = "CASE level WHEN 'city' THEN 0 WHEN 'state' THEN 1 ELSE 2 END"


def _rows_sql(plan: _Plan) -> str:
    """The derived rows in the progress table's columns, from the tables :func:`_register`
    puts beside ``projects``: the cities' own figures, each unreported state's sum and the
    nation's sum, in one statement so that no step holds the rows in pandas."""
    wider = (
        f"{DERIVED_NOTE}; sums the {plan.n_cities} city(ies) with projects in the table, not "
        "necessarily every city of the area"
    )

    def lit(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    unit = "CASE WHEN ends_with(metric, 'crore') THEN 'inr_crore' ELSE 'count' END"
    parts = [
        f"""SELECT d.as_of_date, 'city' AS level, d.city_id AS area_id, i.city_name AS area_name,
                   d.metric, d.value, i.state_ut, {lit(DERIVED_NOTE)} AS note
            FROM derived d LEFT JOIN _d_info i USING (city_id)
            WHERE d.city_id IN (SELECT city_id FROM _d_own)""",
        f"""SELECT d.as_of_date, 'state', s.state_id, s.state_ut, d.metric, sum(d.value),
                   s.state_ut, {lit(wider)}
            FROM derived d JOIN _d_info i USING (city_id) JOIN _d_states s USING (state_ut)
            GROUP BY d.as_of_date, s.state_id, s.state_ut, d.metric""",
    ]
    if plan.national:
        parts.append(
            f"""SELECT d.as_of_date, 'national', 'india', 'India', d.metric, sum(d.value),
                       NULL, {lit(wider)}
                FROM derived d GROUP BY d.as_of_date, d.metric"""
        )
    body = " UNION ALL ".join(parts)
    return f"""
        WITH derived AS MATERIALIZED ({_derived_sql("SELECT city_id FROM _d_needed")}),
        rows AS ({body})
        SELECT as_of_date, level, area_id, area_name, metric, value, {unit} AS unit,
               {lit(DERIVED_SOURCE)} AS source_url, note, 'as_on' AS date_basis, state_ut
        FROM rows ORDER BY {_LEVEL_ORDER}, area_id, metric, as_of_date
    """


_REGISTERED = ("grid", "_d_needed", "_d_own", "_d_info", "_d_states")


def _register(
    con: duckdb.DuckDBPyConnection, plan: _Plan, cities: pd.DataFrame, dates: list[pd.Timestamp]
) -> None:
    con.register("grid", pd.DataFrame({"as_of_date": pd.to_datetime(dates)}))
    con.register("_d_needed", pd.DataFrame({"city_id": pd.Series(plan.needed, dtype="object")}))
    con.register("_d_own", pd.DataFrame({"city_id": pd.Series(plan.own, dtype="object")}))
    con.register(
        "_d_info",
        cities[["city_id", "city_name", "state_ut"]].astype("object"),
    )
    con.register(
        "_d_states",
        pd.DataFrame(plan.states, columns=["state_id", "state_ut"], dtype="object"),
    )


def _unregister(con: duckdb.DuckDBPyConnection) -> None:
    for name in _REGISTERED:
        con.unregister(name)


def _announce(plan: _Plan, levels: list[str], report: Report) -> None:
    report.warning(
        "",
        f"progress was derived from the projects table where none is reported "
        f"({', '.join(levels)}: {len(plan.own)} city(ies) with no reported figures)",
        table="progress",
        fix="Nothing to fix: derived rows say source 'derived:projects'.",
    )


def derived_rows(
    projects: pd.DataFrame,
    cities: pd.DataFrame,
    reported_all: pd.DataFrame,
    dates: list[pd.Timestamp],
    report: Report,
) -> pd.DataFrame:
    """The progress rows to add from the projects, in the contract's columns and dtypes.

    ``reported_all`` are the data set's reported stage figures (:data:`STAGE_METRICS` rows of
    every level; only each series' latest date is read), ``dates`` the dates to derive at
    (:func:`report_dates`). Reconciles and reports as it goes. A store build, whose projects
    are already in DuckDB, calls :func:`insert_derived` instead: the same plan and SQL.
    """
    empty = pd.DataFrame(columns=TABLES["progress"].columns)
    _reconcile(projects, reported_all, cities, report)
    plan = _plan(set(projects["city_id"].dropna()), cities, reported_all)
    if not plan.needed or not dates:
        return empty
    con = duckdb.connect(":memory:")
    try:
        con.register("projects", _project_columns(projects))
        _register(con, plan, cities, dates)
        rows = con.execute(_rows_sql(plan)).df()
    finally:
        con.close()
    if rows.empty:
        return empty
    for f in TABLES["progress"].fields:
        if f.name not in rows:
            rows[f.name] = None
        rows[f.name] = rows[f.name].astype(pandas_dtype(f))
    rows = rows[TABLES["progress"].columns]
    _announce(plan, list(dict.fromkeys(rows["level"])), report)
    return rows


def insert_derived(
    con: duckdb.DuckDBPyConnection,
    projects: pd.DataFrame,
    cities: pd.DataFrame,
    reported_all: pd.DataFrame,
    dates: list[pd.Timestamp],
    report: Report,
    first_row: int,
) -> int:
    """:func:`derived_rows` for a store: ``con`` holds the ``projects`` and ``progress``
    tables, and the rows go straight from SQL into ``progress`` (numbered from ``first_row``
    in ``_row``). ``projects`` needs only the city, stage, cost and date columns (for the
    reconciliation and the plan). Returns the rows added."""
    _reconcile(projects, reported_all, cities, report)
    plan = _plan(set(projects["city_id"].dropna()), cities, reported_all)
    if not plan.needed or not dates:
        return 0
    cols = TABLES["progress"].columns
    _register(con, plan, cities, dates)
    try:
        con.execute(f"CREATE TEMP TABLE _d_rows AS {_rows_sql(plan)}")
        try:
            levels = [
                r[0]
                for r in con.execute(
                    f"SELECT level FROM _d_rows GROUP BY level ORDER BY min({_LEVEL_ORDER})"
                ).fetchall()
            ]
            con.execute(
                f"INSERT INTO progress ({', '.join(cols)}, _row) "
                f"SELECT {', '.join(cols)}, {int(first_row)} + row_number() OVER () - 1 "
                "FROM _d_rows"
            )
            (added,) = con.execute("SELECT count(*) FROM _d_rows").fetchall()[0]
        finally:
            con.execute("DROP TABLE _d_rows")
    finally:
        _unregister(con)
    if added:
        _announce(plan, levels, report)
    return int(added)


def _project_columns(projects: pd.DataFrame) -> pd.DataFrame:
    """The columns the derivation reads, dates as timestamps (an upload may leave them as
    objects)."""
    out = projects.reindex(
        columns=["project_id", "city_id", "stage", "cost_inr_crore", *_DATE_COLUMNS]
    )
    for col in _DATE_COLUMNS:
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out


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
    # A stable sort: ties keep the rows' order, so a store build (which passes only each
    # series' latest rows) reports the same rows in the same order as the loader.
    latest = pairs.sort_values("as_of_date", kind="stable").groupby(keys, observed=True).tail(1)
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
