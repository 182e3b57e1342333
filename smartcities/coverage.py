"""Data coverage: where evidence exists, how fresh and how sure it is (the /coverage page model).

For the cities of a selection and the key measures (projects taken up, completed in number and
₹, ongoing, central funds released and utilised, ICCC stage, city rank) the model holds the
date of each city's latest figure on or before the view's date, its date basis and its age,
plus summary lines ("40 of 100 cities have a completion figure; the median one is 10 months
old") and the same by state. :func:`build` is pure over an engine; the page only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartcities import checks, fmt
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.iccc import STAGE_LABELS, iccc_status
from smartcities.query import Engine, Scope
from smartcities.schema import METRICS
from smartcities.views import place_columns

ICCC = "iccc_stage"
# (measure, column label, the noun of the summary line)
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("projects_taken_up_count", N_("Projects taken up"), N_("a figure for projects taken up")),
    ("projects_completed_count", N_("Projects completed"), N_("a count of projects completed")),
    (
        "projects_completed_inr_crore",
        N_("Completed (₹ crore)"),
        N_("a value of projects completed"),
    ),
    (
        "all_projects_completed_flag",
        N_("All completed"),
        N_("a statement that all projects are completed"),
    ),
    ("projects_ongoing_count", N_("Projects ongoing"), N_("a figure for projects ongoing")),
    (
        "central_funds_released_inr_crore",
        N_("Central funds released"),
        N_("a central release figure"),
    ),
    ("funds_utilised_inr_crore", N_("Central funds utilised"), N_("a utilisation figure")),
    (ICCC, N_("ICCC stage"), N_("an ICCC stage")),
    ("city_rank", N_("City rank"), N_("a rank")),
)
STATE_MEASURES = tuple(
    m for m in MEASURES if m[0] not in (ICCC, "city_rank", "all_projects_completed_flag")
)
# "A completion figure" is any of these: a count, a value, or a statement that all are done.
COMPLETION = (
    "projects_completed_count",
    "projects_completed_inr_crore",
    "all_projects_completed_flag",
)
METRIC_NAMES = tuple(m for m, _, _ in MEASURES if m in METRICS)
# Age bands for colouring (months, upper bound), with a light background each that keeps the
# dark cell text above 4.5:1 contrast; the date itself is always written in the cell.
AGE_BANDS: tuple[tuple[float, str, str], ...] = (
    (6, N_("under 6 months"), "#d4edda"),
    (12, N_("6 to 12 months"), "#fff3cd"),
    (24, N_("1 to 2 years"), "#ffe0b3"),
    (float("inf"), N_("over 2 years"), "#f8d7da"),
)
# Headers of the grids and check tables (shown through the catalog).
_HEADERS = (
    N_("Measures reported"),
    N_("Smart Cities"),
    N_("Earlier"),
    N_("Later"),
    N_("Why it may have fallen"),
    N_("Earlier source"),
    N_("Later source"),
    N_("Used"),
    N_("Other figures"),
    N_("Other sources"),
    N_("Which is used and why"),
    N_("Status"),
    N_("Comparison"),
    N_("Sum of the parts"),
    N_("Parts reporting"),
    N_("Parts dated"),
    N_("Difference"),
    N_("Label"),
)
DAYS_PER_MONTH = 365.25 / 12
LONG_COLUMNS = [
    "level",
    "area_id",
    "area_name",
    "state_ut",
    "selection_round",
    "measure",
    "measure_label",
    "as_of_date",
    "date_basis",
    "dated",
    "age_months",
    "value",
    "source_url",
]


@dataclass(frozen=True)
class Coverage:
    """What the coverage page shows, computed."""

    as_of: pd.Timestamp | None
    n_cities: int
    city_grid: pd.DataFrame  # one row per city: names, then a date text per measure
    city_ages: pd.DataFrame  # the same shape: the age in months per cell (NaN: no figure)
    state_grid: pd.DataFrame
    state_ages: pd.DataFrame
    summary: list[str]
    summary_table: pd.DataFrame  # the same per measure, as a table
    long: pd.DataFrame  # every (area, measure) with a figure: for downloads
    checks: dict[str, pd.DataFrame] = field(default_factory=dict)


def age_band(months: float) -> int | None:
    """Index into :data:`AGE_BANDS` for an age in months (None when there is no figure)."""
    if months is None or pd.isna(months):
        return None
    return next(i for i, (upper, _, _) in enumerate(AGE_BANDS) if months < upper)


def band_colour(months: float) -> str:
    """CSS for a cell of that age ('' when there is no figure)."""
    i = age_band(months)
    return "" if i is None else f"background-color: {AGE_BANDS[i][2]}; color: #1f2933"


def _age_months(dates: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    days = (as_of - pd.to_datetime(dates)).dt.days
    return (days / DAYS_PER_MONTH).round(1)


def _city_long(
    cities: pd.DataFrame, latest: pd.DataFrame, iccc: pd.DataFrame, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Each city's latest figure per measure, long."""
    labels = {m: lab for m, lab, _ in MEASURES}
    info = cities.set_index("city_id")
    rows = latest[latest["metric"].isin(METRIC_NAMES) & latest["area_id"].isin(info.index)]
    figures = pd.DataFrame(
        {
            "area_id": rows["area_id"],
            "measure": rows["metric"].astype(str),
            "as_of_date": pd.to_datetime(rows["as_of_date"]),
            "date_basis": rows.get("date_basis", pd.Series("as_on", index=rows.index)),
            "value": [fmt.value(v, METRICS[m].unit) for v, m in zip(rows["value"], rows["metric"])],
            "source_url": rows["source_url"],
        }
    )
    status = iccc_status(iccc)
    stages = pd.DataFrame(
        {
            "area_id": status["city_id"],
            "measure": ICCC,
            "as_of_date": pd.to_datetime(status["stage_date"]),
            "date_basis": status["date_basis"],
            "value": status["stage"].map(lambda s: STAGE_LABELS.get(s, s)),
            "source_url": status["source_url"],
        }
    )
    out = pd.concat([figures, stages], ignore_index=True)
    out = out[out["area_id"].isin(info.index)]
    out["level"] = "city"
    out["area_name"] = out["area_id"].map(info["city_name"])
    out["state_ut"] = out["area_id"].map(info["state_ut"])
    out["selection_round"] = out["area_id"].map(info["selection_round"])
    out["measure_label"] = out["measure"].map(labels)
    out["dated"] = [fmt.dated(d, b) for d, b in zip(out["as_of_date"], out["date_basis"])]
    out["age_months"] = _age_months(out["as_of_date"], as_of)
    return out.reindex(columns=LONG_COLUMNS)


def _state_long(states: list[str], latest: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    labels = {m: lab for m, lab, _ in STATE_MEASURES}
    rows = latest[latest["metric"].isin(labels) & latest["area_name"].isin(states)]
    out = pd.DataFrame(
        {
            "level": "state",
            "area_id": rows["area_id"],
            "area_name": rows["area_name"],
            "state_ut": rows["area_name"],
            "selection_round": pd.NA,
            "measure": rows["metric"].astype(str),
            "measure_label": rows["metric"].map(labels),
            "as_of_date": pd.to_datetime(rows["as_of_date"]),
            "date_basis": rows.get("date_basis", pd.Series("as_on", index=rows.index)),
            "value": [fmt.value(v, METRICS[m].unit) for v, m in zip(rows["value"], rows["metric"])],
            "source_url": rows["source_url"],
        }
    )
    out["dated"] = [fmt.dated(d, b) for d, b in zip(out["as_of_date"], out["date_basis"])]
    out["age_months"] = _age_months(out["as_of_date"], as_of)
    return out.reindex(columns=LONG_COLUMNS)


def measure_labels(
    measures: tuple[tuple[str, str, str], ...], lang: str = DEFAULT_LANG
) -> list[str]:
    """The grid's measure columns as they are headed in ``lang``."""
    _ = gettext(lang)
    return [_(label) for _m, label, _n in measures]


def band_labels(lang: str = DEFAULT_LANG) -> list[str]:
    """The age bands' names in ``lang`` (the legend)."""
    _ = gettext(lang)
    return [_(label) for _u, label, _c in AGE_BANDS]


def _grid(
    areas: pd.DataFrame,
    long: pd.DataFrame,
    measures: tuple[tuple[str, str, str], ...],
    lang: str = DEFAULT_LANG,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide tables: a sortable date text per (area, measure), and the ages behind the colours
    (headers in ``lang``)."""
    _ = gettext(lang)
    grid, ages = areas.copy(), areas.copy()
    labels = measure_labels(measures, lang)
    for (measure, _label, _noun), label in zip(measures, labels, strict=True):
        part = long[long["measure"] == measure].set_index("area_id")
        grid[label] = [
            fmt.dated_short(part.at[a, "as_of_date"], part.at[a, "date_basis"], lang)
            if a in part.index
            else ""
            for a in areas["area_id"]
        ]
        ages[label] = areas["area_id"].map(part["age_months"]).astype(float)
    reported = _("Measures reported")
    grid[reported] = (grid[labels] != "").sum(axis=1)
    ages[reported] = np.nan
    return grid.reset_index(drop=True), ages.reset_index(drop=True)


def _age_text(median: float, lang: str, *, old: bool) -> str:
    _ = gettext(lang)
    months = round(median)
    if old:
        if median < 1:
            return _("less than a month old")
        text = _("{n} month old") if months == 1 else _("{n} months old")
        return text.format(n=fmt.count(months))
    return _("under a month") if median < 1 else _("{n} months").format(n=fmt.count(months))


def _line(part: pd.DataFrame, n_cities: int, noun: str, lang: str = DEFAULT_LANG) -> str:
    _ = gettext(lang)
    n = int(part["area_id"].nunique())
    if n == 0:
        return _("None of the {total} cities has {noun}.").format(
            total=fmt.count(n_cities), noun=_(noun)
        )
    median = float(part["age_months"].median())
    sure = int(part["date_basis"].isin(["as_on", "reported"]).sum())
    return _(
        "{n} of {total} cities have {noun}; the median one is {age}; {sure} of {figures} carry "
        "a stated 'as on' date."
    ).format(
        n=fmt.count(n),
        total=fmt.count(n_cities),
        noun=_(noun),
        age=_age_text(median, lang, old=True),
        sure=fmt.count(sure),
        figures=fmt.count(len(part)),
    )


COMPLETION_NOUN = N_("a completion figure (a count, a value or 'all completed')")


def summary_lines(long: pd.DataFrame, n_cities: int, lang: str = DEFAULT_LANG) -> list[str]:
    """'N of M cities have a completion figure; the median one is K months old.'

    The first line counts a city with any completion figure (count, value or a statement that
    all its projects are completed), using each city's most recent one; then one per measure.
    """
    done = long[long["measure"].isin(COMPLETION)].sort_values("as_of_date")
    done = done.drop_duplicates("area_id", keep="last")
    out = [_line(done, n_cities, COMPLETION_NOUN, lang)]
    out += [_line(long[long["measure"] == m], n_cities, noun, lang) for m, _l, noun in MEASURES]
    return out


def summary_frame(long: pd.DataFrame, n_cities: int, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Per measure: cities with a figure, the median age, how many carry a stated date
    (headers and text in ``lang``: the frame is shown as it is)."""
    _ = gettext(lang)
    of = _("{n} of {total}")
    rows = []
    for measure, label, _noun in MEASURES:
        part = long[long["measure"] == measure]
        n = int(part["area_id"].nunique())
        median = part["age_months"].median() if n else float("nan")
        sure = int(part["date_basis"].isin(["as_on", "reported"]).sum())
        rows.append(
            {
                _("Measure"): _(label),
                _("Cities with a figure"): of.format(n=fmt.count(n), total=fmt.count(n_cities)),
                _("Median age"): "–" if not n else _age_text(median, lang, old=False),
                _("With a stated 'as on' date"): of.format(
                    n=fmt.count(sure), total=fmt.count(len(part))
                ),
            }
        )
    return pd.DataFrame(rows)


def build(
    engine: Engine, scope: Scope, as_of: pd.Timestamp | None, lang: str = DEFAULT_LANG
) -> Coverage:
    """The coverage page's content for a selection and "as on" date (what is shown in
    ``lang``; the long table for downloads stays in the data's words)."""
    _ = gettext(lang)
    cities = engine.cities(scope)
    when = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    latest = engine.latest(scope, levels=("city",), metrics=METRIC_NAMES)
    iccc = engine.iccc(scope)
    city_long = _city_long(cities, latest, iccc, when)
    shown = place_columns(cities, lang)
    areas = pd.DataFrame(
        {
            "area_id": cities["city_id"],
            _("City"): shown["city_name"],
            _("State/UT"): shown["state_ut"],
            _("Round"): shown["selection_round"],
        }
    )
    city_grid, city_ages = _grid(areas, city_long, MEASURES, lang)
    states = sorted(cities["state_ut"].dropna().unique().tolist())
    state_scope = Scope(state_ut=scope.state_ut, as_of=scope.as_of)
    state_latest = engine.latest(state_scope, levels=("state",))
    state_long = _state_long(states, state_latest, when)
    state_areas = pd.DataFrame(
        {
            "area_id": [s for s in states],
            _("State/UT"): [place_name("state", s, lang) for s in states],
            _("Smart Cities"): [int((cities["state_ut"] == s).sum()) for s in states],
        }
    )
    # State rows are keyed by name in the grid (their area_id is the state's slug).
    state_long_by_name = state_long.assign(area_id=state_long["area_name"])
    state_grid, state_ages = _grid(state_areas, state_long_by_name, STATE_MEASURES, lang)
    return Coverage(
        as_of=as_of,
        n_cities=len(cities),
        city_grid=city_grid,
        city_ages=city_ages,
        state_grid=state_grid,
        state_ages=state_ages,
        summary=summary_lines(city_long, len(cities), lang),
        summary_table=summary_frame(city_long, len(cities), lang),
        long=pd.concat([city_long, state_long], ignore_index=True),
    )


@dataclass(frozen=True)
class CheckSection:
    """One kind of check as the page shows it: heading, an optional caption, the table."""

    key: str
    heading: str
    count: int
    table: pd.DataFrame
    caption: str = ""
    empty: str = "None in this selection."
    link_columns: tuple[str, ...] = ("source_url",)


def check_sections(found: dict[str, pd.DataFrame], lang: str = DEFAULT_LANG) -> list[CheckSection]:
    """The checks of :func:`build_checks`, as the four sections of the Checks tab (headings,
    captions and tables in ``lang``; the data's notes and sources as they are)."""
    _ = gettext(lang)
    falls, conflicts, sums, defs = (
        found["falls"],
        found["conflicts"],
        found["sums"],
        found["definitions"],
    )
    window = checks.SUM_WINDOW_DAYS
    none = _("None in this selection.")
    return [
        CheckSection(
            "falls",
            _("Running totals that fall between two reports"),
            len(falls),
            falls_table(falls, lang) if len(falls) else falls,
            empty=none,
            link_columns=("earlier_source", "later_source"),
        ),
        CheckSection(
            "conflicts",
            _("One date, two figures"),
            len(conflicts),
            conflicts_table(conflicts, lang) if len(conflicts) else conflicts,
            empty=none,
        ),
        CheckSection(
            "sums",
            _("Levels that should add up (comparisons within {n} days)").format(n=window),
            len(sums),
            sums_table(sums, lang) if len(sums) else sums,
            caption=sums_caption(sums, lang) if len(sums) else "",
            empty=_("No level has both a figure and reporting parts in this selection."),
        ),
        CheckSection(
            "defs",
            _("Counts by a different definition"),
            len(defs),
            definitions_table(defs, lang) if len(defs) else defs,
            empty=none,
        ),
    ]


def cached(
    engine: Engine, scope: Scope, as_of: pd.Timestamp | None, lang: str = DEFAULT_LANG
) -> Coverage:
    """:func:`build`, once per data set, selection, date and language: the grid of every city
    and measure is the page's slowest part, and the same for every visitor of a link."""
    key = str(("coverage", scope, as_of, lang))
    return engine.memo(key, lambda: build(engine, scope, as_of, lang))


def cached_checks(engine: Engine, scope: Scope) -> dict[str, pd.DataFrame]:
    """:func:`build_checks`, once per data set and selection."""
    return engine.memo(str(("coverage_checks", scope)), lambda: build_checks(engine, scope))


def build_checks(engine: Engine, scope: Scope) -> dict[str, pd.DataFrame]:
    """The checks section: every disagreement among the figures in scope, by kind."""
    progress = engine.progress(scope)
    cities = engine.cities(Scope())
    return {
        "falls": checks.falls(progress),
        "conflicts": checks.same_date_conflicts(progress),
        "sums": checks.level_sums(progress, cities),
        "definitions": checks.definition_differences(progress),
    }


# ---------------------------------------------------------------- the checks, as tables


def _metric_label(metric: object, lang: str = DEFAULT_LANG) -> str:
    _ = gettext(lang)
    return _(METRICS[metric].label) if metric in METRICS else str(metric)


def _value(value: object, metric: object, lang: str = DEFAULT_LANG) -> str:
    return fmt.value(value, METRICS[metric].unit if metric in METRICS else "count", lang)


def _figures(
    values: pd.Series,
    metrics: pd.Series,
    dates: pd.Series,
    bases: pd.Series,
    lang: str = DEFAULT_LANG,
) -> list:
    """'₹47,459 crore (as on 31 Mar 2025)': each value in its unit, with its dated basis."""
    return [
        f"{_value(v, m, lang)} ({fmt.dated(d, b, lang)})"
        for v, m, d, b in zip(values, metrics, dates, bases, strict=True)
    ]


def _places(names: pd.Series, lang: str) -> list:
    """Area names (a state, a city or a round) as shown in ``lang``."""
    _ = gettext(lang)
    out = []
    for n in names:
        shown = place_name(None, n, lang) if isinstance(n, str) else n
        out.append(_(n) if isinstance(n, str) and shown == n else shown)
    return out


def falls_table(falls: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Falls in running totals, for reading: area, measure, both dated figures, why."""
    return pd.DataFrame(
        {
            "Area": _places(falls["area_name"], lang),
            "Measure": falls["metric"].map(lambda m: _metric_label(m, lang)),
            "Earlier": _figures(
                falls["prev_value"],
                falls["metric"],
                falls["prev_as_of_date"],
                falls["prev_date_basis"],
                lang,
            ),
            "Later": _figures(
                falls["value"], falls["metric"], falls["as_of_date"], falls["date_basis"], lang
            ),
            "Why it may have fallen": [
                checks.explain_fall(a, b, lang)
                for a, b in zip(falls["prev_source_url"], falls["source_url"], strict=True)
            ],
            "earlier_source": falls["prev_source_url"],
            "later_source": falls["source_url"],
        }
    )


def conflicts_table(conflicts: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    _ = gettext(lang)
    return pd.DataFrame(
        {
            "Area": _places(conflicts["area_name"], lang),
            "Measure": conflicts["metric"].map(lambda m: _metric_label(m, lang)),
            "Date": [fmt.as_on(d, lang) for d in conflicts["as_of_date"]],
            "Used": [
                _value(v, m, lang) for v, m in zip(conflicts["used_value"], conflicts["metric"])
            ],
            "Other figures": conflicts["other_values"],
            "Other sources": conflicts["other_source_urls"],
            "Which is used and why": [_(w) for w in conflicts["why"]],
            "source_url": conflicts["used_source_url"],
        }
    )


def sums_caption(sums: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    _ = gettext(lang)
    counts = sums["status"].value_counts()
    parts = [f"{fmt.count(n)} {_(status)}" for status, n in counts.items()]
    left = int(sums["left_out"].sum())
    text = _("Status: {counts}.").format(counts=", ".join(parts))
    if left:
        text += " " + _(
            "{n} figures counted by another definition were left out of the sums (listed below)."
        ).format(n=fmt.count(left))
    return text + " " + _("'partial': fewer parts report than exist, so the sum cannot be checked.")


def sums_table(sums: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    _ = gettext(lang)
    order = {"parts exceed the whole": 0, "differs": 1, "adds up": 2, "partial": 3}
    sums = sums.assign(_o=sums["status"].map(order)).sort_values(["_o", "as_of_date"])
    of = _("{n} of {total}")
    return pd.DataFrame(
        {
            "Status": [_(s) for s in sums["status"]],
            "Comparison": [_(c) for c in sums["comparison"]],
            "Area": _places(sums["area_name"], lang),
            "Measure": sums["metric"].map(lambda m: _metric_label(m, lang)),
            "Figure": _figures(
                sums["value"], sums["metric"], sums["as_of_date"], sums["date_basis"], lang
            ),
            "Sum of the parts": [
                _value(v, m, lang) for v, m in zip(sums["parts_sum"], sums["metric"], strict=True)
            ],
            "Parts reporting": [
                of.format(n=fmt.count(a), total=fmt.count(b))
                for a, b in zip(sums["parts_reporting"], sums["parts_total"], strict=True)
            ],
            "Parts dated": sums["parts_dates"],
            "Difference": [
                _value(abs(v), m, lang) if v >= 0 else "-" + _value(abs(v), m, lang)
                for v, m in zip(sums["difference"], sums["metric"], strict=True)
            ],
            "source_url": sums["source_url"],
        }
    )


def definitions_table(defs: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    _ = gettext(lang)
    return pd.DataFrame(
        {
            "Area": _places(defs["area_name"], lang),
            "Measure": defs["metric"].map(lambda m: _metric_label(m, lang)),
            "Figure": _figures(
                defs["value"],
                defs["metric"],
                defs["as_of_date"],
                defs.get("date_basis", pd.Series("as_on", index=defs.index)),
                lang,
            ),
            "Label": [_(t) for t in defs["label"]],
            "Note": defs["note"].fillna(""),
            "source_url": defs["source_url"],
        }
    )
