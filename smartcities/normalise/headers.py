"""Header names to contract columns: spellings, labels, ₹ crore suffixes and metric names.

Which spellings are accepted is data (:mod:`smartcities.normalise.synonyms`); the rules here
are the ones no table of spellings can say (a ``_in_crore`` suffix, a label from the schema, a
wide progress file's metric columns).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from smartcities.normalise.synonyms import (
    header_key,
    header_synonyms,
    metric_synonyms,
    table_synonyms,
)
from smartcities.schema import METRICS, TABLES, Table

CRORE_SUFFIXES = (
    "_in_inr_crore",
    "_in_rs_crore",
    "_rs_in_crore",
    "_inr_in_crore",
    "_in_crore",
    "_rs_crore",
    "_inr_cr",
    "_rs_cr",
    "_in_cr",
    "_crore",
    "_crores",
    "_cr",
    "_inr",
)


def _label_synonyms(table: Table) -> dict[str, str]:
    return {header_key(f.label): f.name for f in table.fields}


def canonical_column(raw: object, table: str | None = None) -> str:
    """The contract column a header means (or its snake-case key when it means none)."""
    key = header_key(raw)
    tables = [TABLES[table]] if table else list(TABLES.values())
    names = {f.name for t in tables for f in t.fields}
    if key in names:
        return key
    by_table, anywhere = table_synonyms(table), header_synonyms()
    if key in by_table:
        return by_table[key]
    if key in anywhere:
        return anywhere[key]
    for t in tables:
        labels = _label_synonyms(t)
        if key in labels:
            return labels[key]
    for suffix in CRORE_SUFFIXES:
        if key.endswith(suffix):
            candidate = key[: -len(suffix)] + "_inr_crore"
            if candidate in names:
                return candidate
            base = key[: -len(suffix)]
            for syn in ([by_table] if table else []) + [anywhere]:
                if syn.get(base, "").endswith("_inr_crore"):
                    return syn[base]
    return key


def canonical_metric(raw: object) -> str | None:
    """Metric name from a cell or a wide column header; legacy names accepted
    (``projects_completed_cr`` -> ``projects_completed_inr_crore``, ``projects_completed`` ->
    ``projects_completed_count``). None when it is no known metric."""
    key = header_key(raw).replace("utilized", "utilised")
    if key in METRICS:
        return key
    synonyms = metric_synonyms()
    if key in synonyms:
        return synonyms[key]
    for suffix in (*CRORE_SUFFIXES, "_value", "_amount"):
        if key.endswith(suffix):
            base = key[: -len(suffix)]
            if base + "_inr_crore" in METRICS:
                return base + "_inr_crore"
            syn = synonyms.get(base, "")
            if syn.endswith("_count") and syn[: -len("_count")] + "_inr_crore" in METRICS:
                return syn[: -len("_count")] + "_inr_crore"
            if syn.endswith("_inr_crore"):
                return syn
    for suffix in ("_no", "_nos", "_number", "_num"):
        if key.endswith(suffix) and key[: -len(suffix)] + "_count" in METRICS:
            return key[: -len(suffix)] + "_count"
    for unit in ("_count", "_flag", "_pct"):
        if key + unit in METRICS:
            return key + unit
    return None


def metric_suggestions(raw: str) -> list[str]:
    return difflib.get_close_matches(header_key(raw), list(METRICS), n=3, cutoff=0.6)


WIDE_ID_COLUMNS = {
    "as_of_date",
    "level",
    "area_id",
    "area_name",
    "state_ut",
    "city_id",
    "city_name",
    "source_url",
    "note",
    "unit",
}


def map_headers(columns: Iterable[object], table: str) -> dict[str, str]:
    """Raw header -> contract column for one table (first match wins; others unmapped)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    names = accepted(table)
    for raw in columns:
        canon = canonical_column(raw, table)
        if canon in names and canon not in used:
            out[str(raw)] = canon
            used.add(canon)
    return out


def wide_metric_columns(columns: Iterable[object]) -> dict[str, str]:
    """Raw header -> metric, for the columns of a wide progress table."""
    out: dict[str, str] = {}
    for raw in columns:
        if canonical_column(raw, "progress") in WIDE_ID_COLUMNS | {"metric", "value"}:
            continue
        metric = canonical_metric(raw)
        if metric is not None and metric not in out.values():
            out[str(raw)] = metric
    return out


def accepted(table: str) -> set[str]:
    """Columns a table's files may carry: its own, plus city_id/city_name for city refs."""
    return set(TABLES[table].columns) | ({"city_id", "city_name"} if table != "events" else set())
