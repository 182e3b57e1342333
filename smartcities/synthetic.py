"""SYNTHETIC data for demos and scale tests: generated, never real, never mixed with real figures.

Why this exists: the public record (``data/``) holds national totals and a handful of city
figures, not the city-by-month panel or the project list that a city's MIS would export. To show
what the dashboard does with such data, and to test it at 500 or 4,500 towns (about a million
project rows), this module generates a data set with the shape of the data contract
(:mod:`smartcities.schema`) and the *national trajectory* of the real mission.

How it stays apart from the real record:

* every row's ``source_url`` is ``synthetic:smartcities.synthetic seed=<seed>`` and every
  ``note`` says ``SYNTHETIC``; :func:`synthetic_dataset` returns a ``Dataset`` of kind
  ``synthetic`` whose label says "SYNTHETIC ... not real figures";
* the events table is empty: real milestones are not mixed into a generated set;
* for ``n_cities <= 100`` the cities are the first *n* real Smart Cities of ``data/cities.csv``
  (names, states, rounds and coordinates are public facts), but every figure attached to them is
  invented. Beyond 100, "Synthetic Town 0101", ... are added in real states/UTs.

Calibration. The national path of each metric is the real national series of
``data/progress.csv`` (level ``national``), read at run time: at every date on which the real
record reports a metric, the synthetic city values of that metric add up to the real national
value, scaled by ``n_cities / 100`` when ``n_cities != 100`` (counts are then rounded to whole
numbers before being shared out). Where a date has two conflicting real figures, the larger is
used. Between reported dates the national path is interpolated linearly; before the first report
cumulative metrics ramp up from zero (tenders from 2016-01, work orders from 2016-06,
completions from 2016-12: see ``RAMP_START``) and after the last report they stay flat. Totals
(projects taken up) start at their first report.
Where the record leaves gaps, interpolated points are nudged so that completed <= work orders
issued <= tendered and utilised <= released nationally (reported points are never changed).
ICCCs: each city's "operational" date is drawn so that the number of cities operational on
each real report date equals the real ``iccc_operational_count`` (scaled); the progress table
carries this as the city flag ``iccc_operational_flag`` and, summed, as ``iccc_operational_count``
at state and national level.

Sharing out. Counts are shared through one sequence of project "units" per data set (each city
owns units in proportion to a random size; a random per-city pace decides the order in which
units advance), so a city's counts never fall where the national count does not, and completed
<= work orders <= tendered holds in every city on every date. Values (₹ crore) are shared out
incrementally: each period's national increase goes to the cities whose units advanced in it, a
city's completed value is capped by its work-order value, which is capped by its tendered value,
and utilised funds are capped by released funds. Where the real national series falls (projects
dropped or re-scoped, e.g. work orders by value in 2023-24), the city values fall in proportion.

Projects. With the default ``projects_per_city`` the project rows *are* the count units, so the
number of projects tendered / with work orders / completed on or before a date equals the
progress counts (where the national series does not fall: a project once tendered stays
tendered). With an explicit ``projects_per_city`` the same national shape is followed at a
different scale. Project costs add up to the (scaled) final ``projects_taken_up_inr_crore``;
they are not reconciled with the per-date value metrics.

Everything is vectorised with numpy; the loops run over dates (a few hundred at most), never
over rows. ``generate(4500, monthly=True, projects_per_city=222)`` makes about 6 million progress
rows and a million project rows in seconds; the tables then take about 1.4 GB, mostly the
progress table's text columns (pandas ``string`` dtype, Arrow-backed).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartcities.config import BUNDLED_DATA
from smartcities.dataset import SYNTHETIC, Dataset, states
from smartcities.names import slugify
from smartcities.schema import METRICS, TABLES, Table, empty_frame, pandas_dtype

SOURCE_URL_PREFIX = "synthetic:smartcities.synthetic seed="
NOTE = "SYNTHETIC"
REAL_CITIES = 100  # the national record is for the mission's 100 cities

# The first day of the generated period; the ICCC roll-out starts in 2018.
ZERO_DATE = np.datetime64("2016-01-01", "D")
ICCC_START = np.datetime64("2018-01-01", "D")
MONTHLY_FIRST = "2016-01"
MONTHLY_LAST = "2025-12"

# Chains, from the lowest stage to the highest: lower <= higher in every city on every date.
COUNT_CHAIN = ("projects_completed_count", "work_orders_issued_count", "projects_tendered_count")
VALUE_CHAIN = (
    "projects_completed_inr_crore",
    "work_orders_issued_inr_crore",
    "projects_tendered_inr_crore",
)
FUNDS_CHAIN = ("funds_utilised_inr_crore", "central_funds_released_inr_crore")
# Before its first report a cumulative metric ramps up linearly from zero on this date; later
# stages start later, so early projects take months, not days, from tender to completion.
RAMP_START: dict[str, np.datetime64] = {
    "projects_tendered_count": ZERO_DATE,
    "projects_tendered_inr_crore": ZERO_DATE,
    "work_orders_issued_count": np.datetime64("2016-06-01", "D"),
    "work_orders_issued_inr_crore": np.datetime64("2016-06-01", "D"),
    "projects_completed_count": np.datetime64("2016-12-01", "D"),
    "projects_completed_inr_crore": np.datetime64("2016-12-01", "D"),
    "central_funds_released_inr_crore": ZERO_DATE,
    "funds_utilised_inr_crore": np.datetime64("2016-06-01", "D"),
}
TAKEN_UP_COUNT = "projects_taken_up_count"
TAKEN_UP_VALUE = "projects_taken_up_inr_crore"
ICCC_COUNT = "iccc_operational_count"
ICCC_FLAG = "iccc_operational_flag"

CITY_METRICS: tuple[str, ...] = (
    *reversed(COUNT_CHAIN),
    *reversed(VALUE_CHAIN),
    *reversed(FUNDS_CHAIN),
    TAKEN_UP_COUNT,
    TAKEN_UP_VALUE,
    ICCC_FLAG,
)
_PATH_METRICS = (*COUNT_CHAIN, *VALUE_CHAIN, *FUNDS_CHAIN, TAKEN_UP_COUNT, TAKEN_UP_VALUE)
_COUNT_METRICS = (*COUNT_CHAIN, TAKEN_UP_COUNT)
_TOTAL_METRICS = (TAKEN_UP_COUNT, TAKEN_UP_VALUE)  # not cumulative: start at the first report

SECTORS: tuple[str, ...] = (
    "Urban mobility",
    "Water supply",
    "Sewerage and sanitation",
    "Solid waste management",
    "Smart governance",
    "ICCC",
    "Public spaces",
    "Housing",
    "Energy",
    "Heritage and tourism",
    "Health",
    "Education",
)
_SECTOR_P = np.array([18, 12, 9, 7, 9, 2, 14, 6, 7, 6, 5, 5], dtype=float)
_SECTOR_P /= _SECTOR_P.sum()

# A plausible point for a state/UT without a real Smart City in data/cities.csv.
_FALLBACK_POINTS = {"Ladakh": (34.1526, 77.5771)}  # Leh
_LAT = (6.0, 37.5)
_LON = (68.0, 97.5)
_STRING = pd.StringDtype()


# ------------------------------------------------------------------------------- public API


def source_url(seed: int) -> str:
    """The ``source_url`` every synthetic row carries."""
    return f"{SOURCE_URL_PREFIX}{seed}"


def dataset_label(n_cities: int) -> str:
    """What the UI shows for a synthetic data set, so nobody mistakes it for the real record."""
    return f"SYNTHETIC sample: {n_cities:,} cities (generated, not real figures)"


def generate(
    n_cities: int = 100,
    *,
    seed: int = 0,
    monthly: bool = False,
    projects_per_city: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Generate the SYNTHETIC tables ``cities``, ``progress``, ``iccc``, ``projects``, ``events``.

    ``monthly=False`` gives city rows at the dates on which the real record reports each metric;
    ``monthly=True`` adds every month-end from 2016-01 to 2025-12. ``projects_per_city=None``
    makes one project per count unit (about 80 per city); otherwise ``n_cities *
    projects_per_city`` projects are shared out by city size. Deterministic for a given seed.
    """
    if n_cities < 1:
        raise ValueError("n_cities must be at least 1")
    if projects_per_city is not None and projects_per_city < 0:
        raise ValueError("projects_per_city must not be negative")
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    rng_cities, rng_units, rng_values, rng_iccc, rng_projects, rng_iccc_cost = rngs
    url = source_url(seed)

    cities = _cities(n_cities, rng_cities, url)
    n = len(cities)
    targets = _targets(n)

    # Per-city traits: size (share of projects), pace (how early its units advance), cost level.
    size = rng_units.lognormal(0.0, 0.6, n)
    pace = rng_units.lognormal(0.0, 0.35, n)
    cost_level = rng_units.lognormal(0.0, 0.3, n)

    base_days, base_paths, _ = _base_paths(targets)
    out_days = _output_days(targets, monthly)
    grid = np.unique(np.concatenate([base_days, *out_days.values()]))
    paths = {m: _on_grid(grid, base_days, base_paths[m], m in _COUNT_METRICS) for m in base_paths}

    n_units = int(np.nanmax([np.nanmax(base_paths[m]) for m in _COUNT_METRICS]))
    unit_city, unit_cost = _units(n_units, size, pace, cost_level, rng_units)
    city_values = _share_out(paths, unit_city, unit_cost, n, rng_values)

    iccc_days = _iccc_days(targets[ICCC_COUNT], n, pace, rng_iccc)
    flag_days = out_days[ICCC_FLAG]
    city_values[ICCC_FLAG] = (iccc_days[None, :] <= flag_days[:, None]).astype(float)

    progress = _progress(cities, grid, city_values, out_days, url)
    iccc = _iccc(cities, iccc_days, rng_iccc_cost, url)

    runmax = {m: np.maximum.accumulate(base_paths[m]) for m in COUNT_CHAIN}
    total_cost = float(base_paths[TAKEN_UP_VALUE][-1])
    if projects_per_city is None:
        project_city, project_cost, levels = unit_city, unit_cost, None
    else:
        n_projects = n * projects_per_city
        project_city, project_cost = _units(n_projects, size, pace, cost_level, rng_projects)
        levels = np.arange(1, n_projects + 1) * (n_units / max(n_projects, 1))
    projects = _projects(
        cities,
        project_city,
        project_cost,
        levels,
        base_days,
        runmax,
        total_cost,
        rng_projects,
        url,
    )
    return {
        "cities": cities,
        "progress": progress,
        "iccc": iccc,
        "projects": projects,
        "events": empty_frame(TABLES["events"]),
    }


def synthetic_dataset(n_cities: int = 100, *, seed: int = 0, monthly: bool = False) -> Dataset:
    """A SYNTHETIC :class:`~smartcities.dataset.Dataset` (kind ``synthetic``), clearly labelled."""
    tables = generate(n_cities, seed=seed, monthly=monthly)
    scale = "" if n_cities == REAL_CITIES else f", scaled by {n_cities}/{REAL_CITIES}"
    notes = (
        f"Generated by smartcities.synthetic (seed {seed}); no figure in it is real.",
        "City figures add up to the real national totals on the dates the public record "
        f"reports them{scale}; everything below the national level is invented.",
    )
    return Dataset(tables=tables, kind=SYNTHETIC, label=dataset_label(n_cities), notes=notes)


# ------------------------------------------------------------------------- national targets


@cache
def _real_national() -> pd.DataFrame:
    """Real national figures by (metric, date) from the bundled record; duplicates -> max."""
    frame = pd.read_csv(
        BUNDLED_DATA / "progress.csv", usecols=["as_of_date", "level", "metric", "value"]
    )
    frame = frame[frame["level"] == "national"]
    frame = frame.assign(day=pd.to_datetime(frame["as_of_date"]).to_numpy().astype("M8[D]"))
    return frame.groupby(["metric", "day"], as_index=False)["value"].max()


def _targets(n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per metric: (reported days, national value scaled to n cities; counts rounded)."""
    real = _real_national()
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for metric in (*_PATH_METRICS, ICCC_COUNT):
        rows = real[real["metric"] == metric].sort_values("day")
        if rows.empty:
            raise ValueError(f"the bundled record has no national {metric}")
        values = rows["value"].to_numpy(float) * (n / REAL_CITIES)
        if METRICS[metric].unit == "count":
            values = np.round(values)
        if metric == ICCC_COUNT:
            values = np.minimum(values, n)
        out[metric] = (rows["day"].to_numpy().astype("M8[D]"), values)
    return out


def _days(values: np.ndarray) -> np.ndarray:
    return values.astype("M8[D]").astype(np.int64)


def _base_paths(
    targets: dict[str, tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """National paths on the knots (start date + every reported date), stage order enforced."""
    starts = _days(np.array([ZERO_DATE, *RAMP_START.values()]))
    knots = np.unique(np.concatenate([starts, *(_days(targets[m][0]) for m in _PATH_METRICS)]))
    paths: dict[str, np.ndarray] = {}
    reported: dict[str, np.ndarray] = {}
    for metric in _PATH_METRICS:
        days, values = _days(targets[metric][0]), targets[metric][1]
        if metric in _TOTAL_METRICS:
            path = np.interp(knots, days, values, left=np.nan)
        else:
            start = _days(np.array([RAMP_START[metric]]))
            path = np.interp(knots, np.r_[start, days], np.r_[0.0, values])
        if metric in _COUNT_METRICS:
            path = np.floor(path + 1e-9)
        is_reported = np.isin(knots, days)
        path[is_reported] = values[np.searchsorted(days, knots[is_reported])]
        paths[metric], reported[metric] = path, is_reported
    for chain in (COUNT_CHAIN, VALUE_CHAIN, FUNDS_CHAIN):
        for _ in range(len(chain)):
            for lower, upper in zip(chain[:-1], chain[1:], strict=True):
                lo, hi = paths[lower], paths[upper]
                paths[upper] = np.where(reported[upper], hi, np.maximum(hi, lo))
                paths[lower] = np.where(reported[lower], lo, np.minimum(lo, paths[upper]))
    return knots, paths, reported


def _month_ends() -> np.ndarray:
    ends = pd.date_range(MONTHLY_FIRST, pd.Period(MONTHLY_LAST).end_time.normalize(), freq="ME")
    return _days(ends.to_numpy())


def _output_days(
    targets: dict[str, tuple[np.ndarray, np.ndarray]], monthly: bool
) -> dict[str, np.ndarray]:
    """Days on which each city metric is written: its reported days (+ month-ends if monthly)."""
    months = _month_ends() if monthly else np.array([], dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    for metric in CITY_METRICS:
        reported = _days(targets[ICCC_COUNT if metric == ICCC_FLAG else metric][0])
        days = np.union1d(reported, months)
        if metric in _TOTAL_METRICS:
            days = days[days >= reported.min()]
        out[metric] = days
    return out


def _on_grid(grid: np.ndarray, knots: np.ndarray, path: np.ndarray, count: bool) -> np.ndarray:
    values = np.interp(grid, knots, path)
    return np.floor(values + 1e-9) if count else values


# ---------------------------------------------------------------------------------- cities


def _cities(n: int, rng: np.random.Generator, url: str) -> pd.DataFrame:
    real = pd.read_csv(BUNDLED_DATA / "cities.csv", dtype=str, keep_default_na=False)
    real = real.replace("", None)
    base = real.head(min(n, REAL_CITIES))
    columns: dict[str, object] = {
        "city_id": base["city_id"].tolist(),
        "city_name": base["city_name"].tolist(),
        "state_ut": base["state_ut"].tolist(),
        "selection_round": base["selection_round"].tolist(),
        "selection_date": pd.to_datetime(base["selection_date"]).to_numpy("M8[D]"),
        "latitude": base["latitude"].astype(float).to_numpy(),
        "longitude": base["longitude"].astype(float).to_numpy(),
        "selection_name": base["selection_name"].tolist(),
    }
    extra = n - len(base)
    if extra > 0:
        towns = _extra_towns(extra, real, rng)
        for key, values in towns.items():
            old = columns[key]
            if isinstance(old, np.ndarray):
                columns[key] = np.concatenate([old, values])
            else:
                columns[key] = list(old) + list(values)
    total = len(columns["city_id"])
    columns["source_url"] = [url] * total
    columns["note"] = [NOTE] * total
    return _frame(TABLES["cities"], columns)


def _extra_towns(extra: int, real: pd.DataFrame, rng: np.random.Generator) -> dict[str, object]:
    reference = states()
    names = reference["state_ut"].to_numpy()
    is_ut = (reference["state_type"] == "UT").to_numpy()
    counts = real["state_ut"].value_counts().reindex(names, fill_value=0).to_numpy(float)
    state_idx = rng.choice(len(names), size=extra, p=(counts + 0.5) / (counts + 0.5).sum())

    lat = real["latitude"].astype(float).to_numpy()
    lon = real["longitude"].astype(float).to_numpy()
    anchor_lat = np.empty(extra)
    anchor_lon = np.empty(extra)
    pick = rng.random(extra)
    for s, state in enumerate(names):
        rows = state_idx == s
        if not rows.any():
            continue
        in_state = np.flatnonzero(real["state_ut"].to_numpy() == state)
        if in_state.size:
            chosen = in_state[(pick[rows] * in_state.size).astype(int)]
            anchor_lat[rows], anchor_lon[rows] = lat[chosen], lon[chosen]
        else:
            anchor_lat[rows], anchor_lon[rows] = _FALLBACK_POINTS[state]
    spread = np.where(is_ut[state_idx], 0.05, 0.6)
    town_lat = np.clip(anchor_lat + rng.normal(0, 1, extra) * spread, *_LAT).round(4)
    town_lon = np.clip(anchor_lon + rng.normal(0, 1, extra) * spread, *_LON).round(4)

    numbers = np.arange(REAL_CITIES + 1, REAL_CITIES + extra + 1)
    width = max(4, len(str(numbers[-1])))
    town_names = [f"Synthetic Town {k:0{width}d}" for k in numbers]
    return {
        "city_id": [slugify(name) for name in town_names],
        "city_name": town_names,
        "state_ut": names[state_idx].tolist(),
        "selection_round": [None] * extra,
        "selection_date": np.full(extra, np.datetime64("NaT"), dtype="M8[D]"),
        "latitude": town_lat,
        "longitude": town_lon,
        "selection_name": [None] * extra,
    }


# ------------------------------------------------------------------------- sharing out


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to weights that add up to total (largest remainders)."""
    quota = total * weights / weights.sum()
    whole = np.floor(quota).astype(np.int64)
    short = total - int(whole.sum())
    if short > 0:
        whole[np.argsort(-(quota - whole), kind="stable")[:short]] += 1
    return whole


def _units(
    count: int,
    size: np.ndarray,
    pace: np.ndarray,
    cost_level: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """City and relative cost of each unit, in the order in which units advance."""
    city = np.repeat(np.arange(size.size), _apportion(count, size))
    key = rng.random(count) ** pace[city]  # pace > 1: the city's units come earlier
    order = np.argsort(key, kind="stable")
    cost = rng.lognormal(0.0, 0.9, count) * cost_level[city]
    return city[order], cost[order]


def _prefix_by_city(
    unit_city: np.ndarray, unit_cost: np.ndarray, levels: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Units (and their cost) of each city among the first ``level`` units, for each level."""
    counts = np.zeros((levels.size, n))
    costs = np.zeros((levels.size, n))
    running_count = np.zeros(n)
    running_cost = np.zeros(n)
    previous = 0
    for i, level in enumerate(levels):
        block = slice(previous, int(level))
        running_count += np.bincount(unit_city[block], minlength=n)
        running_cost += np.bincount(unit_city[block], weights=unit_cost[block], minlength=n)
        counts[i], costs[i] = running_count, running_cost
        previous = int(level)
    return counts, costs


def _step(
    previous: np.ndarray,
    total: float,
    weights: np.ndarray,
    cap: np.ndarray | None,
    floor: np.ndarray | None,
) -> np.ndarray:
    """City values on one date, given the previous date's and the national total.

    A rise goes to cities in proportion to ``weights`` without passing ``cap`` (the next stage
    up, same date): what does not fit is poured into the cities with room left. A fall is taken
    from the part above ``floor`` (the next stage down, previous date), so the lower stage need
    not fall with it. The result adds up to ``total``.
    """
    base = previous if cap is None else np.minimum(previous, cap)
    rise = total - base.sum()
    if rise < 0:
        if floor is not None:
            kept = np.minimum(floor, base)
            excess = base - kept
            if total >= kept.sum() and excess.sum() > 0:
                return kept + excess * ((total - kept.sum()) / excess.sum())
        return base * (total / base.sum()) if base.sum() > 0 else base
    w = weights
    if w.sum() <= 0:
        w = base if base.sum() > 0 else np.ones_like(base)
    add = rise * w / w.sum()
    if cap is not None:
        room = cap - base
        add = np.minimum(add, room)
        spare = room - add
        left = rise - add.sum()
        if left > 0 and spare.sum() > 0:
            add += spare * min(left / spare.sum(), 1.0)
        left = rise - add.sum()
        if left > 1e-9 * max(total, 1.0):  # the national figures conflict: the cap cannot hold
            add += left * w / w.sum()
    return base + add


def _allocate_chain(totals: list[np.ndarray], weights: list[np.ndarray]) -> list[np.ndarray]:
    """Share out a chain of stages (highest first) date by date; see :func:`_step`."""
    out = [np.zeros_like(w) for w in weights]
    previous = [np.zeros(w.shape[1]) for w in weights]
    for k in range(weights[0].shape[0]):
        for j in range(len(totals)):
            cap = out[j - 1][k] if j > 0 else None
            floor = previous[j + 1] if j + 1 < len(totals) else None
            out[j][k] = _step(previous[j], totals[j][k], weights[j][k], cap, floor)
        previous = [o[k] for o in out]
    return out


def _share_out(
    paths: dict[str, np.ndarray],
    unit_city: np.ndarray,
    unit_cost: np.ndarray,
    n: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """City values (dates of the grid x cities) of every path metric."""
    levels = np.unique(np.concatenate([np.nan_to_num(paths[m]) for m in _COUNT_METRICS]))
    counts, costs = _prefix_by_city(unit_city, unit_cost, levels, n)
    out: dict[str, np.ndarray] = {}
    cost_path: dict[str, np.ndarray] = {}
    for metric in _COUNT_METRICS:
        at = np.searchsorted(levels, np.nan_to_num(paths[metric]))
        out[metric] = counts[at]
        cost_path[metric] = costs[at]
        if metric in _TOTAL_METRICS:
            out[metric][np.isnan(paths[metric])] = np.nan

    value_weights = []
    for count_metric in reversed(COUNT_CHAIN):
        held = cost_path[count_metric]
        gained = np.clip(np.diff(held, axis=0, prepend=0.0), 0.0, None)
        flat = gained.sum(axis=1) <= 0
        gained[flat] = held[flat]
        value_weights.append(gained)
    chain = _allocate_chain([paths[m] for m in reversed(VALUE_CHAIN)], value_weights)
    out.update(zip(reversed(VALUE_CHAIN), chain, strict=True))

    fund_level = rng.lognormal(0.0, 0.25, n)
    shape = (paths[FUNDS_CHAIN[1]].size, n)
    fund_weights = [fund_level * rng.lognormal(0.0, 0.5, shape) for _ in FUNDS_CHAIN]
    chain = _allocate_chain([paths[m] for m in reversed(FUNDS_CHAIN)], fund_weights)
    out.update(zip(reversed(FUNDS_CHAIN), chain, strict=True))

    # A total, not cumulative: shared out from its first report on, by the cost of the units.
    total = paths[TAKEN_UP_VALUE]
    known = ~np.isnan(total)
    held = cost_path[TAKEN_UP_COUNT][known]
    gained = np.clip(np.diff(held, axis=0, prepend=0.0), 0.0, None)
    flat = gained.sum(axis=1) <= 0
    gained[flat] = held[flat]
    out[TAKEN_UP_VALUE] = np.full_like(cost_path[TAKEN_UP_COUNT], np.nan)
    out[TAKEN_UP_VALUE][known] = _allocate_chain([total[known]], [gained])[0]
    return out


# ------------------------------------------------------------------------------------ iccc


def _first_reach(levels: np.ndarray, knots: np.ndarray, path: np.ndarray) -> np.ndarray:
    """First day (rounded up) on which a non-decreasing piecewise-linear path reaches each level.

    NaN where the path never reaches the level.
    """
    j = np.searchsorted(path, levels, side="left")
    reached = j < path.size
    j = np.clip(j, 1, path.size - 1)
    v0, v1 = path[j - 1], path[j]
    d0, d1 = knots[j - 1].astype(float), knots[j].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(v1 > v0, (levels - v0) / (v1 - v0), 1.0)
    day = np.ceil(d0 + np.clip(frac, 0.0, 1.0) * (d1 - d0) - 1e-9)
    day = np.where(levels <= path[0], float(knots[0]), day)
    return np.where(reached, day, np.nan)


def _iccc_days(
    target: tuple[np.ndarray, np.ndarray], n: int, pace: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Day each city's ICCC became operational, matching the real (scaled) national counts."""
    start = _days(np.array([ICCC_START]))
    knots = np.r_[start, _days(target[0])]
    path = np.maximum.accumulate(np.r_[0.0, target[1]])
    order = np.argsort(rng.random(n) ** pace, kind="stable")
    days = np.empty(n)
    days[order] = _first_reach(np.arange(1, n + 1, dtype=float), knots, path)
    return days


def _iccc(
    cities: pd.DataFrame, operational: np.ndarray, rng: np.random.Generator, url: str
) -> pd.DataFrame:
    n = len(cities)
    work_order = operational - rng.uniform(180, 540, n).round()
    tendered = work_order - rng.uniform(90, 360, n).round()
    floor = float(_days(np.array([np.datetime64("2016-06-01")]))[0])
    work_order = np.clip(work_order, floor, operational)
    tendered = np.clip(tendered, floor, work_order)
    cost = rng.lognormal(np.log(140.0), 0.45, n).round(1)
    stages = ("tendered", "work_order_issued", "operational")
    day = np.stack([tendered, work_order, operational], axis=1).ravel()
    city = np.repeat(np.arange(n), 3)
    columns = {
        "city_id": _take(cities["city_id"], city),
        "stage": _take(pd.Series(stages), np.tile(np.arange(3), n)),
        "stage_date": day.astype(np.int64).astype("M8[D]"),
        "date_basis": _take(pd.Series(["reported"]), np.zeros(3 * n, dtype=np.int64)),
        "cost_inr_crore": np.repeat(cost, 3),
        "source_url": _take(pd.Series([url]), np.zeros(3 * n, dtype=np.int64)),
        "note": _take(pd.Series([NOTE]), np.zeros(3 * n, dtype=np.int64)),
    }
    return _frame(TABLES["iccc"], columns)


# -------------------------------------------------------------------------------- progress


def _progress(
    cities: pd.DataFrame,
    grid: np.ndarray,
    city_values: dict[str, np.ndarray],
    out_days: dict[str, np.ndarray],
    url: str,
) -> pd.DataFrame:
    """Long progress rows: national and state sums, then the cities."""
    states = pd.Categorical(cities["state_ut"].to_numpy(str))
    n_states = len(states.categories)
    state_of_city = np.asarray(states.codes)
    # Areas: 0 = India, 1..S = states, S+1.. = cities.
    area_id = ["india", *[slugify(s) for s in states.categories], *cities["city_id"].tolist()]
    area_name = ["India", *states.categories, *cities["city_name"].tolist()]
    area_state = [None, *states.categories, *cities["state_ut"].tolist()]
    level_names = ("national", "state", "city")
    metric_names = [*CITY_METRICS, ICCC_COUNT]

    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for metric in CITY_METRICS:
        days = out_days[metric]
        values = city_values[metric]
        if metric != ICCC_FLAG:
            values = values[np.searchsorted(grid, days)]
        summed_metric = metric_names.index(ICCC_COUNT if metric == ICCC_FLAG else metric)
        by_state = np.zeros((days.size, n_states))
        for s in range(n_states):
            by_state[:, s] = values[:, state_of_city == s].sum(axis=1)
        national = values.sum(axis=1, keepdims=True)
        for level, matrix, first_area, metric_code in (
            (0, national, 0, summed_metric),
            (1, by_state, 1, summed_metric),
            (2, values, 1 + n_states, metric_names.index(metric)),
        ):
            rows, areas = matrix.shape
            blocks.append(
                (
                    np.repeat(days, areas),
                    np.full(rows * areas, level),
                    np.tile(np.arange(first_area, first_area + areas), rows),
                    np.full(rows * areas, metric_code),
                    matrix.ravel(),
                )
            )
    # National, then state, then city rows; within a level by metric, date and area.
    blocks.sort(key=lambda b: int(b[1][0]) if b[1].size else 0)
    day, level, area, metric, value = (np.concatenate(parts) for parts in zip(*blocks, strict=True))
    units = pd.Series([METRICS[m].unit for m in metric_names])
    zeros = np.zeros(value.size, dtype=np.int64)
    columns = {
        "as_of_date": day.astype("M8[D]"),
        "level": _take(pd.Series(level_names), level),
        "area_id": _take(pd.Series(area_id), area),
        "area_name": _take(pd.Series(area_name), area),
        "state_ut": _take(pd.Series(area_state, dtype=object), area),
        "metric": _take(pd.Series(metric_names), metric),
        "value": value,
        "unit": _take(units, metric),
        "source_url": _take(pd.Series([url]), zeros),
        "note": _take(pd.Series([NOTE]), zeros),
        "date_basis": _take(pd.Series(["as_on"]), zeros),
    }
    return _frame(TABLES["progress"], columns)


# -------------------------------------------------------------------------------- projects


def _projects(
    cities: pd.DataFrame,
    project_city: np.ndarray,
    project_cost: np.ndarray,
    levels: np.ndarray | None,
    knots: np.ndarray,
    runmax: dict[str, np.ndarray],
    total_cost: float,
    rng: np.random.Generator,
    url: str,
) -> pd.DataFrame:
    count = project_city.size
    if count == 0:
        return empty_frame(TABLES["projects"])
    if levels is None:
        levels = np.arange(1, count + 1, dtype=float)
    completed_c, work_order_c, tendered_c = COUNT_CHAIN
    tendered = _first_reach(levels, knots, runmax[tendered_c])
    # The national paths are in stage order, so these maxima only guard against rounding.
    work_order = np.maximum(_first_reach(levels, knots, runmax[work_order_c]), tendered)
    completed = np.maximum(_first_reach(levels, knots, runmax[completed_c]), work_order)
    stage = np.select(
        [~np.isnan(completed), ~np.isnan(work_order), ~np.isnan(tendered)], [2, 1, 0], default=3
    )
    cost = np.maximum((project_cost * (total_cost / project_cost.sum())).round(2), 0.01)
    sector = rng.choice(len(SECTORS), size=count, p=_SECTOR_P)
    iccc_sector = SECTORS.index("ICCC")
    component = np.where((sector == iccc_sector) | (rng.random(count) < 0.2), 1, 0)

    # Rows by city, then by date tendered; identifiers follow that order.
    order = np.lexsort((np.nan_to_num(tendered, nan=np.inf), project_city))
    number = pa.array(np.arange(1, count + 1)).cast(pa.string())
    number = pc.utf8_lpad(number, width=max(6, len(str(count))), padding="0")
    zeros = np.zeros(count, dtype=np.int64)
    columns = {
        "project_id": _arrow_strings(pc.binary_join_element_wise("SYN-", number, "")),
        "city_id": _take(cities["city_id"], project_city[order]),
        "project_name": _arrow_strings(
            pc.binary_join_element_wise("Synthetic project ", number, "")
        ),
        "sector": _take(pd.Series(SECTORS), sector[order]),
        "component": _take(pd.Series(["area_based", "pan_city"]), component[order]),
        "iccc_flag": (sector[order] == iccc_sector).astype(np.int64),
        "cost_inr_crore": cost[order],
        "stage": _take(
            pd.Series(["tendered", "work_order_issued", "completed", "dropped"]), stage[order]
        ),
        "tendered_date": _dates(tendered[order]),
        "work_order_date": _dates(work_order[order]),
        "completed_date": _dates(completed[order]),
        "source_url": _take(pd.Series([url]), zeros),
    }
    return _frame(TABLES["projects"], columns)


# ---------------------------------------------------------------------------------- helpers


def _dates(days: np.ndarray) -> np.ndarray:
    out = np.full(days.size, np.datetime64("NaT"), dtype="M8[D]")
    ok = ~np.isnan(days)
    out[ok] = days[ok].astype(np.int64).astype("M8[D]")
    return out


def _arrow_strings(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if _STRING.storage == "pyarrow":
        return pd.Series(pd.arrays.ArrowStringArray(values.cast(pa.large_string())))
    return pd.Series(values.to_pylist(), dtype=_STRING)


def _take(vocabulary: pd.Series, codes: np.ndarray) -> pd.Series:
    """Strings ``vocabulary[codes]`` as a pandas ``string`` column, without Python loops."""
    vocab = pa.array(
        vocabulary.astype(object).where(vocabulary.notna(), None).tolist(), type=pa.string()
    )
    return _arrow_strings(vocab.take(pa.array(np.asarray(codes, dtype=np.int64))))


def _frame(table: Table, columns: dict[str, object]) -> pd.DataFrame:
    """A frame with the table's columns, in order, each of the contract's dtype."""
    data: dict[str, pd.Series] = {}
    rows = len(next(iter(columns.values())))
    for f in table.fields:
        dtype = pandas_dtype(f)
        if f.name not in columns and not f.required:
            # Optional detail the generator does not model (e.g. a project's funding sources).
            data[f.name] = pd.Series([None] * rows, dtype=dtype)
            continue
        values = columns[f.name]
        if isinstance(values, pd.Series):
            series = values.reset_index(drop=True)
        elif dtype == "datetime64[ns]":
            series = pd.Series(np.asarray(values).astype("M8[ns]"))
        else:
            series = pd.Series(values)
        # str(): pandas 3's "str" dtype compares equal to "string" but is not the same dtype.
        data[f.name] = series if str(series.dtype) == dtype else series.astype(dtype)
    return pd.DataFrame(data)
