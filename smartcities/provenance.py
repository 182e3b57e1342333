"""Where the figures come from: source domains, and what to show when sources disagree.

Every row of the data keeps its ``source_url``. When two sources report the same area, metric
and date, the first listed draws the line and the others are shown beside it, never dropped;
these helpers make that split and summarise the sources of a data set (pure pandas, no UI).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd


def source_domain(url: object) -> str:
    """The web domain of a source URL (without ``www.``), or the scheme for other sources
    (``derived``, ``synthetic``)."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        host = parts.netloc.lower().split("@")[-1].split(":")[0]
        return host.removeprefix("www.")
    return text.split(":", 1)[0] if ":" in text else "unknown"


def sources_by_domain(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The distinct sources of a data set: (per domain: pages and rows; per page: rows by table).

    ``tables`` maps a table name to a frame with a ``source_url`` column."""
    # Count rows per (table, source) first: millions of rows share a few hundred sources, so
    # the domain is parsed once per distinct source, not once per row.
    counts = [
        frame["source_url"]
        .astype("string")
        .value_counts()
        .rename("rows")
        .reset_index()
        .assign(table=name)
        for name, frame in tables.items()
        if "source_url" in frame.columns and len(frame)
    ]
    if not counts:
        empty = pd.DataFrame(columns=["domain", "pages", "rows"])
        return empty, pd.DataFrame(columns=["domain", "source_url", "rows", "tables"])
    per_table = pd.concat(counts, ignore_index=True).dropna(subset=["source_url"])
    per_table["domain"] = per_table["source_url"].map(source_domain)
    pages = (
        per_table.groupby(["domain", "source_url"])
        .agg(rows=("rows", "sum"), tables=("table", lambda t: ", ".join(sorted(set(t)))))
        .reset_index()
        .sort_values(["domain", "rows"], ascending=[True, False], ignore_index=True)
    )
    domains = (
        pages.groupby("domain")
        .agg(pages=("source_url", "size"), rows=("rows", "sum"))
        .reset_index()
        .sort_values(["rows", "domain"], ascending=[False, True], ignore_index=True)
    )
    return domains, pages


def split_sources(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of a long progress table split into the first source per (area, metric, date), which
    makes the drawn series, and the other sources' rows for the same dates, shown beside it.

    The file order decides which source comes first (as :func:`query.series_sql` does), so the
    line matches every other chart; the other figures are never dropped silently.
    """
    if rows.empty:
        return rows, rows
    keys = [c for c in ("level", "area_id", "metric", "as_of_date") if c in rows.columns]
    first = ~rows.duplicated(subset=keys, keep="first")
    return rows[first], rows[~first]


def source_conflicts(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows whose (area, metric, date) was reported with different values by different sources."""
    cols = ["as_of_date", "metric", "value", "source_url", "note"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    keys = [c for c in ("level", "area_id", "metric", "as_of_date") if c in rows.columns]
    spread = rows.groupby(keys)["value"].transform("nunique")
    out = rows[spread > 1]
    return out.reindex(columns=cols).sort_values(["as_of_date", "metric"]).reset_index(drop=True)


def mixed_dates_note(rows: pd.DataFrame) -> str:
    """A sentence warning that the figures compared were last reported on different dates."""
    n = rows["as_of_date"].nunique() if len(rows) else 0
    if n < 2:
        return ""
    return (
        f" Each figure is the latest on or before the chosen date; these were last reported on "
        f"{n} different dates (see the hover text)."
    )
