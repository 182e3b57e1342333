"""Which table of the contract a file holds, and which of its required columns it lacks.

A file is recognised by its columns, never by its name. What a file must have comes from the
schema (:attr:`smartcities.schema.Table.input_required`): the required columns the loader
cannot fill in itself, each with the columns that can stand in for it.
"""

from __future__ import annotations

from smartcities.normalise.headers import accepted, map_headers, wide_metric_columns
from smartcities.schema import TABLES

# Columns a wide progress file (one column per metric) gives by its layout, not by name.
_WIDE_GIVES = ("metric", "value")


def input_missing(table: str, mapped: set[str], wide: bool = False) -> list[str]:
    """Required input columns absent from a header (derivable columns are not required)."""
    missing = []
    for options in TABLES[table].input_required:
        if wide and table == "progress" and options[0] in _WIDE_GIVES:
            continue
        if not any(o in mapped for o in options):
            missing.append(" or ".join(options))
    return missing


def detect_table(columns: list[str]) -> str | None:
    """Which contract table a header belongs to, or None.

    Each recognised column counts 1 divided by the number of tables that have it, so columns
    only one table has (``stage_date``, ``latitude``, ``metric``) decide, and shared ones
    (``city_id``, ``source_url``) only break ties; wide progress files count each metric
    column. At equal score a table whose required columns are all present wins. A table is
    returned when it is complete or matches at least two columns (so the loader can say
    which columns are missing); otherwise None.
    """
    share: dict[str, int] = {}
    for name in TABLES:
        for col in accepted(name):
            share[col] = share.get(col, 0) + 1
    best: tuple[float, int, int, str] | None = None
    for name in TABLES:
        mapped = set(map_headers(columns, name).values())
        score = sum(1 / share[c] for c in mapped)
        count = len(mapped)
        wide = False
        if name == "progress" and "metric" not in mapped:
            metrics = wide_metric_columns(columns)
            if metrics:
                wide = True
                score += len(metrics)
                count += len(metrics)
        complete = not input_missing(name, mapped, wide)
        candidate = (round(score, 6), int(complete), count, name)
        if best is None or candidate[:3] > best[:3]:
            best = candidate
    if best is None:
        return None
    _, complete, count, name = best
    return name if complete or count >= 2 else None
