"""Normalisation: headers, Indian numbers, day-first dates, placeholders, names, table shape."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities.load import load_public, load_sources
from smartcities.normalise import Context, MissingColumns, normalise
from smartcities.normalise.detect import detect_table
from smartcities.normalise.headers import canonical_column, canonical_metric
from smartcities.normalise.parse import category_value, is_placeholder, parse_date, parse_number
from smartcities.normalise.synonyms import header_key
from smartcities.readers import Source
from smartcities.report import Report
from smartcities.schema import CITIES, ICCC, PROGRESS, PROJECTS, TABLES, pandas_dtype

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def public():
    return load_public()


def raw(header: list[str], *rows: list[object]) -> pd.DataFrame:
    """A raw table as the reader gives it: text cells, index = spreadsheet row numbers."""
    frame = pd.DataFrame([[str(c) for c in r] for r in rows], columns=header, dtype="str")
    frame.index = range(2, 2 + len(rows))
    return frame


def run(
    frame: pd.DataFrame,
    table: str,
    cities: pd.DataFrame | None = None,
    reference: pd.DataFrame | None = None,
):
    report = Report()
    ctx = Context("f.csv", report, cities=cities, reference=reference)
    return normalise(frame, "f.csv", table, ctx), report


# ------------------------------------------------------------------------------ headers


@pytest.mark.parametrize(
    ("header", "table", "column"),
    [
        ("As On Date ", "progress", "as_of_date"),
        ("as_of_date", "progress", "as_of_date"),
        ("Date", "progress", "as_of_date"),
        ("Date", "iccc", "stage_date"),
        ("Date", "events", "event_date"),
        ("City", "iccc", "city_name"),
        ("City Name", "cities", "city_name"),
        ("State", "cities", "state_ut"),
        ("State/UT", "progress", "state_ut"),
        ("STATE / UT", "cities", "state_ut"),
        ("Round", "cities", "selection_round"),
        ("Lat", "cities", "latitude"),
        ("lon", "cities", "longitude"),
        ("Lng", "cities", "longitude"),
        ("Selected on", "cities", "selection_date"),
        ("Cost (₹ crore)", "iccc", "cost_inr_crore"),
        ("Cost (Rs. cr)", "projects", "cost_inr_crore"),
        ("cost_cr", "projects", "cost_inr_crore"),
        ("Source", "events", "source_url"),
        ("Remarks", "iccc", "note"),
        ("Status", "projects", "stage"),
        ("\ufeffcity_id", "cities", "city_id"),
        ("Mystery", "cities", "mystery"),
    ],
)
def test_canonical_column(header, table, column):
    assert canonical_column(header, table) == column


def test_header_key():
    assert header_key("  As\u200b On  Date ") == "as_on_date"
    assert header_key("Value (₹ crore)") == "value_inr_crore"


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("projects_completed_count", "projects_completed_count"),
        ("projects_completed", "projects_completed_count"),
        ("Projects completed", "projects_completed_count"),
        ("projects_completed_cr", "projects_completed_inr_crore"),
        ("Projects completed (Rs crore)", "projects_completed_inr_crore"),
        ("work_orders_issued_crore", "work_orders_issued_inr_crore"),
        ("funds_utilized", "funds_utilised_inr_crore"),
        ("iccc_operational", "iccc_operational_count"),
        ("all_projects_completed", "all_projects_completed_flag"),
        ("projects_completd", None),
        ("population", None),
    ],
)
def test_canonical_metric(name, metric):
    assert canonical_metric(name) == metric


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("7741", "count", 7741.0),
        ("1,64,223", "count", 164223.0),
        ("12,34,567.89", "inr_crore", 1234567.89),
        ("164,223", "count", 164223.0),
        ("1 64 223", "count", 164223.0),
        ("₹1,55,386", "inr_crore", 155386.0),
        ("₹ 1,55,386 crore", "inr_crore", 155386.0),
        ("Rs 500", "inr_crore", 500.0),
        ("Rs. 500/-", "inr_crore", 500.0),
        ("INR 48,000 cr", "inr_crore", 48000.0),
        ("250 Cr.", "inr_crore", 250.0),
        ("250cr", "inr_crore", 250.0),
        ("1.5 lakh crore", "inr_crore", 150000.0),
        ("₹1.6 lakh crore", "inr_crore", 160000.0),
        ("50 lakh", "inr_crore", 0.5),
        ("1.5 lakh", "count", 150000.0),
        ("2 crore", "count", 20000000.0),
        ("(1,234)", "inr_crore", -1234.0),
        ("-5", "count", -5.0),
        ("96%", "pct", 96.0),
        ("yes", "flag", 1.0),
        ("No", "flag", 0.0),
        ("25.4358° N", "degrees", 25.4358),
        ("1e3", None, 1000.0),
        ("  42  ", None, 42.0),
    ],
)
def test_parse_number(text, unit, value):
    assert parse_number(text, unit) == pytest.approx(value)


@pytest.mark.parametrize(
    "text", ["NA", "N/A", "n.a.", "-", "–", "—", "nil", "NIL", "null", "None", "", "  ", "nan"]
)
def test_placeholders_are_missing(text):
    assert is_placeholder(text)
    assert parse_number(text, "count") is None
    assert parse_date(text) == (None, False)


@pytest.mark.parametrize("text", ["abc", "1,2", "12,34,5", "1.2.3", "5%", "inf", "₹", "1 lakh x"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text, "count")


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("text", "iso", "month_only"),
    [
        ("2025-12-01", "2025-12-01", False),
        ("2025-12-01 00:00:00", "2025-12-01", False),
        ("2025/12/01", "2025-12-01", False),
        ("01/12/2025", "2025-12-01", False),  # day first: 1 December, never 12 January
        ("1/12/2025", "2025-12-01", False),
        ("01-12-2025", "2025-12-01", False),
        ("01.12.2025", "2025-12-01", False),
        ("13/01/2025", "2025-01-13", False),
        ("01/12/25", "2025-12-01", False),
        ("01-Dec-2025", "2025-12-01", False),
        ("1 Dec 2025", "2025-12-01", False),
        ("1st December, 2025", "2025-12-01", False),
        ("Dec 1, 2025", "2025-12-01", False),
        ("Dec 2025", "2025-12-01", True),
        ("December 2025", "2025-12-01", True),
        ("Sept 2024", "2024-09-01", True),
        ("12/2025", "2025-12-01", True),
        ("2025-12", "2025-12-01", True),
        ("45992", "2025-12-01", False),  # Excel serial day number
        ("45992.0", "2025-12-01", False),
    ],
)
def test_parse_date(text, iso, month_only):
    stamp, only_month = parse_date(text)
    assert stamp == pd.Timestamp(iso)
    assert only_month is month_only


@pytest.mark.parametrize(
    "text", ["31/02/2024", "29/02/2023", "32/01/2024", "01/13/2025", "2025", "12345", "yesterday"]
)
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_impossible_date_message():
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("31/02/2024")


# ------------------------------------------------------------------------------ categories


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        (CITIES.field("selection_round"), "round 1", "Round 1"),
        (CITIES.field("selection_round"), "ROUND-3", "Round 3"),
        (CITIES.field("selection_round"), "fast track", "Fast Track"),
        (PROGRESS.field("level"), "National", "national"),
        (PROGRESS.field("level"), "State/UT", "state"),
        (PROGRESS.field("unit"), "₹ crore", "inr_crore"),
        (ICCC.field("stage"), "Work Order Issued", "work_order_issued"),
        (ICCC.field("stage"), "under implementation", "work_order_issued"),
        (ICCC.field("date_basis"), "on or before", "on_or_before"),
        (PROJECTS.field("component"), "Pan-City", "pan_city"),
        (PROJECTS.field("stage"), "Complete", "completed"),
        (ICCC.field("stage"), "unheard-of", "unheard-of"),
    ],
)
def test_category_value(field, text, value):
    assert category_value(field, text) == value


# ------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("kind", "raw", "canonical"),
    [
        ("city", "Bangalore", "Bengaluru"),
        ("city", "Allahabad", "Prayagraj"),
        ("city", "Vizag", "Visakhapatnam"),
        ("city", "पुणे", "Pune"),
        ("city", "इलाहाबाद", "Prayagraj"),
        ("state", "Orissa", "Odisha"),
        ("state", "ओडिशा", "Odisha"),
        ("state", "J&K", "Jammu and Kashmir"),
    ],
)
def test_aliases_in_an_upload(public, kind, raw, canonical):
    if kind == "city":
        frame = raw_frame = raw_table(
            ["city", "stage", "date", "source"], [raw, "operational", "2025-12-01", "http://x"]
        )
        out, report = run(raw_frame, "iccc", cities=public.cities)
        city_id = public.cities.set_index("city_name").loc[canonical, "city_id"]
        assert out.frame["city_id"].tolist() == [city_id]
        assert not out.bad.any()
        assert any("alias table" in i.message for i in report.warnings)
    else:
        frame = raw_table(
            ["date", "state", "metric", "value", "source"],
            ["2025-12-01", raw, "projects_completed_count", "5", "http://x"],
        )
        out, report = run(frame, "progress", cities=public.cities)
        assert out.frame[["level", "area_name", "state_ut"]].iloc[0].tolist() == [
            "state",
            canonical,
            canonical,
        ]
        assert out.frame["area_id"].iat[0] == canonical.lower().replace(" ", "-")


def raw_table(header: list[str], *rows: list[object]) -> pd.DataFrame:
    return raw(header, *rows)


def test_unknown_city_suggests_near_miss(public):
    frame = raw(
        ["city", "stage", "date", "source"],
        ["Pune", "operational", "2025-12-01", "http://x"],
        ["Vishakapatnam", "operational", "2025-12-01", "http://x"],
    )
    out, report = run(frame, "iccc", cities=public.cities)
    assert out.bad.tolist() == [False, True]
    (issue,) = report.errors
    assert issue.row == 3
    assert issue.column == "city_name"
    assert "Vishakapatnam" in issue.message
    assert "did you mean visakhapatnam?" in issue.fix.lower()


def test_city_id_and_name_must_agree(public):
    frame = raw(
        ["city_id", "city_name", "stage", "date", "source"],
        ["pune", "Nagpur", "operational", "2025-12-01", "http://x"],
    )
    out, report = run(frame, "iccc", cities=public.cities)
    assert out.bad.all()
    assert "Nagpur" in report.errors[0].message


# ------------------------------------------------------------------------------ detection


@pytest.mark.parametrize(
    ("columns", "table"),
    [
        (CITIES.columns, "cities"),
        (PROGRESS.columns, "progress"),
        (ICCC.columns, "iccc"),
        (PROJECTS.columns, "projects"),
        (TABLES["events"].columns, "events"),
        (["City", "State", "Lat", "Lon"], "cities"),
        (["As On Date", "State/UT", "Metric", "Value"], "progress"),
        (["date", "city", "projects_completed", "projects_completed_cr"], "progress"),
        (["City", "Status", "Date"], "iccc"),
        (["Date", "Event", "Category"], "events"),
        (["as_of_date", "level", "area_id", "metric"], "progress"),  # partial: value missing
        (["foo", "bar"], None),
        (["value"], None),
    ],
)
def test_detect_table(columns, table):
    assert detect_table(list(columns)) == table


# ------------------------------------------------------------------------------ tables


def test_wide_progress_melts_to_long(public):
    frame = raw(
        [
            "As on",
            "City",
            "projects_completed",
            "projects_completed_cr",
            "Work orders issued",
            "Source",
        ],
        ["31/03/2024", "Pune", "120", "1,02,345.5", "150", "http://x"],
        ["31/03/2024", "Indore", "", "NA", "20", "http://x"],
    )
    out, report = run(frame, "progress", cities=public.cities)
    assert report.ok
    long = out.frame
    assert long["_row"].tolist() == [2, 2, 2, 3]
    assert long["metric"].tolist() == [
        "projects_completed_count",
        "projects_completed_inr_crore",
        "work_orders_issued_count",
        "work_orders_issued_count",
    ]
    assert long["unit"].tolist() == ["count", "inr_crore", "count", "count"]
    assert long["value"].tolist() == [120.0, 102345.5, 150.0, 20.0]
    assert set(long["level"]) == {"city"}
    assert long["area_id"].tolist() == ["pune", "pune", "pune", "indore"]
    assert long["state_ut"].iat[3] == "Madhya Pradesh"


@pytest.mark.parametrize(
    ("columns", "row", "level", "area_id"),
    [
        (["date", "city"], ["2025-12-01", "Pune"], "city", "pune"),
        (["date", "state"], ["2025-12-01", "Kerala"], "state", "kerala"),
        (["date"], ["2025-12-01"], "national", "india"),
        (["date", "area"], ["2025-12-01", "Round 2"], "round", "round-2"),
        (["date", "area"], ["2025-12-01", "India"], "national", "india"),
    ],
)
def test_level_defaults(public, columns, row, level, area_id):
    frame = raw([*columns, "projects_completed_count"], [*row, "3"])
    out, _ = run(frame, "progress", cities=public.cities)
    assert out.frame[["level", "area_id"]].iloc[0].tolist() == [level, area_id]


def test_unknown_metric_suggests(public):
    frame = raw(["date", "metric", "value"], ["2025-12-01", "projects_completd_count", "3"])
    out, report = run(frame, "progress", cities=public.cities)
    assert out.bad.all()
    (issue,) = report.errors
    assert issue.column == "metric"
    assert "projects_completed_count" in issue.fix


def test_misspelt_wide_metric_column_is_an_error(public):
    frame = raw(
        ["date", "projects_completed_count", "projects_tendred_count", "Remarks2"],
        ["2025-12-01", "3", "5", "x"],
    )
    out, report = run(frame, "progress", cities=public.cities)
    assert out.frame["metric"].tolist() == ["projects_completed_count"]
    (error,) = report.errors
    assert error.column == "projects_tendred_count"
    assert "projects_tendered_count" in error.fix
    assert any("Remarks2" in w.message for w in report.warnings)


def test_unit_must_fit_metric(public):
    frame = raw(
        ["date", "metric", "value", "unit"],
        ["2025-12-01", "projects_completed_count", "3", "inr_crore"],
    )
    out, report = run(frame, "progress", cities=public.cities)
    assert out.bad.all()
    assert report.errors[0].column == "unit"


def test_month_only_date_sets_first_and_notes(public):
    frame = raw(
        ["date", "metric", "value", "note"],
        ["Dec 2025", "projects_completed_count", "3", "Rounded"],
        ["Nov 2025", "projects_completed_count", "2", ""],
    )
    out, report = run(frame, "progress", cities=public.cities)
    assert out.frame["as_of_date"].tolist() == [
        pd.Timestamp("2025-12-01"),
        pd.Timestamp("2025-11-01"),
    ]
    assert out.frame["note"].tolist() == [
        "Rounded; Month-only date set to the 1st",
        "Month-only date set to the 1st",
    ]
    assert any("only a month" in i.message for i in report.warnings)


def test_cities_upload_takes_coordinates_from_reference(public):
    frame = raw(["City", "State"], ["Bangalore", "Karnataka"], ["Sampleville", "Orissa"])
    out, report = run(frame, "cities", reference=public.cities)
    got = out.frame.set_index("city_id")
    ref = public.cities.set_index("city_id")
    assert got.loc["bengaluru", "city_name"] == "Bengaluru"
    assert got.loc["bengaluru", "latitude"] == ref.loc["bengaluru", "latitude"]
    assert got.loc["bengaluru", "selection_round"] == "Round 3"
    # A city not in the reference is kept (without coordinates, which validation reports).
    assert got.loc["sampleville", "state_ut"] == "Odisha"
    assert pd.isna(got.loc["sampleville", "latitude"])


def test_missing_required_columns():
    with pytest.raises(MissingColumns) as exc:
        run(raw(["city", "date"], ["Pune", "2025-12-01"]), "iccc")
    assert exc.value.missing == ["stage"]


def test_strings_cleaned_and_placeholders_missing(public):
    frame = raw(
        ["city_id", "stage", "date", "source", "note"],
        ["  pune ", "operational", "2025-12-01", "N/A", "NA"],
    )
    out, _ = run(frame, "iccc", cities=public.cities)
    row = out.frame.iloc[0]
    assert row["city_id"] == "pune"
    assert pd.isna(row["source_url"])  # a placeholder: missing (validation reports it)
    assert row["note"] == "NA"  # free text keeps what was written


def test_output_dtypes_and_order_follow_the_schema(public):
    frame = raw(["city", "status", "date", "cost"], ["Pune", "live", "01/12/2025", "₹120 cr"])
    out, _ = run(frame, "iccc", cities=public.cities)
    assert list(out.frame.columns) == [*ICCC.columns, "_row"]
    for f in ICCC.fields:
        assert str(out.frame[f.name].dtype) == pandas_dtype(f), f.name
    assert out.frame["cost_inr_crore"].iat[0] == 120.0
    assert out.frame["date_basis"].iat[0] == "reported"


def test_formula_text_kept_as_text(public):
    frame = raw(
        ["city", "stage", "date", "source", "note"],
        ["Pune", "operational", "2025-12-01", "http://x", "=1+2"],
        ["Pune", "tendered", "2024-01-01", "http://x", "<script>alert(1)</script>"],
    )
    out, report = run(frame, "iccc", cities=public.cities)
    assert out.frame["note"].tolist() == ["=1+2", "<script>alert(1)</script>"]
    assert not out.bad.any()
    assert report.ok
    assert {i.row for i in report.warnings} == {2, 3}


def test_cities_upload_id_checks(public):
    frame = raw(
        ["city_id", "city_name", "state"],
        ["PUNE", "Poona", "Maharashtra"],
        ["nagpur", "Indore", "Maharashtra"],
        ["PUN01", "Pune", "Maharashtra"],
    )
    out, report = run(frame, "cities", reference=public.cities)
    assert out.frame["city_id"].tolist()[0] == "pune"  # case-insensitive match: reference id
    assert out.frame["city_name"].tolist()[0] == "Pune"  # alias replaced by the current name
    assert out.bad.tolist() == [False, True, False]
    assert "Indore" in report.errors[0].message
    assert any("differs from the reference id 'pune'" in w.message for w in report.warnings)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "as_on"),  # no column: an uploaded figure is "as on" its date
        ("", "as_on"),  # a blank cell: the same
        ("as on", "as_on"),
        ("As of", "as_on"),
        ("reply", "reply"),
        ("on or before", "on_or_before"),
        ("upper bound", "on_or_before"),
    ],
)
def test_progress_date_basis_from_an_upload(public, given, expected):
    columns = ["as_of_date", "level", "area_name", "metric", "value", "source_url"]
    values = ["2024-03-31", "city", "Pune", "projects_completed_count", "120", "https://x.in/a"]
    if given is not None:
        columns.append("date_basis")
        values.append(given)
    out, report = run(raw(columns, values), "progress", cities=public.cities)
    assert out.frame["date_basis"].iat[0] == expected
    assert not report.errors


def test_progress_bad_date_basis_is_an_error(public):
    frame = raw(
        ["as_of_date", "level", "area_name", "metric", "value", "source_url", "date_basis"],
        [
            "2024-03-31",
            "city",
            "Pune",
            "projects_completed_count",
            "120",
            "https://x.in/a",
            "maybe",
        ],
    )
    result = load_sources([Source("p.csv", frame.to_csv(index=False).encode())])
    assert any(i.column == "date_basis" for i in result.report.errors), result.report.errors
