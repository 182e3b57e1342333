"""The compiled store: the same tables and report as loading directly, atomic, read-only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from smartcities.__main__ import main
from smartcities.config import BUNDLED_DATA, ROOT, Limits
from smartcities.load import load_folder
from smartcities.query import Engine, Scope
from smartcities.store import FORMAT_VERSION
from smartcities.store.build import build_store
from smartcities.store.cache import content_key
from smartcities.store.open import (
    StoreError,
    open_store,
    read_files,
    read_meta,
    read_report,
    read_table,
)

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [
            sys.executable,
            "scripts/make_synthetic.py",
            "--cities",
            "60",
            "--out",
            str(out),
            "--format",
            "parquet",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def assert_same_as_loader(folder: Path, store: Path, **load_kw) -> None:
    """Every table, the report, kind, label and file list equal load_folder's."""
    direct = load_folder(folder, **load_kw)
    assert direct.dataset is not None
    pd.testing.assert_frame_equal(direct.report.to_frame(), read_report(store).to_frame())
    dataset, engine = open_store(store)
    try:
        assert (dataset.kind, dataset.label) == (direct.dataset.kind, direct.dataset.label)
        assert dataset.files == direct.dataset.files
        assert dataset.notes == direct.dataset.notes
        assert set(dataset.tables) == set(direct.dataset.tables)
        for name, expected in direct.dataset.tables.items():
            got = read_table(store, name)
            # The loader keeps large tables' repetitive text as categories; values are equal.
            expected = pd.DataFrame({c: expected[c].astype(got[c].dtype) for c in expected.columns})
            pd.testing.assert_frame_equal(expected.reset_index(drop=True), got, obj=name)
        assert dataset.latest_as_of() == direct.dataset.latest_as_of()
    finally:
        engine.close()


def test_bundled_folder_store_matches_loading_it(tmp_path):
    out = tmp_path / "public.duckdb"
    result = build_store(BUNDLED_DATA, out)
    assert result.store == out and out.is_file()
    assert result.bulk_tables == ()
    assert_same_as_loader(BUNDLED_DATA, out)


def test_large_parquet_tables_go_in_bulk_with_the_same_result(tmp_path, synthetic_folder):
    out = tmp_path / "synthetic.duckdb"
    result = build_store(synthetic_folder, out, fast_min_rows=0)
    assert result.bulk_tables == ("progress", "projects"), result.bulk_fallback
    assert result.kind == "synthetic"
    assert result.report.warnings, "the sample has stage and reconciliation warnings"
    assert_same_as_loader(synthetic_folder, out)


def test_bulk_path_over_several_files_names_each_file_and_line(tmp_path, synthetic_folder):
    folder = tmp_path / "split"
    shutil.copytree(synthetic_folder, folder)
    progress = pd.read_parquet(folder / "progress.parquet")
    (folder / "progress.parquet").unlink()
    half = len(progress) // 2
    # A completed count above the work orders issued: a warning that names file and line.
    keys = ["as_of_date", "level", "area_id"]
    issued = progress.loc[progress["metric"] == "work_orders_issued_count", keys]
    done = progress[(progress["metric"] == "projects_completed_count") & (progress.index >= half)]
    later = done.reset_index().merge(issued, on=keys)["index"]
    assert len(later), "the sample has completed and issued counts for one area and date"
    progress.loc[later[0], "value"] = 9e7  # above the work orders, below the plausible maximum
    progress.iloc[:half].to_parquet(folder / "progress.1.parquet", index=False)
    progress.iloc[half:].to_parquet(folder / "progress.2.parquet", index=False)
    out = tmp_path / "split.duckdb"
    result = build_store(folder, out, fast_min_rows=0)
    assert result.bulk_tables == ("progress", "projects"), result.bulk_fallback
    flagged = [i for i in result.report.warnings if i.file == "progress.2.parquet" and i.row]
    assert flagged and flagged[0].row == later[0] - half + 2
    # Two files hold the progress table: said, as the loader says it.
    assert any("also holds the progress table" in i.message for i in result.report.warnings)
    assert_same_as_loader(folder, out)


def test_bulk_path_falls_back_to_the_loader_for_a_bad_row(tmp_path, synthetic_folder):
    folder = tmp_path / "bad"
    shutil.copytree(synthetic_folder, folder)
    progress = pd.read_parquet(folder / "progress.parquet")
    progress.loc[5, "value"] = -3.0
    progress.loc[7, "level"] = "  City "  # the normaliser cleans this: not contract form
    progress.to_parquet(folder / "progress.parquet", index=False)
    out = tmp_path / "bad.duckdb"
    result = build_store(folder, out, fast_min_rows=0)
    assert result.bulk_tables == ()
    assert "value" in result.bulk_fallback
    assert any("negative" in i.message and i.row == 7 for i in result.report.errors)
    assert_same_as_loader(folder, out)


def test_probe_catches_what_only_the_normaliser_knows(tmp_path, synthetic_folder):
    folder = tmp_path / "names"
    shutil.copytree(synthetic_folder, folder)
    progress = pd.read_parquet(folder / "progress.parquet")
    city = progress.index[progress["level"] == "city"][0]
    progress.loc[city, "state_ut"] = progress.loc[city, "state_ut"].upper()
    progress.to_parquet(folder / "progress.parquet", index=False)
    result = build_store(folder, tmp_path / "names.duckdb", fast_min_rows=0)
    assert result.bulk_tables == ()
    assert "normaliser" in result.bulk_fallback
    assert_same_as_loader(folder, tmp_path / "names.duckdb")


def test_a_table_in_a_file_of_another_name_goes_to_the_loader(tmp_path, synthetic_folder):
    folder = tmp_path / "named"
    shutil.copytree(synthetic_folder, folder)
    projects = pd.read_parquet(folder / "projects.parquet")
    (folder / "projects.parquet").unlink()
    projects.to_csv(folder / "mis_export.csv", index=False)  # recognised by its columns
    out = tmp_path / "named.duckdb"
    result = build_store(folder, out, fast_min_rows=0)
    assert result.bulk_tables == ()
    assert "mis_export.csv" in result.bulk_fallback
    assert_same_as_loader(folder, out)


def test_failed_build_leaves_the_previous_store_untouched(tmp_path):
    out = tmp_path / "store.duckdb"
    assert build_store(BUNDLED_DATA, out).store == out
    before = out.read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "cities.csv").write_bytes(b"")
    result = build_store(bad, out)
    assert result.store is None
    assert not result.report.ok
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "store.duckdb"]  # no leftovers


def test_strict_build_writes_nothing_when_the_report_has_errors(tmp_path, synthetic_folder):
    folder = tmp_path / "err"
    shutil.copytree(synthetic_folder, folder)
    progress = pd.read_parquet(folder / "progress.parquet")
    progress.loc[3, "metric"] = "no_such_metric"
    progress.to_parquet(folder / "progress.parquet", index=False)
    out = tmp_path / "err.duckdb"
    assert build_store(folder, out, strict=True).store is None
    assert not out.exists()
    assert build_store(folder, out).store == out  # without --strict: the good rows are served


def test_provenance_and_metadata(tmp_path):
    out = tmp_path / "p.duckdb"
    build_store(BUNDLED_DATA, out, label="Test label")
    meta = read_meta(out)
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["kind"] == "public" and meta["label"] == "Test label"
    assert meta["code_version"] and meta["built_at"]
    files = read_files(out)
    assert "cities.csv" in set(files["file"])
    row = files.set_index("file").loc["cities.csv"]
    assert row["bytes"] == (BUNDLED_DATA / "cities.csv").stat().st_size
    import hashlib

    assert row["sha256"] == hashlib.sha256((BUNDLED_DATA / "cities.csv").read_bytes()).hexdigest()


def test_store_engine_answers_as_the_in_memory_engine(tmp_path, synthetic_folder):
    out = tmp_path / "q.duckdb"
    build_store(synthetic_folder, out, fast_min_rows=0)
    dataset, stored = open_store(out)
    memory = Engine(load_folder(synthetic_folder).dataset)
    try:
        state = stored.cities(Scope())["state_ut"].iloc[0]
        for scope in (Scope(), Scope(state_ut=state), Scope(round="Round 1")):
            pd.testing.assert_frame_equal(stored.latest(scope), memory.latest(scope))
            pd.testing.assert_frame_equal(stored.cities(scope), memory.cities(scope))
        assert stored.report_dates() == memory.report_dates()
        assert stored.distinct("progress", "metric") == memory.distinct("progress", "metric")
        assert stored.row_count("projects") == memory.row_count("projects")
        assert stored.has_projects(Scope()) and memory.has_projects(Scope())
        for by in ("sector", "component"):
            pd.testing.assert_frame_equal(
                stored.funnel_breakdown(Scope(), by, "inr_crore", None),
                memory.funnel_breakdown(Scope(), by, "inr_crore", None),
            )
        a = stored.source_counts().sort_values(["table", "source_url"], ignore_index=True)
        b = memory.source_counts().sort_values(["table", "source_url"], ignore_index=True)
        pd.testing.assert_frame_equal(a, b)
    finally:
        stored.close()
        memory.close()


def test_store_is_opened_read_only(tmp_path):
    out = tmp_path / "ro.duckdb"
    build_store(BUNDLED_DATA, out)
    _, engine = open_store(out)
    try:
        with pytest.raises(duckdb.Error):
            engine.query("DELETE FROM store.main.cities")
    finally:
        engine.close()


def test_not_a_store_and_other_format(tmp_path):
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database")
    with pytest.raises(StoreError):
        open_store(junk)
    other = tmp_path / "other.duckdb"
    build_store(BUNDLED_DATA, other)
    con = duckdb.connect(str(other))
    con.execute("UPDATE _meta SET value = '999' WHERE key = 'format_version'")
    con.close()
    with pytest.raises(StoreError, match="format 999"):
        open_store(other)


def test_zip_source(tmp_path):
    import zipfile

    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in ("cities.csv", "progress.csv", "iccc.csv", "events.csv"):
            z.write(BUNDLED_DATA / name, name)
    result = build_store(archive, tmp_path / "z.duckdb")
    assert result.store is not None and result.report.ok
    assert result.rows["progress"] == len(load_folder(BUNDLED_DATA).dataset.progress)


def test_content_key_follows_the_files_and_limits(tmp_path):
    folder = tmp_path / "f"
    shutil.copytree(BUNDLED_DATA, folder)
    key = content_key(folder, kind="public", label=None, limits=Limits())
    assert key == content_key(folder, kind="public", label=None, limits=Limits())
    assert key != content_key(folder, kind="public", label=None, limits=Limits(max_rows=5))
    with open(folder / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert key != content_key(folder, kind="public", label=None, limits=Limits())


def test_command_line(tmp_path, capsys):
    out = tmp_path / "cli.duckdb"
    assert main(["build", str(BUNDLED_DATA), "--out", str(out)]) == 0
    assert out.is_file()
    assert "Store written to" in capsys.readouterr().out
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "progress.csv").write_text("nothing,useful\n1,2\n", encoding="utf-8")
    before = out.read_bytes()
    assert main(["build", str(bad), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "ERROR: progress.csv" in captured.out
    assert "unchanged" in captured.err
    assert out.read_bytes() == before


@pytest.mark.parametrize("rule", ["aliases.csv", "synonyms/values.csv", "vocab"])
def test_code_version_follows_the_rules_kept_as_data(tmp_path, monkeypatch, rule):
    """A cached store keyed by code_version must be rebuilt when a reviewed rule file changes
    (an alias, a synonym, a GMIS vocabulary term), not only when Python code does."""
    import smartcities.store.build as build

    copy = tmp_path / "data"
    shutil.copytree(build.BUNDLED_DATA, copy)
    monkeypatch.setattr(build, "BUNDLED_DATA", copy)
    before = build.code_version()
    target = copy / rule
    if target.is_dir():
        target = sorted(target.rglob("*.csv"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build.code_version() != before


def test_asking_whether_a_table_is_there_reads_nothing(tmp_path, synthetic_folder, monkeypatch):
    """Serving a store reads a table only when a page needs its rows: at a million projects
    ``"projects" in dataset.tables`` once copied them all into pandas (0.3 → 1.8 GB)."""
    import smartcities.store.open as store_open

    out = tmp_path / "t.duckdb"
    build_store(synthetic_folder, out, fast_min_rows=0)
    dataset, engine = open_store(out)
    read: list[str] = []
    real = store_open.read_table
    monkeypatch.setattr(store_open, "read_table", lambda p, n: read.append(n) or real(p, n))
    try:
        assert "projects" in dataset.tables and "nothing" not in dataset.tables
        assert set(dataset.tables) >= {"cities", "progress", "projects"}
        assert engine.has_projects(Scope())
        assert read == []
    finally:
        engine.close()
