"""Where the figures come from: source domains, and what to show when sources disagree.

Every row of the data keeps its ``source_url``. When two sources report the same area, metric
and date, the first listed draws the line and the others are shown beside it, never dropped;
these helpers make that split and summarise the sources of a data set (pure pandas, no UI).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from smartcities.i18n import DEFAULT_LANG, N_, gettext

# The bundled map of India (data/boundaries/PROVENANCE.json); shown wherever it is used.
BOUNDARY_CREDIT = (
    "India boundaries by DataMeet India community, CC BY 4.0; 2019 Lok Sabha constituencies "
    "by Arun Ganesh (DataMeet), CC0"
)


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
        return domains_from_counts(pd.DataFrame(columns=["table", "source_url", "rows"]))
    return domains_from_counts(pd.concat(counts, ignore_index=True))


def domains_from_counts(per_table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`sources_by_domain` from rows counted per (``table``, ``source_url``): ``rows``
    (as the query engine counts them in SQL, without reading the tables into pandas)."""
    per_table = per_table.dropna(subset=["source_url"])
    if per_table.empty:
        empty = pd.DataFrame(columns=["domain", "pages", "rows"])
        return empty, pd.DataFrame(columns=["domain", "source_url", "rows", "tables"])
    per_table = per_table.assign(source_url=per_table["source_url"].astype("string"))
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


def mixed_dates_note(rows: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """A sentence warning that the figures compared were last reported on different dates."""
    n = rows["as_of_date"].nunique() if len(rows) else 0
    if n < 2:
        return ""
    _ = gettext(lang)
    return " " + _(
        "Each figure is the latest on or before the chosen date; these were last reported on "
        "{n} different dates (see the hover text)."
    ).format(n=n)


# The About page's methodology and caveats: how data/ was built and what to keep in mind when
# reading it. Kept beside the source handling they describe, not in the page.
METHODOLOGY_MD = N_("""
- **How `data/` was built.** `scripts/build_data.py` turns the team's reference files (facts
  read from public pages, each with its source URL) into the tables of the data contract. It
  renames metrics to the contract's vocabulary, assigns identifiers, splits the two meanings of
  "projects total" into two metrics and classifies events. It invents no figure.
- **Dates, and how sure they are.** Every progress figure carries a date basis, shown wherever
  its date is: "as on 15 Jan 2026" (the source says the figure is as on that date; month-only
  dates are set to the 1st and flagged), "reported 11 Dec 2025 (as-on date not stated)" (dated
  by the reply or report that published it) or "on or before 8 Jan 2026" (only an upper bound
  is known: an article date, a repost, the end of a financial year).
- **"On or before".** Some per-city ICCC dates are upper bounds: the record only says a stage
  was reached by that date (from a national "all 100 cities" statement).
- **Headlines** are the latest figure on or before the chosen "as on" date, per area and metric.
  Where two sources report one date, both are kept; the first listed draws the line and the
  other is shown beside it.
- **Checks where sources disagree** (Data coverage › Checks, and beside the figures): running
  totals that fall between two reports, one date reported with two values, levels that should
  add up (a state's cities against the state, the states against the nation, within 31 days)
  and counts by another definition (a state government's count; releases that include the
  state share). Nothing is corrected or dropped: the checks say where to be careful.
- **Hindi and English.** Add `lang=hi` to a link (or use the sidebar's language switch) for
  Hindi; the printable brief (Overview and City profile, "Brief (PDF)") is in either language.
  Numbers keep Indian grouping with Western digits (₹1,55,859 करोड़), as Government of India
  documents do; key terms follow the Ministry's Hindi usage (`docs/glossary-hi.md`). **To add or
  correct a translation**, edit `smartcities/locale/hi/LC_MESSAGES/messages.po` (each English
  `msgid` with its Hindi `msgstr`), run `make i18n`, and commit the `.po` and the compiled
  `.mo`; Hindi place names are in `data/names_hi.csv`. What the data says (source notes,
  titles), file names and URLs are not translated.
""")

CAVEATS_MD = N_("""
- **Two meanings of "projects total".** Until 2019 it was the projects *proposed at selection*
  (ending at 5,151 projects, ₹2,05,018 crore); from 2020 the projects *actually taken up* after
  re-scoping (about 8,064 projects, ₹1.65 lakh crore). They are two metrics and never one line.
- **Work orders.** "Under implementation or completed" and "grounded" projects (2018–19 wording)
  are recorded as work orders issued, with a note.
- **Central funds from 2025** are central assistance "claimed" by cities, recorded as releases.
- **Lower bounds.** Values given as "over N" (July 2019 release) are lower bounds; rounded
  "lakh crore" values are flagged in the notes.
- **ICCCs in March 2019.** One source says 13 completed, another 15 operational; both are kept
  and shown.
- **State share.** Some replies give releases and utilisation that include the state's matching
  share (Jammu and Srinagar, Telangana, Tamil Nadu, the national ₹73,454 crore of July 2023).
  They are their own measures and are never added to or compared with central-only figures.
- **State and Ministry counts differ.** Figures from state governments, assemblies, district
  officials or RTI replies are labelled as such and left out of the checks' sums.
- **Left out.** The Rajya Sabha figure of ₹78,749 crore released (Nov 2023) cannot be the
  central share alone (central releases were ₹38,400 crore in May 2023), so it is excluded.
- **New Town Kolkata.** West Bengal opted out of the mission in 2017, but New Town remains one
  of the official 100 cities and is counted in every "100 cities" figure.
""")


# The dashboard's citation: the page footer, the About page, the data package and the PDF
# brief all quote it (translated where it is shown).
CITATION = N_(
    "Smart Cities Mission dashboard (open source). Public record compiled from Government of "
    "India releases, parliamentary answers and news reports; see the About page for sources."
)
