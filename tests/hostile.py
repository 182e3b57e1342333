"""A valid data set whose names, notes, sources and file names carry hostile text.

Used by the unit, app and browser tests of "safe by construction": every value below must be
shown as the literal text it is, never as a link, an image, a formula, a coloured directive,
an icon or HTML. The rows are otherwise valid, so the set loads (with warnings) and can be
adopted alone or merged over the public record. The cities are real Smart Cities (so a merge
replaces their names) with hostile names; the figures are made up and the set is labelled as
a test set by its file names. Nothing here is shown as real data.
"""

from __future__ import annotations

import csv
import io
import re

LINK = "[Verify your login](https://phish.example/login)"
IMAGE = "![x](https://tracker.example/pixel.gif)"
LATEX = r"$\rule{1000em}{1000em}$"
DIRECTIVE = ":red[ALERT] :material/warning: :smile:"
HTML = '<a href="javascript:alert(1)">click</a><img src="https://tracker.example/i.gif">'
SPAN = '<span style="font-size:300px">BIG</span>'
BIDI = "Evil\u202etxt.exe"
# Plotly runs %{...} in a hovertemplate: a name placed in one would show a value instead.
PLOTLY = "%{x} %{meta[0]}"
JS_URL = "javascript:alert(document.cookie)"
SAFE_URL = "https://example.org/hostile-test-source"

# Markers that must never appear live in what a page renders.
TRACKER_HOSTS = ("phish.example", "tracker.example")

CITIES = [
    # city_id, city_name, state_ut, round, date, lat, lon, selection_name, source_url, note
    ("hostile-a", f"Hostville {LINK}", "Maharashtra", "Round 1", "2016-01-28", 18.52, 73.86, IMAGE,
     SAFE_URL, IMAGE),
    ("hostile-b", f"Hostgarh {LATEX}", "Gujarat", "Round 1", "2016-01-28", 21.17, 72.83, "",
     JS_URL, DIRECTIVE),
    ("hostile-c", f"Hostpur {HTML}", "Kerala", "Round 1", "2016-01-28", 9.93, 76.27, "",
     f"https://example.org/{LINK}", SPAN),
    ("hostile-d", f"Hostabad {DIRECTIVE}", "Tripura", "Round 3", "2017-06-23", 23.83, 91.28,
     "", SAFE_URL, f"{LINK} {BIDI}"),
    ("hostile-e", f"Hostnagar {SPAN} {PLOTLY}", "Madhya Pradesh", "Round 1", "2016-01-28", 22.72,
     75.86, "", "data:text/html,<b>x</b>", HTML),
]  # fmt: skip

# The first word of each hostile city name: data, so never part of a code-written template.
NAME_WORDS = tuple(c[1].split()[0] for c in CITIES)

FILE_CITIES = f"cities {LINK}.csv"
FILE_PROGRESS = f"progress {IMAGE}.csv"
FILE_ICCC = "iccc <b>x</b>.csv"
FILE_EVENTS = f"events {LATEX}.csv"


def _csv(header: list[str], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def cities_csv() -> bytes:
    header = [
        "city_id",
        "city_name",
        "state_ut",
        "selection_round",
        "selection_date",
        "latitude",
        "longitude",
        "selection_name",
        "source_url",
        "note",
    ]
    return _csv(header, CITIES)


def progress_csv(extra: list[tuple] | None = None) -> bytes:
    header = [
        "as_of_date",
        "level",
        "area_id",
        "area_name",
        "state_ut",
        "metric",
        "value",
        "unit",
        "source_url",
        "note",
    ]
    rows: list[tuple] = []
    for i, (city_id, name, state, *_rest) in enumerate(CITIES):
        url = CITIES[i][8]
        for date, done, taken in (("2023-03-31", 20 + i, 60), ("2024-03-31", 35 + i, 60)):
            rows += [
                (date, "city", city_id, name, state, "projects_completed_count", done, "count",
                 url, CITIES[i][9]),
                (date, "city", city_id, name, state, "projects_taken_up_count", taken, "count",
                 url, LINK),
                (date, "city", city_id, name, state, "central_funds_released_inr_crore",
                 400 + 10 * i, "inr_crore", url, IMAGE),
                (date, "city", city_id, name, state, "funds_utilised_inr_crore", 300 + 10 * i,
                 "inr_crore", url, HTML),
            ]  # fmt: skip
    rows += [
        ("2024-03-31", "state", "maharashtra", "Maharashtra", "Maharashtra",
         "projects_completed_count", 300, "count", JS_URL, LINK),
        ("2024-03-31", "national", "india", "India", "", "projects_completed_count", 7000,
         "count", SAFE_URL, f"{IMAGE} {LATEX}"),
        ("2024-03-31", "national", "india", "India", "", "projects_taken_up_count", 8000,
         "count", f"https://example.org/{HTML}", DIRECTIVE),
        ("2023-03-31", "national", "india", "India", "", "projects_completed_count", 5000,
         "count", SAFE_URL, SPAN),
        ("2024-03-31", "national", "india", "India", "", "iccc_operational_count", 90,
         "count", SAFE_URL, HTML),
    ]  # fmt: skip
    return _csv(header, rows + (extra or []))


def iccc_csv() -> bytes:
    header = ["city_id", "stage", "stage_date", "date_basis", "source_url", "note"]
    rows = [
        ("hostile-a", "operational", "2019-06-01", "reported", SAFE_URL, LINK),
        ("hostile-b", "operational", "2020-01-15", "reported", JS_URL, IMAGE),
        ("hostile-c", "under_implementation", "2019-01-01", "reported", SAFE_URL, HTML),
    ]
    return _csv(header, rows)


def events_csv() -> bytes:
    header = ["event_date", "event", "category", "source_url"]
    rows = [
        ("2016-01-28", f"Round 1 {LINK}", "selection", SAFE_URL),
        ("2021-06-30", f"Deadline {HTML}", "deadline", JS_URL),
    ]
    return _csv(header, rows)


def files() -> list[tuple[str, bytes]]:
    """The hostile set as uploaded files (name, bytes)."""
    return [
        (FILE_CITIES, cities_csv()),
        (FILE_PROGRESS, progress_csv()),
        (FILE_ICCC, iccc_csv()),
        (FILE_EVENTS, events_csv()),
    ]


# A hostile state name: refused (states/UTs are a closed list), and echoed safely.
BAD_STATE_ROW = (
    "2024-03-31",
    "state",
    "evil",
    f"Evil {LINK}",
    f"Evil {LINK}",
    "projects_completed_count",
    1,
    "count",
    SAFE_URL,
    "",
)
# A value no real record could hold: refused with a clear error, the rest loads.
HUGE_ROW = (
    "2024-03-31",
    "national",
    "india",
    "India",
    "",
    "projects_tendered_count",
    1e28,
    "count",
    SAFE_URL,
    "",
)


# ---------------------------------------------------------------- chart templates

# Tags code writes in plotly text and templates.
CHART_TAGS = {"<b>", "</b>", "<br>", "<extra>", "</extra>"}
TAG = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
# Plotly variables code writes in a template (with an optional number or date format).
TEMPLATE_VARIABLE = re.compile(
    r"%\{(?:customdata(?:\[\d+\])?|text|x|y|z|fullData\.name)(?::[^{}%]*)?\}"
)


def template_problems(template: str) -> list[str]:
    """What in a chart's hovertemplate or texttemplate is not code-written: tags beyond ours,
    other ``%{...}``, and any word of a hostile city name (data never belongs in a template,
    even escaped: plotly would run a ``%{...}`` in it; it goes in as text or customdata)."""
    rest = TEMPLATE_VARIABLE.sub("", template)
    bad = sorted(set(TAG.findall(rest)) - CHART_TAGS)
    bad += re.findall(r"%\{[^}]*\}?", rest)
    bad += [word for word in NAME_WORDS if word in template]
    return bad
