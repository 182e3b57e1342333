"""Loading end to end: the bundled public record, uploads, folders, merging, and failure that
never destroys the data already loaded."""

from __future__ import annotations

import copy
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from smartcities.config import BUNDLED_DATA, Limits
from smartcities.dataset import PUBLIC, UPLOADED, Dataset
from smartcities.load import (
    LoadResult,
    Source,
    detect_table,
    load_folder,
    load_public,
    load_sources,
    merge_over,
)
from smartcities.schema import TABLES, pandas_dtype

pytestmark = pytest.mark.unit

SRC = "https://example.org/report"
PROGRESS_HEADER = "as_of_date,level,area_id,area_name,state_ut,metric,value,unit,source_url,note"


@pytest.fixture(scope="module")
def public() -> Dataset:
    return load_public()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def upload(*files: tuple[str, bytes], **kw) -> LoadResult:
    return load_sources([Source(n, d) for n, d in files], **kw)


def issues(result: LoadResult, severity: str | None = None) -> list:
    return [i for i in result.report.issues if severity is None or i.severity == severity]


def pune(metric: str, value: str, date: str = "2024-03-31") -> str:
    unit = "inr_crore" if metric.endswith("_inr_crore") else "count"
    return f"{date},city,,Pune,Maharashtra,{metric},{value},{unit},{SRC},"


# ------------------------------------------------------------------------------ public record


def test_public_record_loads_cleanly():
    result = load_folder(BUNDLED_DATA, limits=Limits(), kind=PUBLIC)
    assert result.report.errors == []
    assert result.report.warnings == []
    assert result.tables_found == {
        "cities.csv": "cities",
        "events.csv": "events",
        "iccc.csv": "iccc",
        "progress.csv": "progress",
    }
    assert all(len(p) <= 20 for p in result.previews.values())


def test_public_record_facts(public):
    assert public.kind == PUBLIC
    assert len(public.cities) == 100
    assert public.cities["city_id"].is_unique
    national = public.progress[public.progress["level"] == "national"]

    def latest(metric: str) -> pd.Series:
        rows = national[national["metric"] == metric].sort_values("as_of_date")
        return rows.iloc[-1]

    done = latest("projects_completed_count")
    assert done["as_of_date"] == pd.Timestamp("2026-01-15")
    assert done["value"] == 7767
    assert done["date_basis"] == "as_on"
    assert latest("projects_completed_inr_crore")["value"] == 155859
    assert latest("projects_completed_inr_crore")["as_of_date"] == pd.Timestamp("2026-01-15")
    assert latest("iccc_operational_count")["value"] == 100
    assert public.latest_as_of() == pd.Timestamp("2026-01-15")
    assert "15 Jan 2026" in public.label


def test_public_dtypes_and_column_order(public):
    for name, frame in public.tables.items():
        table = TABLES[name]
        assert list(frame.columns) == table.columns, name
        for f in table.fields:
            assert str(frame[f.name].dtype) == pandas_dtype(f), (name, f.name)


def test_public_matches_the_csv_text(public):
    """Normalisation changes nothing in clean data: every cell reads back as written."""
    for name, frame in public.tables.items():
        text = pd.read_csv(BUNDLED_DATA / f"{name}.csv", dtype=str, keep_default_na=False)
        for col in text.columns:
            got = frame[col]
            if str(got.dtype).startswith("datetime"):
                got = got.dt.strftime("%Y-%m-%d")
            elif got.dtype == "float64":
                want = pd.to_numeric(text[col].replace("", None))
                pd.testing.assert_series_equal(got, want, check_names=False)
                continue
            assert got.fillna("").tolist() == text[col].tolist(), (name, col)


def test_detect_table_public_headers():
    for name in ("cities", "progress", "iccc", "events"):
        header = (BUNDLED_DATA / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert detect_table(header.split(",")) == name
    assert detect_table(["state_id", "state_ut", "iso_code"]) is None


# ------------------------------------------------------------------------------ failure is safe


def test_bad_file_leaves_the_good_data_in_place(public):
    before = {name: frame.copy(deep=True) for name, frame in public.tables.items()}
    label, files = public.label, public.files

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["city_id"])
    buf = io.BytesIO()
    wb.save(buf)
    bad = upload(("progress.csv", buf.getvalue()), ("empty.csv", b""))
    assert bad.dataset is None
    assert len(bad.report.errors) == 2

    all_rows_bad = upload(("p.csv", csv(PROGRESS_HEADER, pune("projects_completed_count", "-1"))))
    assert all_rows_bad.dataset is None
    partly_bad = upload(
        (
            "p.csv",
            csv(
                PROGRESS_HEADER,
                pune("projects_completed_count", "-1"),
                pune("projects_ongoing_count", "4"),
            ),
        )
    )
    assert partly_bad.dataset is not public
    assert len(partly_bad.dataset.progress) == 1

    # The old dataset object is untouched and still answers questions.
    assert public.label == label and public.files == files
    for name, frame in public.tables.items():
        pd.testing.assert_frame_equal(frame, before[name])
    assert public.latest_as_of() == pd.Timestamp("2026-01-15")
    assert len(public.cities) == 100


def test_each_load_returns_a_new_dataset(public):
    again = load_public()
    assert again is not public
    assert again.tables["cities"] is not public.tables["cities"]


# ------------------------------------------------------------------------------ uploads


def test_upload_without_cities_uses_the_reference(public):
    result = upload(("p.csv", csv(PROGRESS_HEADER, pune("projects_completed_count", "120"))))
    assert result.report.ok
    data = result.dataset
    assert data.kind == UPLOADED
    assert "p.csv" in data.label
    assert len(data.cities) == 100
    assert data.notes
    row = data.progress.iloc[0]
    assert (row["area_id"], row["value"]) == ("pune", 120.0)


def test_upload_dtypes(public):
    result = upload(("i.csv", csv("City,Status,Date,Cost (Rs crore)", "Pune,live,01/12/2025,95")))
    frame = result.dataset.table("iccc")
    assert list(frame.columns) == TABLES["iccc"].columns
    for f in TABLES["iccc"].fields:
        assert str(frame[f.name].dtype) == pandas_dtype(f)


def test_missing_required_column_rejects_the_file():
    result = upload(("i.csv", csv("city_id,stage_date,source_url", "pune,2025-01-01,x")))
    assert result.dataset is None
    (error,) = result.report.errors
    assert "missing required column" in error.message
    assert "stage" in error.message
    assert "city_id, stage, stage_date, date_basis" in error.fix
    assert result.tables_found == {"i.csv": "iccc"}


def test_file_name_breaks_a_detection_tie():
    result = upload(("iccc.csv", csv("city_id", "pune")))
    assert result.tables_found == {"iccc.csv": "iccc"}
    assert "stage, stage_date" in result.report.errors[0].message


def test_extra_columns_warn():
    result = upload(
        ("p.csv", csv(PROGRESS_HEADER + ",Remarks2", pune("projects_completed_count", "5") + ",x"))
    )
    assert result.report.ok
    assert any("Remarks2" in i.message for i in result.report.warnings)


def test_bad_rows_dropped_good_rows_kept():
    result = upload(
        (
            "p.csv",
            csv(
                PROGRESS_HEADER,
                pune("work_orders_issued_count", "150"),
                pune("projects_completed_count", "-1"),
                pune("projects_tendered_count", "160", date="31/02/2024"),
                pune("projects_ongoing_count", "30"),
            ),
        )
    )
    assert result.dataset.progress["metric"].tolist() == [
        "work_orders_issued_count",
        "projects_ongoing_count",
    ]
    rows = {(i.column, i.row) for i in result.report.errors if i.row}
    assert rows == {("value", 3), ("as_of_date", 4)}
    assert any("2 of 4 row(s)" in i.message for i in result.report.errors)


def test_duplicate_keys_across_files():
    a = csv(PROGRESS_HEADER, pune("projects_completed_count", "120"))
    b = csv(
        PROGRESS_HEADER,
        pune("projects_ongoing_count", "3"),
        pune("projects_completed_count", "125"),
    )
    result = upload(("a.csv", a), ("b.csv", b))
    error, summary = result.report.errors
    assert error.file == "b.csv" and error.row == 3
    assert "duplicate key" in error.message and "a.csv" in error.message
    assert result.dataset.progress["value"].tolist() == [120.0, 3.0]
    # The file's count of rows left out includes the duplicate found across files.
    assert summary.file == "b.csv" and summary.row is None
    assert "1 of 2 row(s) were not used" in summary.message
    assert result.row_counts == {"a.csv": (1, 1), "b.csv": (2, 1)}


def test_exact_duplicates_warn_and_are_dropped():
    row = pune("projects_completed_count", "120")
    result = upload(("p.csv", csv(PROGRESS_HEADER, row, row)))
    assert result.report.ok
    (warning,) = result.report.warnings
    assert "exact duplicate of row 2" in warning.message
    assert len(result.dataset.progress) == 1


def test_unknown_city_error_with_suggestion():
    result = upload(
        (
            "p.csv",
            csv(
                PROGRESS_HEADER,
                pune("projects_completed_count", "1").replace("Pune", "Visakapatnam"),
            ),
        )
    )
    error = result.report.errors[0]
    assert (error.column, error.row) == ("area_name", 2)
    assert "Did you mean Visakhapatnam?" in error.fix


def test_stage_contradictions_warn():
    result = upload(
        (
            "p.csv",
            csv(
                PROGRESS_HEADER,
                pune("work_orders_issued_count", "100"),
                pune("projects_completed_count", "130"),
                pune("work_orders_issued_inr_crore", "500"),
                pune("projects_tendered_inr_crore", "400"),
                pune("central_funds_released_inr_crore", "10"),
                pune("funds_utilised_inr_crore", "12"),
            ),
        )
    )
    assert result.report.ok
    warned = sorted((i.row, i.message.split(" (")[0]) for i in result.report.warnings)
    assert warned == [
        (3, "Projects completed"),
        (4, "Value of work orders issued"),
        (7, "Central funds utilised"),
    ]


def test_project_checks():
    header = "project_id,city,project_name,cost,stage,tendered_date,work_order_date,completed_date"
    result = upload(
        (
            "projects.csv",
            csv(
                header,
                "P1,Pune,Smart roads,45.5,completed,01/03/2017,15/09/2017,28/02/2020",
                "P2,Pune,ICCC,₹120 cr,completed,01/03/2019,01/01/2019,",
                "P3,Pune,Water,-3,tendered,,,",
                "P4,Nowhere,Parks,1,tendered,,,",
            ),
        )
    )
    projects = result.dataset.table("projects")
    assert projects["project_id"].tolist() == ["P1", "P2"]
    assert projects["cost_inr_crore"].tolist() == [45.5, 120.0]
    assert any("before" in w.message and w.row == 3 for w in result.report.warnings)
    assert {e.row for e in result.report.errors if e.row} == {4, 5}


def test_cities_upload_with_references_checked_against_it():
    cities = csv("city,state", "Pune,Maharashtra", "Bangalore,Karnataka")
    iccc = csv(
        "city_id,stage,stage_date,source_url",
        "pune,operational,2024-01-01,x",
        "indore,operational,2024-01-01,x",
    )
    result = upload(("c.csv", cities), ("i.csv", iccc))
    data = result.dataset
    assert data.cities["city_id"].tolist() == ["pune", "bengaluru"]
    assert data.cities["latitude"].notna().all()  # from the reference
    assert data.table("iccc")["city_id"].tolist() == ["pune"]
    (error,) = result.report.errors[:1]
    assert "indore" in error.message.lower() and error.row == 3


def test_zip_upload_and_tables_found():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("progress.csv", csv(PROGRESS_HEADER, pune("projects_completed_count", "1")))
        zf.writestr(
            "events.csv",
            csv("event_date,event,category,source_url", "01 Dec 2025,Something,status,x"),
        )
        zf.writestr("../evil.csv", b"a\n1\n")
    result = upload(("bundle.zip", buf.getvalue()))
    assert result.tables_found == {
        "bundle.zip/progress.csv": "progress",
        "bundle.zip/events.csv": "events",
    }
    assert len(result.report.errors) == 1
    assert set(result.dataset.tables) == {"progress", "events", "cities"}


def test_refused_archive_is_listed_as_unknown():
    import gzip

    bomb = gzip.compress(b"a,b\n" + b"0,0\n" * 500_000)
    result = upload(("bomb.csv.gz", bomb), limits=Limits(max_decompressed_bytes=1 << 20))
    assert result.dataset is None
    assert result.tables_found == {"bomb.csv.gz": "unknown"}


def test_too_many_rows_refused():
    lines = [pune("projects_completed_count", str(i), date=f"2024-01-{i:02d}") for i in range(1, 6)]
    result = upload(("p.csv", csv(PROGRESS_HEADER, *lines)), limits=Limits(max_rows=4))
    assert result.dataset is None
    assert "more than 4 rows" in result.report.errors[0].message


def test_limits_from_environment(monkeypatch):
    monkeypatch.setenv("SMARTCITIES_MAX_ROWS", "1")
    lines = [pune("projects_completed_count", "1"), pune("projects_ongoing_count", "1")]
    result = upload(("p.csv", csv(PROGRESS_HEADER, *lines)))
    assert result.dataset is None


def test_formula_text_is_kept():
    row = pune("projects_completed_count", "1").rstrip(",") + ',"=HYPERLINK(""http://x"")"'
    result = upload(("p.csv", csv(PROGRESS_HEADER, row)))
    assert result.report.ok
    assert result.dataset.progress["note"].iat[0] == '=HYPERLINK("http://x")'
    assert any("formula" in w.message for w in result.report.warnings)


@pytest.mark.parametrize(
    "note, warned",
    [
        ("\uff1dSUM(A1)", True),  # fullwidth ＝, a formula to spreadsheets in CJK locales
        ("\uff20cmd", True),  # fullwidth ＠
        ("\uff0bcmd", True),  # fullwidth ＋ before a letter
        ("\uff0d5", False),  # fullwidth － before a number: a number, as with "-5"
        ("- a list item", False),
        ("plain note", False),
    ],
)
def test_formula_like_text_is_warned_about_with_the_export_prefixes(note, warned):
    """The loader warns about the same formula starts that downloads neutralise."""
    row = pune("projects_completed_count", "1").rstrip(",") + f",{note}"
    result = upload(("p.csv", csv(PROGRESS_HEADER, row)))
    assert result.report.ok and result.dataset.progress["note"].iat[0] == note
    formula = [w for w in result.report.warnings if "formula" in w.message]
    assert bool(formula) is warned
    if warned:
        assert formula[0].value == note and formula[0].column == "note"


# ------------------------------------------------------------------------------ folders


def copy_public(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("cities.csv", "progress.csv", "iccc.csv", "events.csv", "aliases.csv"):
        (folder / name).write_bytes((BUNDLED_DATA / name).read_bytes())
    return folder


def test_folder_refuses_symlinks_and_ignores_reference_files(tmp_path):
    folder = copy_public(tmp_path)
    outside = tmp_path / "secret.csv"
    outside.write_text("city_id,city_name\nx,y\n")
    os.symlink(outside, folder / "linked.csv")
    (folder / "README.md").write_text("# notes")
    (folder / "states.csv").write_bytes((BUNDLED_DATA / "states.csv").read_bytes())
    (folder / "notes.txt.bak").write_text("x")
    (folder / "sheet.xlsx").write_bytes(b"PK")
    result = load_folder(folder)
    errors = result.report.errors
    assert [(e.file, "symbolic link" in e.message) for e in errors] == [("linked.csv", True)]
    assert "linked.csv" not in result.tables_found
    assert set(result.tables_found) == {"cities.csv", "events.csv", "iccc.csv", "progress.csv"}
    assert any(w.file == "sheet.xlsx" for w in result.report.warnings)
    assert len(result.dataset.cities) == 100


def test_folder_oversized_file_refused_before_reading(tmp_path):
    folder = copy_public(tmp_path)
    result = load_folder(folder, limits=Limits(max_file_bytes=20_000))
    too_big = {e.file for e in result.report.errors if "larger than the limit" in e.message}
    assert too_big == {
        p.name
        for p in folder.glob("*.csv")
        if p.stat().st_size > 20_000 and p.name != "aliases.csv"
    }


def test_missing_folder():
    result = load_folder(Path("/nonexistent/data"))
    assert result.dataset is None
    assert "not found" in result.report.errors[0].message


def test_gzip_and_parquet_in_folder(tmp_path, public):
    import gzip

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "cities.csv.gz").write_bytes(
        gzip.compress((BUNDLED_DATA / "cities.csv").read_bytes())
    )
    public.progress.to_parquet(folder / "progress.parquet", index=False)
    result = load_folder(folder, kind=UPLOADED)
    assert result.report.errors == []
    assert len(result.dataset.cities) == 100
    pd.testing.assert_frame_equal(result.dataset.progress, public.progress)


# ------------------------------------------------------------------------------ merging


def national_completed(progress: pd.DataFrame) -> pd.DataFrame:
    return progress[
        (progress["level"] == "national")
        & (progress["metric"] == "projects_completed_count")
        & (progress["as_of_date"] == pd.Timestamp("2025-12-01"))
    ]


def test_merge_over(public):
    source = national_completed(public.progress)["source_url"].iat[0]
    new = upload(
        (
            "p.csv",
            csv(
                PROGRESS_HEADER,
                pune("projects_completed_count", "120"),
                # Same key as a bundled national row, different value: replaces it.
                f"2025-12-01,national,india,India,,projects_completed_count,7800,count,{source},",
            ),
        )
    ).dataset
    snapshot = copy.deepcopy(dict(public.tables))
    merged, summary = merge_over(public, new)
    assert merged.kind == UPLOADED
    assert new.label in merged.label and public.label in merged.label
    by_table = summary.set_index("table")
    assert by_table.loc["progress"].tolist() == [1, 1, 0]
    assert by_table.loc["cities"].tolist() == [0, 0, 100]
    assert list(summary.columns) == ["table", "added", "replaced", "unchanged"]
    progress = merged.progress
    assert len(progress) == len(public.progress) + 1
    national = national_completed(progress)
    assert national["value"].tolist() == [7800.0]
    for f in TABLES["progress"].fields:
        assert str(progress[f.name].dtype) == pandas_dtype(f)
    for name, frame in public.tables.items():  # the base is not modified
        pd.testing.assert_frame_equal(frame, snapshot[name])


# ------------------------------------------------------------------------------ bad-file cases


def _fixture_cases():
    from tests import fixtures_bad

    return fixtures_bad.all_cases()


@pytest.mark.parametrize("case", _fixture_cases(), ids=lambda c: c.id)
def test_shared_bad_file_cases(case, monkeypatch):
    """The cases the app and browser tests upload give the report they expect."""
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    result = upload((case.name, case.data))
    worst = "error" if result.report.errors else "warning" if result.report.warnings else ""
    assert worst == case.severity
    hits = [i for i in result.report.issues if case.message.lower() in i.message.lower()]
    assert hits, [i.message for i in result.report.issues]
    if case.column:
        assert any(i.column == case.column for i in hits)
    if case.row is not None:
        assert any(i.row == case.row for i in hits)
    assert (result.dataset is not None) == case.usable


def test_folder_with_two_files_for_one_table_says_which_wins(tmp_path):
    """``cities (1).csv`` sorts before ``cities.csv``: the loader names the file it keeps
    rather than preferring one silently."""
    from tests import hostile

    (tmp_path / "cities.csv").write_bytes(hostile.cities_csv())
    (tmp_path / "cities (1).csv").write_bytes(hostile.cities_csv())
    result = load_folder(tmp_path, kind=UPLOADED)
    [warning] = [i for i in result.report.warnings if "also holds the cities table" in i.message]
    assert warning.file == "cities.csv" and "'cities (1).csv'" in warning.message
    assert warning.fix
