"""Queries over the validated tables, in DuckDB with bound parameters.

A :class:`~smartcities.urlstate.FilterState` (state, round, city, "as on" date) becomes SQL text
plus a parameter list through pure builder functions (``*_sql``), which the tests check with a
table of cases. No value is ever formatted into SQL text: only fixed fragments are joined and
every user value goes through a ``?`` placeholder.

:class:`Engine` holds one DuckDB connection with the data set's tables registered; callers share
it (the UI caches one per data set) and each query runs on its own cursor, since a DuckDB
connection is not safe to share across threads.

Two things keep national-scale data (millions of progress rows) fast and small (measured at
4,500 towns, 5.7 million progress rows):

- the headline query (:func:`latest_sql`, a window over the whole progress table) is answered
  for the usual "latest report" view from a table of each series' latest and previous rows,
  built once per engine (:func:`latest_table_sql`, read by :func:`latest_fast_sql`);
- the engine's copy of the tables is stored compressed, and DuckDB's allocator hands freed
  memory back to the operating system (see :meth:`Engine.__init__`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from smartcities.dataset import Dataset
from smartcities.names import slugify
from smartcities.schema import FUNNEL_RULE, TABLES, empty_frame

Params = list[object]
T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """The filter values a query needs (built from the URL state by the UI)."""

    state_ut: str | None = None
    round: str | None = None
    city_id: str | None = None
    as_of: date | None = None


# ---------------------------------------------------------------- pure SQL builders


def cities_sql(scope: Scope) -> tuple[str, Params]:
    """Cities in scope."""
    where, params = ["TRUE"], []
    if scope.state_ut:
        where.append("state_ut = ?")
        params.append(scope.state_ut)
    if scope.round:
        where.append("selection_round = ?")
        params.append(scope.round)
    if scope.city_id:
        where.append("city_id = ?")
        params.append(scope.city_id)
    sql = f"SELECT * FROM cities WHERE {' AND '.join(where)} ORDER BY state_ut, city_name, city_id"
    return sql, params


def _progress_where(
    scope: Scope, levels: tuple[str, ...] | None, metrics: tuple[str, ...] | None = None
) -> tuple[list[str], Params]:
    """WHERE terms selecting the progress rows that belong to the scope.

    National and round rows are mission-wide; a state filter keeps that state's rows and its
    cities' rows; a round filter keeps the round's rows and its cities'; a city filter keeps the
    city's rows. ``levels`` and ``metrics`` narrow to some levels and metrics.
    """
    where: list[str] = []
    params: Params = []
    if levels:
        where.append(f"p.level IN ({', '.join('?' for _ in levels)})")
        params.extend(levels)
    if scope.city_id:
        where.append("p.level = 'city' AND p.area_id = ?")
        params.append(scope.city_id)
    else:
        if scope.state_ut:
            where.append(
                "(p.level IN ('national', 'round') OR (p.level IN ('state', 'city') "
                "AND p.state_ut = ?))"
            )
            params.append(scope.state_ut)
        if scope.round:
            where.append(
                "(p.level IN ('national', 'state') OR (p.level = 'round' AND p.area_name = ?) "
                "OR (p.level = 'city' AND p.area_id IN "
                "(SELECT city_id FROM cities WHERE selection_round = ?)))"
            )
            params.extend([scope.round, scope.round])
    if scope.as_of:
        where.append("p.as_of_date <= ?")
        params.append(pd.Timestamp(scope.as_of).to_pydatetime())
    if metrics:
        where.append(f"p.metric IN ({', '.join('?' for _ in metrics)})")
        params.extend(metrics)
    return where or ["TRUE"], params


def progress_sql(
    scope: Scope, *, levels: tuple[str, ...] | None = None, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """All progress rows in scope (the rows behind a view), oldest first."""
    where, params = _progress_where(scope, levels, metrics)
    sql = (
        f"SELECT p.* FROM progress p WHERE {' AND '.join(where)} "
        "ORDER BY p.as_of_date, p.level, p.area_id, p.metric, p._row"
    )
    return sql, params


def latest_sql(
    scope: Scope, *, levels: tuple[str, ...] | None = None, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """For each area and metric: the latest value on or before the scope's date, and the one
    reported before it (for "change since the previous report")."""
    inner, params = progress_sql(scope, levels=levels, metrics=metrics)
    sql = f"""
        WITH ranked AS (
            SELECT r.*, row_number() OVER (
                PARTITION BY level, area_id, metric ORDER BY as_of_date DESC, _row
            ) AS rn,
            dense_rank() OVER (
                PARTITION BY level, area_id, metric ORDER BY as_of_date DESC
            ) AS date_rank
            FROM ({inner}) r
        ),
        latest AS (SELECT * FROM ranked WHERE rn = 1),
        previous AS (
            SELECT level, area_id, metric, as_of_date AS prev_as_of_date, value AS prev_value,
                   source_url AS prev_source_url, date_basis AS prev_date_basis,
                   row_number() OVER (PARTITION BY level, area_id, metric ORDER BY _row) AS k
            FROM ranked WHERE date_rank = 2
        )
        SELECT l.as_of_date, l.date_basis, l.level, l.area_id, l.area_name, l.state_ut, l.metric,
               l.value, l.unit, l.source_url, l.note, v.prev_as_of_date, v.prev_value,
               v.prev_source_url, v.prev_date_basis
        FROM latest l
        LEFT JOIN previous v USING (level, area_id, metric)
        WHERE v.k = 1 OR v.k IS NULL
        ORDER BY l.level, l.area_id, l.metric
    """
    return sql, params


# The latest table: one row per (level, area_id, metric) with the columns latest_sql returns.
LATEST_TABLE = "progress_latest"


def latest_table_sql() -> str:
    """The SELECT that fills the latest table: :func:`latest_sql` over every progress row.

    The table can stand in for the window query whenever the scope has no date, because every
    other term of :func:`_progress_where` keeps or drops whole (level, area_id, metric) series:
    ``levels``, ``metrics`` and the city filter test the series' own key; the round filter tests
    the key (level, area_id) and, for round rows, ``area_name``; the state filter tests the key
    and, for state and city rows, ``state_ut``. The last two are properties of the series only
    when each series reports one ``area_name`` (round rows) and one ``state_ut`` (state and
    city rows) throughout; :func:`latest_uniform_sql` checks that, and the engine uses the
    table for a state or round filter only where it holds. The date filter alone cuts a series
    in time (its latest row depends on the date), so a dated scope keeps the window query.
    """
    return latest_sql(Scope())[0]  # an undated, unfiltered scope binds no parameters


def latest_uniform_sql() -> str:
    """How many series break the uniformity :func:`latest_table_sql` relies on (0: none).

    ``state_ut`` must be one value (or always missing) within each state or city series, and
    ``area_name`` within each round series; a mix of a value and a missing one counts as two.
    """
    return """
        SELECT count(*) AS n FROM (
            SELECT level, area_id, metric FROM progress
            GROUP BY level, area_id, metric
            HAVING (level IN ('state', 'city') AND (
                        count(DISTINCT state_ut) > 1
                        OR count(state_ut) NOT IN (0, count(*))))
                OR (level = 'round' AND (
                        count(DISTINCT area_name) > 1
                        OR count(area_name) NOT IN (0, count(*))))
        )
    """


def latest_fast_sql(
    scope: Scope, *, levels: tuple[str, ...] | None = None, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """:func:`latest_sql` for an undated scope, read from the latest table.

    The same WHERE terms as :func:`progress_sql`, applied to the series' latest rows (see
    :func:`latest_table_sql` for why that selects the same series), in the same order.
    """
    if scope.as_of is not None:
        raise ValueError("the latest table holds the latest report only; use latest_sql")
    where, params = _progress_where(scope, levels, metrics)
    sql = (
        f"SELECT p.* FROM {LATEST_TABLE} p WHERE {' AND '.join(where)} "
        "ORDER BY p.level, p.area_id, p.metric"
    )
    return sql, params


def series_sql(
    scope: Scope, metrics: tuple[str, ...], *, level: str, area_id: str | None = None
) -> tuple[str, Params]:
    """A time series per metric for one area (first source per date when several report)."""
    where, params = _progress_where(Scope(as_of=scope.as_of), None)
    where += [f"p.metric IN ({', '.join('?' for _ in metrics)})", "p.level = ?"]
    params += [*metrics, level]
    if area_id is not None:
        where.append("p.area_id = ?")
        params.append(area_id)
    sql = f"""
        SELECT as_of_date, date_basis, metric, value, unit, source_url, note, area_id, area_name
        FROM (
            SELECT p.*, row_number() OVER (
                PARTITION BY p.area_id, p.metric, p.as_of_date ORDER BY p._row) AS k
            FROM progress p WHERE {" AND ".join(where)}
        ) WHERE k = 1
        ORDER BY area_id, metric, as_of_date
    """
    return sql, params


def iccc_sql(scope: Scope) -> tuple[str, Params]:
    """Each city's ICCC stages, with the city's name, state and round."""
    csql, params = cities_sql(scope)
    where = "TRUE"
    if scope.as_of:
        where = "i.stage_date <= ?"
        params = [*params, pd.Timestamp(scope.as_of).to_pydatetime()]
    sql = f"""
        SELECT i.*, c.city_name, c.state_ut, c.selection_round
        FROM iccc i JOIN ({csql}) c USING (city_id)
        WHERE {where}
        ORDER BY i.stage_date, c.city_name, i.city_id, i._row
    """
    return sql, params


def projects_sql(scope: Scope) -> tuple[str, Params]:
    """Projects of the cities in scope."""
    csql, params = cities_sql(scope)
    sql = f"""
        SELECT p.* EXCLUDE (state_ut), c.city_name, c.state_ut, c.selection_round
        FROM projects p JOIN ({csql}) c USING (city_id)
        ORDER BY c.city_name, p.project_id, p._row
    """
    return sql, params


# A project counts at a funnel stage when its own stage is that one or later, on the stage's
# own date, else its last update, else the table's latest update: the rule of
# smartcities.derive and projects_view.reached, here in SQL so that a breakdown of a million
# projects is a GROUP BY in DuckDB rather than every project's columns in pandas (2 GB).
FUNNEL_SQL = {
    header: (stages, f"coalesce({', '.join('p.' + d for d in dates)}, p.updated_on, l.latest)")
    for _stem, header, stages, dates in FUNNEL_RULE
}


def funnel_breakdown_sql(
    scope: Scope, by: str, unit: str, as_of: pd.Timestamp | None
) -> tuple[str, Params]:
    """Projects (``unit`` ``count``) or ₹ crore reaching each funnel stage, per raw ``sector``
    or ``component`` value (``grp``; NULL where not given), for the cities in scope. The
    latest update is that of the whole projects table, as in the derived figures."""
    if by not in ("sector", "component"):
        raise ValueError(f"no breakdown by {by!r}")
    csql, params = cities_sql(scope)
    weight = "coalesce(p.cost_inr_crore, 0)" if unit == "inr_crore" else "1"
    sums = []
    for i, (stages, when) in enumerate(FUNNEL_SQL.values()):
        counted = ", ".join(f"'{s}'" for s in stages)  # fixed stage codes, not input
        cond = f"CAST(p.stage AS VARCHAR) IN ({counted})"
        if as_of is not None:
            cond += f" AND {when} <= ?"
        sums.append(f"sum(CASE WHEN {cond} THEN {weight} ELSE 0 END)::DOUBLE AS s{i}")
    if as_of is not None:  # the SELECT list's placeholders come before the cities' ones
        params = [*[pd.Timestamp(as_of).to_pydatetime()] * len(FUNNEL_SQL), *params]
    sql = f"""
        SELECT CAST(p.{by} AS VARCHAR) AS grp, {", ".join(sums)}
        FROM projects p JOIN ({csql}) c USING (city_id)
        CROSS JOIN (SELECT max(updated_on) AS latest FROM projects) l
        GROUP BY 1 ORDER BY 1 NULLS LAST
    """
    return sql, params


def has_projects_sql(scope: Scope) -> tuple[str, Params]:
    """Whether any city in scope lists projects (one row, or none)."""
    csql, params = cities_sql(scope)
    return f"SELECT 1 AS one FROM projects p JOIN ({csql}) c USING (city_id) LIMIT 1", params


# ---------------------------------------------------------------- execution


class Engine:
    """One DuckDB connection over a data set's tables; a cursor per query.

    Results are kept in a small LRU cache keyed by the SQL text and its parameters: Streamlit
    reruns the whole page on every interaction, and most of a page's queries do not change
    with it. The data never changes under an engine, so a cached result is never stale.
    Large results are not cached, to bound memory.
    """

    CACHE_ENTRIES = 128
    CACHE_MAX_ROWS = 50_000
    # The copy lives in an attached in-memory database with compression on: DuckDB does not
    # compress its default in-memory database, and at 4,500 towns the plain copy took 325 MB
    # against 78 MB compressed, with queries as fast or faster (less memory to scan).
    _STORE = "store"

    def __init__(
        self, dataset: Dataset, *, store: Path | None = None, latest_uniform: bool | None = None
    ) -> None:
        """Copy ``dataset``'s tables into a compressed in-memory database, or, given ``store``
        (a file written by :mod:`smartcities.store.build`), attach that file read-only and
        copy nothing: the tables, the latest table and ``latest_uniform`` come built."""
        self.dataset = dataset
        # DuckDB's allocator keeps freed memory for reuse unless told to give it back: without
        # these, building the copy (uncompressed until the checkpoint) and every large query
        # left hundreds of MB resident for good. Background threads return freed pages to the
        # OS within seconds (a process-wide setting, harmless to repeat per engine); the low
        # thresholds flush the allocator after each sizeable task.
        self._con = duckdb.connect(
            ":memory:",
            config={
                "allocator_background_threads": True,
                "allocator_flush_threshold": "16MB",
                "allocator_bulk_deallocation_flush_threshold": "16MB",
            },
        )
        self._lock = threading.Lock()
        self._latest_lock = threading.Lock()
        self._latest_uniform: bool | None = None  # None: the latest table is not built yet
        self._cache: OrderedDict[tuple[str, tuple[object, ...]], pd.DataFrame] = OrderedDict()
        self._memo: dict[str, Any] = {}
        store, store_path = self._STORE, store
        if store_path is not None:
            self._attach_store(store_path, latest_uniform)
            return
        self._con.execute(f"ATTACH ':memory:' AS {store} (COMPRESS)")
        for name, table in TABLES.items():
            frame = dataset.tables.get(name)
            if frame is None:
                frame = empty_frame(table)
            frame = frame.reset_index(drop=True)  # a new frame: adding _row leaves data intact
            # _row keeps the file order so ties (two sources on one date) resolve stably.
            frame["_row"] = range(len(frame))
            self._con.register(f"{name}_df", frame)
            # Table names come from the schema's fixed list, never from input. A view of the
            # same name in the default database keeps every query's SQL unqualified (and a
            # view, unlike USE, is seen by every cursor).
            self._con.execute(f"CREATE TABLE {store}.main.{name} AS SELECT * FROM {name}_df")
            self._con.execute(f"CREATE VIEW {name} AS SELECT * FROM {store}.main.{name}")
            self._con.unregister(f"{name}_df")
        # The in-memory store compresses at a checkpoint.
        self._con.execute(f"CHECKPOINT {store}")

    def _attach_store(self, path: Path, latest_uniform: bool | None) -> None:
        # Read-only: any number of processes (and sessions) share one file; DuckDB reads
        # pages on demand, so memory holds what queries touch, not the whole data set.
        self._con.execute("ATTACH ? AS store (READ_ONLY)", [str(path)])
        names = [*TABLES, LATEST_TABLE]
        for name in names:  # fixed names from the schema, never from input
            self._con.execute(f"CREATE VIEW {name} AS SELECT * FROM {self._STORE}.main.{name}")
        self._latest_uniform = bool(latest_uniform)

    def query(self, sql: str, params: Params | None = None) -> pd.DataFrame:
        key = (sql, tuple(params or []))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit.copy()
            cursor = self._con.cursor()
        try:
            out = cursor.execute(sql, params or []).df()
        finally:
            cursor.close()
        out = out.drop(columns=["_row"], errors="ignore")
        if len(out) <= self.CACHE_MAX_ROWS:
            with self._lock:
                self._cache[key] = out
                while len(self._cache) > self.CACHE_ENTRIES:
                    self._cache.popitem(last=False)
            return out.copy()
        return out

    # Convenience wrappers, so pages read as a table of contents.
    def cities(self, scope: Scope) -> pd.DataFrame:
        return self.query(*cities_sql(scope))

    def progress(self, scope: Scope, **kw: tuple[str, ...] | None) -> pd.DataFrame:
        return self.query(*progress_sql(scope, **kw))

    def latest(self, scope: Scope, **kw: tuple[str, ...] | None) -> pd.DataFrame:
        # A city filter overrides state and round (see _progress_where), so only a state or
        # round filter without a city depends on the uniformity the latest table needs.
        needs_uniform = bool(scope.state_ut or scope.round) and not scope.city_id
        if scope.as_of is None and (self._latest_table() or not needs_uniform):
            return self.query(*latest_fast_sql(scope, **kw))
        return self.query(*latest_sql(scope, **kw))

    def _latest_table(self) -> bool:
        """Build the latest table on first use; whether it may serve state and round filters.

        Lazily, so an engine that never shows the latest report (or a test) does not pay for
        it; under a lock, so concurrent first requests build it once.
        """
        with self._latest_lock:
            if self._latest_uniform is None:
                cursor = self._con.cursor()
                try:
                    cursor.execute(
                        f"CREATE TABLE {self._STORE}.main.{LATEST_TABLE} AS {latest_table_sql()}"
                    )
                    cursor.execute(
                        f"CREATE VIEW {LATEST_TABLE} AS "
                        f"SELECT * FROM {self._STORE}.main.{LATEST_TABLE}"
                    )
                    cursor.execute(f"CHECKPOINT {self._STORE}")
                    (bad,) = cursor.execute(latest_uniform_sql()).fetchall()[0]
                finally:
                    cursor.close()
                self._latest_uniform = bad == 0
            return self._latest_uniform

    def series(
        self, scope: Scope, metrics: tuple[str, ...], *, level: str, area_id: str | None = None
    ) -> pd.DataFrame:
        return self.query(*series_sql(scope, metrics, level=level, area_id=area_id))

    def iccc(self, scope: Scope) -> pd.DataFrame:
        return self.query(*iccc_sql(scope))

    def projects(self, scope: Scope) -> pd.DataFrame:
        return self.query(*projects_sql(scope))

    def has_projects(self, scope: Scope) -> bool:
        return "projects" in self.dataset.tables and not self.query(*has_projects_sql(scope)).empty

    def funnel_breakdown(
        self, scope: Scope, by: str, unit: str, as_of: pd.Timestamp | None
    ) -> pd.DataFrame:
        """:func:`funnel_breakdown_sql`'s sums; columns ``grp`` and one per funnel stage."""
        out = self.query(*funnel_breakdown_sql(scope, by, unit, as_of))
        return out.rename(columns={f"s{i}": name for i, name in enumerate(FUNNEL_SQL)})

    def report_dates(self, level: str | None = "national") -> list[pd.Timestamp]:
        """Dates with figures at a level (``None``: any level), oldest first."""
        if level is None:
            frame = self.query("SELECT DISTINCT as_of_date FROM progress ORDER BY 1")
        else:
            frame = self.query(
                "SELECT DISTINCT as_of_date FROM progress WHERE level = ? ORDER BY 1", [level]
            )
        return [pd.Timestamp(d) for d in frame["as_of_date"]]

    def distinct(self, table: str, column: str) -> frozenset[str]:
        """The distinct non-missing values of a column (once per engine)."""
        if table not in TABLES or column not in TABLES[table].columns:
            raise ValueError(f"no column {table}.{column}")
        return self.memo(
            f"distinct:{table}.{column}",
            lambda: frozenset(
                str(v)
                for v in self.query(
                    f"SELECT DISTINCT {column} AS v FROM {table} WHERE {column} IS NOT NULL"
                )["v"]
            ),
        )

    def row_count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"no table {table}")
        return self.memo(
            f"rows:{table}",
            lambda: int(self.query(f"SELECT count(*) AS n FROM {table}")["n"].iat[0]),
        )

    def source_counts(self) -> pd.DataFrame:
        """Rows per (table, source_url) over every table with sources (the About page)."""
        parts = [
            f'SELECT \'{name}\' AS "table", source_url, count(*) AS "rows" FROM {name} '
            "WHERE source_url IS NOT NULL GROUP BY source_url"
            for name, t in TABLES.items()
            if "source_url" in t.columns
        ]
        return self.memo("source_counts", lambda: self.query(" UNION ALL ".join(parts)))

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A value derived from this engine's data set, computed once (the data never change
        under an engine): e.g. the URL vocabulary, which every rerun needs."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
        return value

    def close(self) -> None:
        self._con.close()


def state_id(state_ut: str) -> str:
    """URL identifier of a state/UT name."""
    return slugify(state_ut)


# ---------------------------------------------------------------- views: one table under one scope
# A download is the current view in another format (design principle 9): :func:`view_sql` is
# the SQL of the rows of one table for a filter scope, and the Data page both shows and exports
# exactly those rows. The page's rerun only counts them, fetches the first
# :data:`DISPLAY_ROWS` and lists their sources (the same SQL wrapped as a subquery); the whole
# view is read only when a download is asked for (:mod:`smartcities.export` writes the files).

TABLE_ORDER: tuple[str, ...] = ("progress", "cities", "iccc", "projects", "events")


def events_sql(scope: Scope) -> tuple[str, Params]:
    """Mission events up to the scope's date (events are national: area filters don't apply)."""
    if scope.as_of:
        return (
            "SELECT * FROM events WHERE event_date <= ? ORDER BY event_date, _row",
            [pd.Timestamp(scope.as_of).to_pydatetime()],
        )
    return "SELECT * FROM events ORDER BY event_date, _row", []


# More rows than this are not drawn in the browser's table; downloads always hold the whole
# view, and the page says how many rows the preview leaves out. Every row sent is serialised,
# sent and laid out on each rerun: at 100 synthetic cities (21,000 progress rows) a 50,000-row
# preview made the page open in ~1.9 s against ~1.5 s for 5,000 rows (median of 5 opens).
DISPLAY_ROWS = 5_000


def view_sql(
    table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """The SQL of the rows of ``table`` for a filter scope: what the Data page shows and exports.

    ``metrics`` narrows the progress table to some metrics (ignored for other tables). Every
    other query of the page wraps this one, so the count, the rows shown, the sources and the
    downloads cannot disagree about which rows the view holds.
    """
    if table == "progress":
        return progress_sql(scope, metrics=metrics or None)
    if table == "cities":
        return cities_sql(scope)
    if table == "iccc":
        return iccc_sql(scope)
    if table == "projects":
        return projects_sql(scope)
    if table == "events":
        return events_sql(scope)
    raise KeyError(table)


# The view's final ORDER BY: column names only, optionally ASC/DESC and NULLS FIRST/LAST, up to
# the end of the text (so not inside a subquery, and never followed by LIMIT or OFFSET).
_SORT_KEY = r"[A-Za-z_][\w.]*(?:\s+(?:ASC|DESC))?(?:\s+NULLS\s+(?:FIRST|LAST))?"
_FINAL_ORDER_BY = re.compile(rf"\s+ORDER\s+BY\s+{_SORT_KEY}(?:\s*,\s*{_SORT_KEY})*\s*$", re.I)


def unordered(sql: str) -> str:
    """The view's SQL without its final ORDER BY, for a count or a group-by over it.

    DuckDB keeps a subquery's sort even under an aggregate, and at millions of rows the sort is
    most of the cost (about 0.5 s of a 0.55 s count at 5.7 M rows). The order cannot change
    which rows there are; SQL that does not end in a plain ORDER BY is returned unchanged
    (still right, only slower).
    """
    return _FINAL_ORDER_BY.sub("", sql)


def count_sql(
    table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """How many rows the view holds (column ``n``), without reading them."""
    inner, params = view_sql(table, scope, metrics=metrics)
    return f"SELECT count(*) AS n FROM ({unordered(inner)}) AS v", params


def head_sql(
    table: str, scope: Scope, limit: int, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """The first ``limit`` rows of the view, in the view's order.

    DuckDB keeps a subquery's ORDER BY under a plain LIMIT (it plans the two as one top-N
    sort), so these are the first rows of the full view; a unit test holds it to that.
    """
    inner, params = view_sql(table, scope, metrics=metrics)
    return f"SELECT * FROM ({inner}) AS v LIMIT ?", [*params, max(int(limit), 0)]


def sources_sql(
    table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> tuple[str, Params]:
    """The distinct ``source_url`` values of the view with their row counts (``n_rows``).

    Most-cited first, then by URL, so the order is stable; rows without a source are left out.
    """
    inner, params = view_sql(table, scope, metrics=metrics)
    sql = (
        f"SELECT source_url, count(*) AS n_rows FROM ({unordered(inner)}) AS v "
        "WHERE source_url IS NOT NULL GROUP BY source_url ORDER BY n_rows DESC, source_url"
    )
    return sql, params


def view_rows(
    engine: Engine, table: str, scope: Scope, *, metrics: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """All rows of ``table`` for a filter scope (the downloads; the page shows the first ones)."""
    return engine.query(*view_sql(table, scope, metrics=metrics))


@dataclass(frozen=True)
class View:
    """One table under one filter scope, as the Data page shows and exports it.

    Each method runs one query over :func:`view_sql`, so a rerun can count the rows, read the
    first ones and list the sources without reading the whole view. A page hands
    :meth:`rows` to the download buttons rather than the rows themselves: a button keeps its
    callable for the session, and a view of millions of rows should not be held that long.
    """

    engine: Engine
    table: str
    scope: Scope
    metrics: tuple[str, ...] | None = None

    def rows(self) -> pd.DataFrame:
        """All rows of the view (what the downloads hold)."""
        return view_rows(self.engine, self.table, self.scope, metrics=self.metrics)

    def count(self) -> int:
        """How many rows :meth:`rows` would return."""
        sql, params = count_sql(self.table, self.scope, metrics=self.metrics)
        return int(self.engine.query(sql, params)["n"].iloc[0])

    def head(self, limit: int) -> pd.DataFrame:
        """The first ``limit`` rows of :meth:`rows`, read without the rest."""
        return self.engine.query(*head_sql(self.table, self.scope, limit, metrics=self.metrics))

    def sources(self) -> pd.DataFrame:
        """The distinct sources of :meth:`rows`: ``source_url`` and ``n_rows``."""
        return self.engine.query(*sources_sql(self.table, self.scope, metrics=self.metrics))


def view_tables(
    engine: Engine,
    scope: Scope,
    names: Iterable[str],
    *,
    metrics: tuple[str, ...] | None = None,
) -> dict[str, pd.DataFrame]:
    """Several tables for the same scope (the content of the data package zip)."""
    return {name: view_rows(engine, name, scope, metrics=metrics) for name in names}
