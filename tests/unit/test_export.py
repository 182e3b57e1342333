"""Downloads carry exactly the rows of the view, with formulas neutralised and provenance kept."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from smartcities import dictionary, export, export_text, query
from smartcities.dataset import Dataset
from smartcities.query import Engine, Scope
from smartcities.schema import METRICS, TABLES, pandas_dtype
from smartcities.ui import downloads

pytestmark = pytest.mark.unit

FORMULA = '=HYPERLINK("http://evil.example","click")'
URL = "https://pib.gov.in/PressReleasePage.aspx?PRID=1"


def typed(name: str, records: list[dict[str, object]]) -> pd.DataFrame:
    """A table with the schema's columns and dtypes, from inline records."""
    table = TABLES[name]
    frame = pd.DataFrame(records, columns=table.columns)
    for f in table.fields:
        dtype = pandas_dtype(f)
        if dtype.startswith("datetime"):
            frame[f.name] = pd.to_datetime(frame[f.name])
        else:
            frame[f.name] = frame[f.name].astype(dtype)
    return frame


def _city(city_id: str, name: str, state: str, rnd: str) -> dict[str, object]:
    return {
        "city_id": city_id,
        "city_name": name,
        "state_ut": state,
        "selection_round": rnd,
        "selection_date": "2016-01-28",
        "latitude": 25.0,
        "longitude": 85.0,
        "source_url": URL,
    }


def _prog(day: str, level: str, area: str, name: str, state: str | None, metric: str, value):
    return {
        "as_of_date": day,
        "level": level,
        "area_id": area,
        "area_name": name,
        "state_ut": state,
        "metric": metric,
        "value": value,
        "unit": METRICS[metric].unit,
        "source_url": URL,
        "note": None,
        "date_basis": "as_on",
    }


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    cities = typed(
        "cities",
        [
            _city("patna", "Patna", "Bihar", "Round 3"),
            _city("pune", "Pune", "Maharashtra", "Round 1"),
            _city("nashik", "Nashik", "Maharashtra", "Round 2"),
        ],
    )
    progress = typed(
        "progress",
        [
            _prog(
                "2024-01-01", "national", "india", "India", None, "projects_completed_count", 7000
            ),
            _prog(
                "2025-12-01", "national", "india", "India", None, "projects_completed_count", 7741
            ),
            _prog(
                "2025-12-01", "state", "bihar", "Bihar", "Bihar", "projects_completed_count", 150
            ),
            _prog(
                "2025-12-01",
                "state",
                "maharashtra",
                "Maharashtra",
                "Maharashtra",
                "funds_utilised_inr_crore",
                2500.5,
            ),
            {
                **_prog(
                    "2025-12-01", "city", "patna", "Patna", "Bihar", "iccc_operational_flag", 1
                ),
                "note": FORMULA,
                "source_url": "derived:iccc",
            },
        ],
    )
    iccc = typed(
        "iccc",
        [
            {
                "city_id": "pune",
                "stage": "operational",
                "stage_date": "2018-06-18",
                "date_basis": "reported",
                "cost_inr_crore": 120.0,
                "source_url": URL,
            },
            {
                "city_id": "patna",
                "stage": "tendered",
                "stage_date": "2019-03-01",
                "date_basis": "on_or_before",
                "source_url": URL,
                "note": "@SUM(A1:A2)",
            },
        ],
    )
    events = typed(
        "events",
        [
            {
                "event_date": "2015-06-25",
                "event": "Mission launched",
                "category": "programme",
                "source_url": URL,
            },
            {
                "event_date": "2021-02-23",
                "event": "+NUDM launched",
                "category": "digital",
                "source_url": URL,
            },
        ],
    )
    return Dataset(
        {"cities": cities, "progress": progress, "iccc": iccc, "events": events},
        kind="public",
        label="Test record",
    )


@pytest.fixture(scope="module")
def engine(dataset: Dataset) -> Engine:
    eng = Engine(dataset)
    yield eng
    eng.close()


# ---------------------------------------------------------------- rows of the view


def test_view_rows_are_the_engine_queries(engine: Engine) -> None:
    scope = Scope(state_ut="Bihar")
    pd.testing.assert_frame_equal(
        query.view_rows(engine, "progress", scope), engine.progress(scope)
    )
    pd.testing.assert_frame_equal(query.view_rows(engine, "cities", scope), engine.cities(scope))
    pd.testing.assert_frame_equal(query.view_rows(engine, "iccc", scope), engine.iccc(scope))
    with pytest.raises(KeyError):
        query.view_rows(engine, "nope", scope)


def test_state_filter_and_metric_filter_narrow_the_rows(engine: Engine) -> None:
    everything = query.view_rows(engine, "progress", Scope())
    bihar = query.view_rows(engine, "progress", Scope(state_ut="Bihar"))
    assert len(bihar) < len(everything)
    assert "Maharashtra" not in set(bihar["state_ut"].dropna())
    one = query.view_rows(engine, "progress", Scope(), metrics=("funds_utilised_inr_crore",))
    assert one["metric"].tolist() == ["funds_utilised_inr_crore"]


def test_events_are_cut_at_the_date_with_a_bound_parameter(engine: Engine) -> None:
    sql, params = query.events_sql(Scope(as_of=date(2020, 1, 1)))
    assert "2020" not in sql and params == [datetime(2020, 1, 1)]
    rows = query.view_rows(engine, "events", Scope(as_of=date(2020, 1, 1)))
    assert rows["event"].tolist() == ["Mission launched"]
    assert "_row" not in rows.columns
    assert len(query.view_rows(engine, "events", Scope())) == 2


# ---------------------------------------------------------------- what a rerun reads

# The bundled public record, under a few scopes: the count, the first rows and the sources that
# a rerun reads must be those of the full view that the downloads hold.
SCOPES = [
    Scope(),
    Scope(state_ut="Bihar"),
    Scope(round="Round 2"),
    Scope(city_id="pune"),
    Scope(as_of=date(2020, 3, 31)),
    Scope(state_ut="Maharashtra", round="Round 1", as_of=date(2022, 1, 1)),
    Scope(state_ut="Nowhere"),
]
VIEWS = [(t, None) for t in query.TABLE_ORDER] + [
    ("progress", ("projects_completed_count", "funds_utilised_inr_crore"))
]


@pytest.fixture(scope="module")
def public_engine() -> Engine:
    from smartcities.load import load_public

    eng = Engine(load_public())
    yield eng
    eng.close()


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as objects, missing as None: DuckDB gives an all-null text column ``object`` dtype
    rather than ``str``, so a few rows and the whole view may differ in dtype, not in value."""
    out = frame.reset_index(drop=True).astype(object)
    return out.where(out.notna(), None)


@pytest.mark.parametrize(("table", "metrics"), VIEWS)
@pytest.mark.parametrize("scope", SCOPES, ids=repr)
@pytest.mark.parametrize("limit", [0, 7])
def test_a_rerun_reads_the_count_first_rows_and_sources_of_the_full_view(
    public_engine: Engine, table: str, metrics, scope: Scope, limit: int
) -> None:
    view = query.View(public_engine, table, scope, metrics)
    full = view.rows()
    assert view.count() == len(full)
    head = view.head(limit)
    assert head.columns.tolist() == full.columns.tolist()
    pd.testing.assert_frame_equal(_plain(head), _plain(full.head(limit)))
    expected = full["source_url"].dropna().astype(str).value_counts()
    sources = view.sources()
    assert sources["source_url"].tolist() == sorted(expected.index, key=lambda u: (-expected[u], u))
    assert sources["n_rows"].tolist() == [expected[u] for u in sources["source_url"]]
    assert len(sources) == full["source_url"].nunique()


def test_the_bundled_scopes_are_not_all_trivial(public_engine: Engine) -> None:
    """The scopes above cut rows (else the test would compare only whole tables)."""
    everything = query.View(public_engine, "progress", Scope()).count()
    counts = [query.View(public_engine, "progress", s).count() for s in SCOPES]
    assert counts[0] == everything > 7
    assert all(n < everything for n in counts[1:])
    assert query.View(public_engine, "iccc", Scope(state_ut="Nowhere")).count() == 0


def test_view_sql_wraps_the_same_query_with_bound_values() -> None:
    scope = Scope(state_ut="Bihar", round="Round 2", city_id=None, as_of=date(2021, 5, 6))
    metrics = ("funds_utilised_inr_crore",)
    for table in query.TABLE_ORDER:
        inner, params = query.view_sql(table, scope, metrics=metrics)
        bare = query.unordered(inner)
        for (text, bound), wrapped, extra in [
            (query.count_sql(table, scope, metrics=metrics), bare, []),
            (query.head_sql(table, scope, 25, metrics=metrics), inner, [25]),
            (query.sources_sql(table, scope, metrics=metrics), bare, []),
        ]:
            assert f"({wrapped}) AS v" in text, "the view's own SQL, as a subquery"
            assert bound == [*params, *extra]
            for value in ("Bihar", "Round 2", "2021", "funds_utilised", "25"):
                assert value not in text, (table, value)
    assert query.head_sql("events", Scope(), -3)[1] == [0]
    with pytest.raises(KeyError):
        query.view_sql("nope", Scope())


def test_counts_and_sources_skip_only_the_views_final_sort() -> None:
    """Every view's final ORDER BY is dropped for the count and the sources (a sort of millions
    of rows that cannot change them); anything else is left as it is."""
    scope = Scope(state_ut="Bihar", round="Round 2", as_of=date(2021, 5, 6))
    for table in query.TABLE_ORDER:
        inner, _ = query.view_sql(table, scope)
        bare = query.unordered(inner)
        assert bare != inner and inner.startswith(bare), table
        assert bare.upper().count("ORDER BY") == inner.upper().count("ORDER BY") - 1, table
    kept = [
        "SELECT * FROM t ORDER BY a LIMIT 5",
        "SELECT * FROM t ORDER BY a OFFSET ?",
        "SELECT * FROM (SELECT * FROM t ORDER BY a) s",
        "SELECT * FROM t ORDER BY lower(a)",
        "SELECT * FROM t",
    ]
    for sql in kept:
        assert query.unordered(sql) == sql
    assert query.unordered("SELECT x FROM t ORDER BY a DESC NULLS LAST, t.b\n ") == (
        "SELECT x FROM t"
    )
    with pytest.raises(KeyError):
        query.view_sql("nope", Scope())


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-5", "-5"),
        ("+2.5e3", "+2.5e3"),
        ("a=b", "a=b"),
        ("", ""),
        ('\uff1dHYPERLINK("x")', '\'\uff1dHYPERLINK("x")'),  # fullwidth ＝
        ("\uff0b1", "'\uff0b1"),
        ("\uff0dcmd", "'\uff0dcmd"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\u3000\uff1d1", "'\u3000\uff1d1"),
    ],
)
def test_neutralise_text(text: str, expected: str) -> None:
    assert export.neutralise_text(text) == expected


def test_readme_links_only_web_sources_and_escapes_data_text() -> None:
    text = export_text.readme(
        {"progress": pd.DataFrame({"a": [1]})},
        dataset_label="Uploaded: [x](https://phish.example).csv",
        kind="uploaded",
        filters_text="All India",
        citation="c",
        sources=["https://pib.gov.in/a", "javascript:alert(1)", "[y](https://phish.example)"],
    )
    assert "- https://pib.gov.in/a" in text
    assert "- `javascript:alert(1)`" in text and "- `[y](https://phish.example)`" in text
    assert "[x](" not in text


def test_csv_round_trips_to_the_same_rows(engine: Engine) -> None:
    rows = query.view_rows(engine, "progress", Scope())
    back = pd.read_csv(io.BytesIO(export.to_csv_bytes(rows)), keep_default_na=False, na_values=[""])
    assert back.columns.tolist() == TABLES["progress"].columns
    assert len(back) == len(rows)
    assert back["as_of_date"].tolist() == rows["as_of_date"].dt.strftime("%Y-%m-%d").tolist()
    assert back["value"].tolist() == rows["value"].tolist()
    assert back["source_url"].tolist() == rows["source_url"].tolist()
    patna = back["area_id"] == "patna"
    assert back.loc[patna, "note"].tolist() == ["'" + FORMULA], "formula text is neutralised"
    assert back.loc[~patna, "note"].isna().all()


def test_csv_keeps_negative_numbers_numeric() -> None:
    frame = pd.DataFrame({"change": [-5.5, 3.0], "label": ["-5", FORMULA]})
    text = export.to_csv_bytes(frame).decode()
    assert text.splitlines()[1].startswith("-5.5,")
    back = pd.read_csv(io.StringIO(text))
    assert back["change"].tolist() == [-5.5, 3.0]
    assert back["label"].tolist() == ["-5", "'" + FORMULA]


# ---------------------------------------------------------------- Excel


def test_excel_has_no_formulas_dates_as_dates_and_an_about_sheet(engine: Engine) -> None:
    rows = query.view_rows(engine, "iccc", Scope())
    rows.loc[0, "note"] = FORMULA
    payload = export.to_excel_bytes(
        rows, sheet_name="iccc", notes={"Citation": "Cite me", "Filters": "=cmd|' /C calc'!A0"}
    )
    book = openpyxl.load_workbook(io.BytesIO(payload))
    assert book.sheetnames == ["iccc", "About"]
    sheet = book["iccc"]
    header = [c.value for c in sheet[1]]
    assert header == rows.columns.tolist()
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    notes = [c.value for c in sheet["G"][1:]]
    assert "'" + FORMULA in notes
    dates = [c for c in sheet["C"][1:]]
    assert all(c.is_date for c in dates) and dates[0].number_format == "yyyy-mm-dd"
    assert dates[0].value == datetime(2018, 6, 18)
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2)}
    assert about["Citation"] == "Cite me"
    assert about["Filters"].startswith("'=")
    assert all(c.data_type != "f" for r in book["About"].iter_rows() for c in r)


def test_excel_keeps_negative_numbers_as_numbers() -> None:
    frame = pd.DataFrame({"change": [-5.5], "text": ["-1+1"]})
    sheet = openpyxl.load_workbook(
        io.BytesIO(export.to_excel_bytes(frame, sheet_name="x", notes={}))
    )["x"]
    assert sheet["A2"].value == -5.5 and sheet["A2"].data_type == "n"
    assert sheet["B2"].value == "'-1+1" and sheet["B2"].data_type == "s"


def test_excel_refuses_more_rows_than_a_sheet_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 1)
    with pytest.raises(ValueError, match="Excel"):
        export.to_excel_bytes(pd.DataFrame({"a": [1, 2]}), sheet_name="a", notes={})


def test_excel_sheet_names_are_made_valid() -> None:
    assert export._sheet_name("a/b:c" * 10) == ("a-b-c" * 10)[:31]
    book = openpyxl.load_workbook(
        io.BytesIO(export.to_excel_bytes(pd.DataFrame({"a": [1]}), sheet_name="About", notes={}))
    )
    assert book.sheetnames == ["Data", "About"]


# ---------------------------------------------------------------- Parquet


def test_parquet_round_trip_is_exact(engine: Engine) -> None:
    rows = query.view_rows(engine, "progress", Scope())
    payload = export.to_parquet_bytes(rows, metadata={"citation": "Cite me"})
    back = pd.read_parquet(io.BytesIO(payload))
    pd.testing.assert_frame_equal(back, rows)
    assert FORMULA in back["note"].tolist(), "Parquet keeps values exactly"
    meta = pq.read_schema(io.BytesIO(payload)).metadata
    assert meta[b"citation"] == b"Cite me"


# ---------------------------------------------------------------- the zip package


def check_package(archive: zipfile.ZipFile) -> dict[str, object]:
    """Structural checks of a Data Package and its CSVs (what a validator would check)."""
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    for res in package["resources"]:
        frame = pd.read_csv(io.BytesIO(archive.read(res["path"])), dtype=str, keep_default_na=False)
        fields = res["schema"]["fields"]
        assert frame.columns.tolist() == [f["name"] for f in fields], res["name"]
        for f in fields:
            values = frame[f["name"]]
            filled = values[values != ""]
            cons = f.get("constraints", {})
            if cons.get("required"):
                assert (values != "").all(), (res["name"], f["name"])
            if "enum" in cons:
                assert set(filled) <= set(cons["enum"]), (res["name"], f["name"])
            if f["type"] == "date":
                assert filled.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), f["name"]
            if f["type"] in ("number", "integer"):
                numbers = pd.to_numeric(filled)
                if "minimum" in cons:
                    assert (numbers >= cons["minimum"]).all()
                if "maximum" in cons:
                    assert (numbers <= cons["maximum"]).all()
        key = res["schema"].get("primaryKey")
        if key:
            assert set(key) <= set(frame.columns)
            assert not frame.duplicated(key).any(), res["name"]
        for fk in res["schema"].get("foreignKeys", []):
            target = next(
                r for r in package["resources"] if r["name"] == fk["reference"]["resource"]
            )
            parent = pd.read_csv(io.BytesIO(archive.read(target["path"])), dtype=str)
            assert set(frame[fk["fields"]]) <= set(parent[fk["reference"]["fields"]])
    return package


def _zip(tables: dict[str, pd.DataFrame], kind: str = "public") -> bytes:
    return export.data_package_zip(
        tables,
        dataset_label="Test record",
        kind=kind,
        filters_text="Bihar; all dates",
        citation="Cite me, accessed 2026-01-01.",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_zip_contains_tables_package_readme_and_dictionary(engine: Engine) -> None:
    tables = query.view_tables(engine, Scope(state_ut="Bihar"), ["progress", "cities", "iccc"])
    archive = zipfile.ZipFile(io.BytesIO(_zip(tables)))
    assert archive.namelist() == [
        "progress.csv",
        "cities.csv",
        "iccc.csv",
        "datapackage.json",
        "README.md",
        "data-dictionary.md",
    ]
    assert archive.read("progress.csv") == export.to_csv_bytes(tables["progress"])
    assert archive.read("data-dictionary.md").decode() == dictionary.markdown()
    package = check_package(archive)
    assert [r["name"] for r in package["resources"]] == ["progress", "cities", "iccc"]
    assert package["created"] == "2026-01-01T00:00:00Z"
    assert {s.get("path") for s in package["sources"]} >= {URL}
    readme = archive.read("README.md").decode()
    for text in ("Bihar; all dates", "Cite me", "CC BY 4.0", URL, "derived:iccc", "Test record"):
        assert text in readme
    assert "SYNTHETIC" not in readme


def test_synthetic_package_says_synthetic_everywhere() -> None:
    from smartcities.synthetic import synthetic_dataset

    data = synthetic_dataset(12)
    eng = Engine(data)
    names = [n for n in query.TABLE_ORDER if not data.table(n).empty]
    archive = zipfile.ZipFile(io.BytesIO(_zip(query.view_tables(eng, Scope(), names), "synthetic")))
    package = check_package(archive)
    assert "SYNTHETIC" in package["title"] and "SYNTHETIC" in package["description"]
    assert archive.read("README.md").decode().startswith("# SYNTHETIC DATA")
    eng.close()


def test_frictionless_validates_the_package(engine: Engine, tmp_path) -> None:
    import frictionless  # in the test extra: a missing install fails, never skips

    tables = query.view_tables(engine, Scope(), ["progress", "cities", "iccc", "events"])
    zipfile.ZipFile(io.BytesIO(_zip(tables))).extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# ---------------------------------------------------------------- names, citation, buttons


def test_file_stem_is_stable_safe_and_marks_synthetic() -> None:
    stem = export_text.file_stem(
        "progress", filters={"state": "bihar", "as_of": "2024-01-01"}, as_of=date(2024, 1, 1)
    )
    assert stem == "smartcities_progress_bihar_2024-01-01"
    assert export_text.file_stem("cities", filters={}, as_of=None) == "smartcities_cities_all"
    odd = export_text.file_stem("iccc", filters={"city": '../"x\r\n'}, as_of=None, synthetic=True)
    assert odd == "smartcities_SYNTHETIC_iccc_x"
    with_metric = export_text.file_stem(
        "progress", filters={}, as_of=pd.Timestamp("2025-12-01"), extra=["funds_utilised_inr_crore"]
    )
    assert with_metric == "smartcities_progress_funds-utilised-inr-crore_2025-12-01"


def test_cite_and_view_text() -> None:
    text = export_text.cite(
        "Cite me.",
        dataset_label="Public record",
        as_of=date(2025, 12, 1),
        accessed=date(2026, 1, 2),
    )
    assert text == (
        "Cite me. Data set: Public record; figures as on 2025-12-01; accessed 2026-01-02."
    )
    synthetic = export_text.cite("Cite me.", dataset_label="Sample", as_of=None, synthetic=True)
    assert synthetic.startswith("SYNTHETIC DATA") and "figures as on latest" in synthetic
    assert export_text.view_text("Bihar", chosen_as_of=None, latest=date(2025, 12, 1)) == (
        "Bihar; all dates up to the latest report (1 Dec 2025)"
    )
    assert (
        export_text.view_text(
            "All India", chosen_as_of=date(2020, 3, 1), latest=None, metric_labels=["A", "B"]
        )
        == "All India; figures reported on or before 1 Mar 2020; metrics: A, B"
    )


def test_downloads_read_the_rows_only_when_asked(engine: Engine) -> None:
    view = query.View(engine, "progress", Scope(state_ut="Bihar"))
    rows = view.rows()
    calls: list[str] = []

    def read() -> pd.DataFrame:
        calls.append("rows")
        return view.rows()

    def package() -> bytes:
        calls.append("zip")
        return b"zip"

    offers = downloads.downloads(
        read,
        n_rows=view.count(),
        n_sources=len(view.sources()),
        table="progress",
        stem="s",
        zip_stem="z",
        dataset_label="Test record",
        kind="synthetic",
        filters_text="Bihar",
        citation="Cite me",
        package=package,
    )
    assert [d.key for d in offers] == ["csv", "xlsx", "parquet", "zip"]
    assert [d.file_name for d in offers] == ["s.csv", "s.xlsx", "s.parquet", "z.zip"]
    assert calls == [], "nothing is read or built until asked"
    assert offers[0].data() == export.to_csv_bytes(rows)
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(offers[2].data())), rows)
    about = openpyxl.load_workbook(io.BytesIO(offers[1].data()))["About"]
    values = {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}
    assert "SYNTHETIC" in values["Data set"] and values["Rows"] == str(len(rows))
    assert values["Distinct sources"] == str(rows["source_url"].nunique())
    assert calls == ["rows"] * 3
    assert offers[3].data() == b"zip" and calls[-1] == "zip"
    assert not offers[1].disabled
    args = offers[0].button_args("data_dl_")
    assert args["key"] == "data_dl_csv" and args["file_name"] == "s.csv"


def test_excel_is_disabled_from_the_count_without_reading_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 10)

    def unread() -> pd.DataFrame:
        raise AssertionError("offering the buttons must not read the rows")

    common = {
        "n_sources": 1,
        "table": "events",
        "stem": "s",
        "zip_stem": "z",
        "dataset_label": "Test record",
        "kind": "public",
        "filters_text": "All India",
        "citation": "Cite me",
        "package": lambda: b"",
    }
    assert not downloads.downloads(unread, n_rows=10, **common)[1].disabled
    excel = downloads.downloads(unread, n_rows=11, **common)[1]
    assert excel.disabled and "CSV or Parquet" in excel.help


def test_distinct_sources_in_order_of_first_appearance() -> None:
    tables = {
        "a": pd.DataFrame({"source_url": ["u2", None, "u1", "u2"]}),
        "b": pd.DataFrame({"x": [1]}),  # no source column
        "c": pd.DataFrame({"source_url": ["u3", "u1"]}),
    }
    assert export_text.distinct_sources(tables) == ["u2", "u1", "u3"]


def test_file_downloads_build_bytes_only_when_pressed() -> None:
    """The Data coverage page offers its table through these: CSV, Excel and Parquet."""
    read: list[int] = []

    def rows() -> pd.DataFrame:
        read.append(1)
        return pd.DataFrame({"city": ["=cmd()", "Pune"], "n": [1, 2]})

    offers = downloads.file_downloads(
        rows, stem="smartcities_coverage_all", sheet_name="coverage", notes={"A": 1}, citation="C"
    )
    assert [d.key for d in offers] == ["csv", "xlsx", "parquet"] and not read
    assert [d.file_name for d in offers] == [
        "smartcities_coverage_all.csv",
        "smartcities_coverage_all.xlsx",
        "smartcities_coverage_all.parquet",
    ]
    assert offers[0].data().decode().splitlines()[1].startswith("'=cmd()")
    assert read and not any(d.disabled for d in offers)
    args = offers[0].button_args("coverage_dl_")
    assert args["key"] == "coverage_dl_csv" and args["file_name"].endswith(".csv")
