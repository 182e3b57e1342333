"""The mission's own project export (Geospatial MIS layout), read as published.

The Smart Cities Mission's GMIS exports one row per project with its own column names
(``Project ID``, ``City Name``, ``Milestone``, ``Cost as per Work Order``, ...), its own stage
words ("DPR Under Preparation" ... "Work Completed") and categories that say whether a project
is area-based or pan-city. This module recognises that layout by its columns (never by the
file's name) and maps it onto the projects table of the contract through reviewed vocabularies
kept as data in ``data/vocab/`` (see its README), so a changed export means a changed table,
not changed code.

It also holds the checks every projects file gets, whatever its layout: cost from the
work-order or the estimated cost (and which), dates that cannot be true for the mission, and
optional detail that is wrong left blank instead of losing the project.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from smartcities.config import BUNDLED_DATA
from smartcities.names import Harmoniser, clean_text, match_key
from smartcities.report import MAX_ISSUES_PER_KIND, Report
from smartcities.schema import PROJECTS

VOCAB = BUNDLED_DATA / "vocab"
MISSION_LAUNCH = pd.Timestamp("2015-06-25")
LAYOUT_NAME = "the Smart Cities Mission's project export (GMIS layout)"
MAX_ROW_ISSUES = MAX_ISSUES_PER_KIND  # per kind and file, as elsewhere in the loader
# Columns the layout must have to be recognised, and how many of its columns at least.
_SIGNATURE = ("Project ID", "City Name")  # without a Milestone, stages come from the dates
_MIN_KNOWN = 10
_STAGE_DATES = (  # latest first: a row without a Milestone takes the stage of its latest date
    ("completed_date", "completed"),
    ("work_order_date", "work_order_issued"),
    ("tendered_date", "tendered"),
    ("dpr_approved_date", "dpr_approved"),
)
LEFT_BLANK = "; left blank, the rest of the row is used"
_NO_VALUE = frozenset({"", "na", "n/a", "-", "--", "nil", "null", "none", "nan"})


def _read_vocab(name: str) -> list[dict[str, str]]:
    with (VOCAB / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def export_columns() -> tuple[tuple[str, str], ...]:
    """(export column, contract column or '' when not kept), in the export's order."""
    return tuple((r["export_column"], r["column"]) for r in _read_vocab("gmis_columns.csv"))


@cache
def stage_terms() -> dict[str, str]:
    """match_key(export Milestone) -> stage."""
    return {match_key(r["term"]): r["stage"] for r in _read_vocab("project_stages.csv")}


@cache
def category_terms() -> dict[str, str]:
    """match_key(export Category) -> component."""
    return {match_key(r["category"]): r["component"] for r in _read_vocab("project_categories.csv")}


def recognise(columns: Iterable[object]) -> bool:
    """True when a header is the GMIS project export: its key columns and most of the rest."""
    keys = {match_key(str(c)) for c in columns}
    known = {match_key(e) for e, _ in export_columns()}
    return all(match_key(c) in keys for c in _SIGNATURE) and len(keys & known) >= _MIN_KNOWN


def component_of(category: str) -> str | None:
    """area_based / pan_city for an export category, or None when it says neither."""
    key = match_key(category)
    if key in category_terms():
        return category_terms()[key]
    words = re.sub(r"[^a-z]+", " ", category.lower())
    if re.search(r"\bpan ?city\b", words):
        return "pan_city"
    if re.search(r"\babd\b|\barea based\b", words):
        return "area_based"
    return None


@dataclass
class Adapted:
    """An export's rows renamed to contract columns (raw text), and the file's own names."""

    frame: pd.DataFrame  # index: spreadsheet row numbers, as read
    columns: dict[str, str]  # contract column -> the export's column as written in the file


def adapt(frame: pd.DataFrame, name: str, report: Report) -> Adapted:
    """Rename the export's columns, map its stage words and categories; report what is not
    kept. Rows whose stage cannot be known are reported and left out (nothing else is)."""
    vocab = {match_key(e): c for e, c in export_columns()}
    out = pd.DataFrame(index=frame.index)
    columns: dict[str, str] = {}
    not_kept: list[str] = []
    unknown: list[str] = []
    for col in frame.columns:
        header = str(col)
        contract = vocab.get(match_key(header))
        if contract is None:
            values = frame[col].astype("string").fillna("").str.strip()
            if header.startswith("Unnamed:") and (values == "").all():
                continue
            unknown.append(header)
        elif not contract or contract in columns:
            not_kept.append(header)
        else:
            out[contract] = frame[col]
            columns[contract] = header
    report.warning(
        name,
        f"read as {LAYOUT_NAME}: {len(columns)} of its columns are used",
        table="projects",
        fix="Nothing to fix. The column names, stage words and categories are mapped through "
        "data/vocab/*.csv.",
    )
    if not_kept:
        report.warning(
            name,
            f"{len(not_kept)} export column(s) not kept (not in the data dictionary): "
            + ", ".join(f"'{c}'" for c in not_kept),
            table="projects",
            fix="Nothing to fix: these columns are not used by the dashboard.",
        )
    if unknown:
        report.warning(
            name,
            f"{len(unknown)} column(s) not in the export's layout, ignored: "
            + ", ".join(f"'{c}'" for c in unknown),
            table="projects",
            fix="If one holds project data, give it the export's column name.",
        )
    out = _stages(out, name, columns, report)
    if "category" in out:
        out["component"] = _components(out["category"], name, columns, report)
    if "internal_category" in out:
        internal = out.pop("internal_category").astype("string").fillna("")
        out["iccc_flag"] = np.where(internal.map(match_key) == "iccc", "1", "0")
    return Adapted(out, columns)


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("").map(clean_text).astype("string")


def _stages(out: pd.DataFrame, name: str, columns: dict[str, str], report: Report) -> pd.DataFrame:
    """Milestone -> stage; a blank Milestone takes the stage of the latest date given."""
    column = columns.get("stage", "Milestone")
    raw = _text(out["stage"]) if "stage" in out else pd.Series("", index=out.index, dtype="string")
    terms = stage_terms()
    stage = raw.map(lambda v: terms.get(match_key(v), "") if v else "").astype("string")
    blank = raw == ""
    inferred = 0
    for col, step in _STAGE_DATES:
        if col not in out:
            continue
        given = blank & (stage == "") & ~_text(out[col]).str.lower().isin(_NO_VALUE)
        stage[given] = step
        inferred += int(given.sum())
    if inferred:
        first = int(out.index[(blank & (stage != "")).to_numpy()][0])
        report.warning(
            name,
            f"{inferred} row(s) have no {column}; their stage was taken from the latest stage "
            "date they give",
            table="projects",
            column=column,
            row=first,
            fix=f"Fill in {column} to state the stage.",
        )
    drop = stage == ""
    shown = 0
    known = ", ".join(dict.fromkeys(r["term"] for r in _read_vocab("project_stages.csv")))
    for row, value in zip(out.index[drop.to_numpy()], raw[drop], strict=True):
        shown += 1
        if shown > MAX_ROW_ISSUES:
            continue
        if value:
            message = f"{column} '{value}' is not a stage of the export; row not used"
            fix = f"Use one of: {known} (or add the term to data/vocab/project_stages.csv)."
        elif "stage" in columns:
            message = f"{column} is empty and the row gives no stage date; row not used"
            fix = f"Fill in {column}, e.g. Work Order Issued."
        else:
            message = (
                f"the file has no {column} column and the row gives no stage date; row not used"
            )
            fix = f"Add the export's {column} column (the stage), or the stage dates."
        report.error(
            name, message, table="projects", column=column, row=int(row), value=value, fix=fix
        )
    if shown > MAX_ROW_ISSUES:
        report.error(
            name,
            f"{shown - MAX_ROW_ISSUES} more row(s) with no usable {column}; not used",
            table="projects",
            column=column,
        )
    out = out.loc[~drop.to_numpy()].copy()
    out["stage"] = stage[~drop]
    return out


def _components(
    category: pd.Series, name: str, columns: dict[str, str], report: Report
) -> pd.Series:
    text = _text(category)
    mapping = {v: component_of(v) for v in text.unique() if v}
    unmapped = sorted(v for v, c in mapping.items() if c is None)
    if unmapped:
        column = columns.get("category", "Category")
        report.warning(
            name,
            f"{len(unmapped)} {column} value(s) say neither area-based (ABD) nor pan-city; "
            "those projects have no component: " + ", ".join(f"'{v}'" for v in unmapped),
            table="projects",
            column=column,
            fix="Add the category to data/vocab/project_categories.csv with its component.",
        )
    return text.map(lambda v: mapping.get(v) or "").astype("string")


# --------------------------------------------------------------------- every projects file


def fill_cost(frame: pd.DataFrame) -> pd.DataFrame:
    """cost_inr_crore from the work-order cost where there is one (> 0), else the estimated
    cost, with cost_basis saying which; a file that gives cost_inr_crore itself keeps it."""
    if "cost_inr_crore" in frame:
        return frame
    na = pd.Series(np.nan, index=frame.index, dtype="float64")
    work = pd.to_numeric(frame.get("work_order_cost_inr_crore", na), errors="coerce")
    estimated = pd.to_numeric(frame.get("estimated_cost_inr_crore", na), errors="coerce")
    use_work = work.notna() & (work > 0)
    frame["cost_inr_crore"] = work.where(use_work, estimated)
    basis = np.where(use_work, "work_order", np.where(estimated.notna(), "estimated", None))
    frame["cost_basis"] = pd.Series(basis, index=frame.index, dtype="string")
    return frame


def date_window_errors(
    frame: pd.DataFrame, file: str, report: Report, today: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Project dates before the mission's launch or after today: errors, and left blank, so
    they can never move the data set's "as on" date."""
    today = pd.Timestamp(today or date.today()).normalize()
    for f in PROJECTS.fields:
        if f.dtype != "date" or f.name not in frame:
            continue
        s = pd.to_datetime(frame[f.name])
        for wrong, why, fix in (
            (
                s < MISSION_LAUNCH,
                "is before the mission was launched (25 June 2015)",
                "Check the year; a date before the launch cannot be a stage of a Smart City "
                "project.",
            ),
            (
                s > today,
                f"is after today ({today.date().isoformat()})",
                "Check the year (a typo such as 2031 for 2021?); a stage cannot be reached in "
                "the future.",
            ),
        ):
            positions = np.flatnonzero(wrong.to_numpy(dtype=bool, na_value=False))
            for n, pos in enumerate(positions):
                if n >= MAX_ROW_ISSUES:
                    report.error(
                        file,
                        f"{len(positions) - MAX_ROW_ISSUES} more {f.name} date(s) that "
                        f"{why.split(' (')[0].replace('is ', 'are ', 1)}{LEFT_BLANK}",
                        table="projects",
                        column=f.name,
                    )
                    break
                value = pd.Timestamp(s.iat[pos])
                report.error(
                    file,
                    f"{f.name} {value.strftime('%d/%m/%Y')} {why}{LEFT_BLANK}",
                    table="projects",
                    column=f.name,
                    row=int(frame["_row"].iat[pos]),
                    value=value.strftime("%d/%m/%Y"),
                    fix=fix,
                )
            s = s.mask(pd.Series(wrong.to_numpy(dtype=bool, na_value=False), index=s.index))
        frame[f.name] = s
    return frame


def optional_only(column: str) -> bool:
    """True for a projects column a project can be used without."""
    return column in PROJECTS.columns and not PROJECTS.field(column).required


def keep_rows_with_optional_errors(
    bad: np.ndarray,
    flagged: set[tuple[int, str]],
    rows: pd.Series,
    report: Report,
    file: str,
    start: int,
) -> None:
    """Rows whose only errors are in optional columns stay in use (the cells were left blank
    when they failed to parse); their issues say so."""
    by_pos: dict[int, set[str]] = {}
    for pos, col in flagged:
        by_pos.setdefault(pos, set()).add(col)
    kept: set[tuple[int, str]] = set()
    for pos in np.flatnonzero(bad):
        cols = by_pos.get(int(pos), set())
        if cols and all(optional_only(c) for c in cols):
            bad[pos] = False
            kept.update((int(rows.iat[pos]), c) for c in cols)
    if not kept:
        return
    for i in range(start, len(report.issues)):
        issue = report.issues[i]
        if issue.file == file and (issue.row, issue.column) in kept:
            report.issues[i] = replace(issue, message=issue.message + LEFT_BLANK)


def canonical_states(
    frame: pd.DataFrame, harmoniser: Harmoniser, file: str, report: Report
) -> None:
    """The file's state names through the alias table; an unknown one is left blank (the
    city's own state comes from the cities table)."""
    if "state_ut" not in frame:
        return
    values = frame["state_ut"].astype("string")
    found = {v: harmoniser.resolve("state", str(v)).canonical for v in values.dropna().unique()}
    unknown = sorted(v for v, c in found.items() if not c)
    if unknown:
        report.warning(
            file,
            "unknown state/UT name(s), left blank: " + ", ".join(f"'{v}'" for v in unknown),
            table="projects",
            column="state_ut",
            fix="Use the state/UT's current name, e.g. Odisha, Tamil Nadu, Delhi.",
        )
    frame["state_ut"] = values.map(found).astype("string")


def relabel(report: Report, start: int, file: str, columns: dict[str, str]) -> None:
    """Issues about an export speak in the export's own column names, not the contract's."""
    if "city_name" in columns and "city_id" not in columns:
        columns = {**columns, "city_id": columns["city_name"]}  # the id comes from the name
    names = sorted(columns, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names if "_" in n) + r")\b")

    def words(text: str) -> str:
        text = text.replace("(stage)", f"({columns.get('stage', 'stage')})")
        return pattern.sub(lambda m: f"'{columns[m.group(1)]}'", text) if names else text

    for i in range(start, len(report.issues)):
        issue = report.issues[i]
        if issue.file != file:
            continue
        report.issues[i] = replace(
            issue,
            column=columns.get(issue.column, issue.column),
            message=words(issue.message),
            fix=words(issue.fix),
        )
