"""The mission's own project export (GMIS layout) read as published, against hand counts."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from smartcities import gmis, projects_view
from smartcities.config import BUNDLED_DATA
from smartcities.derive import DERIVED_SOURCE
from smartcities.load import LoadResult, Source, load_folder, load_public, load_sources, merge_over
from smartcities.ui import upload
from tests import fixtures_gmis as fg

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def result() -> LoadResult:
    out = load_sources([Source(fg.NAME, fg.export_csv())])
    assert out.dataset is not None, out.report.to_frame().to_string()
    return out


def issues(result: LoadResult) -> pd.DataFrame:
    return result.report.to_frame()


def test_fixture_is_the_layout_in_order_with_multiline_cells() -> None:
    text = fg.export_csv().decode()
    header = fg.header()
    assert header[:3] == ["S No.", "Project ID", "State Name"]
    assert header[-4:] == ["Verified By Board", "Round", "Geo Tag", "Ward No."]
    assert len(header) == len(gmis.export_columns()) + 2
    assert '"Phase 1 done\nPhase 2 done"' in text
    assert gmis.recognise(header)
    # A plain projects table, or a file merely mentioning a milestone, is not the export.
    assert not gmis.recognise(["project_id", "city_id", "project_name", "cost_inr_crore", "stage"])
    assert not gmis.recognise(["Project ID", "City Name", "Milestone", "Cost"])


def test_recognised_by_columns_not_name() -> None:
    out = load_sources([Source("anything.csv", fg.export_csv())])
    assert out.tables_found == {"anything.csv": "projects"}
    assert any("GMIS layout" in i.message for i in out.report.warnings)


def test_rows_used_and_not_used_agree_with_the_report(result: LoadResult) -> None:
    assert result.row_counts == {fg.NAME: (fg.ROWS_READ, fg.ROWS_USED)}
    frame = issues(result)
    dropped = frame[frame["message"].str.contains("row not used|unknown city", regex=True)]
    assert dict(zip(dropped["row"], dropped["column"], strict=True)) == fg.NOT_USED
    (summary,) = [i for i in result.report.errors if "were not used" in i.message]
    assert summary.message.startswith(f"2 of {fg.ROWS_READ} row(s) were not used")
    assert len(result.dataset.table("projects")) == fg.ROWS_USED


def test_stages_map_onto_the_ladder_by_hand_count(result: LoadResult) -> None:
    projects = result.dataset.table("projects")
    assert projects["stage"].value_counts().to_dict() == fg.STAGE_COUNTS
    no_milestone = projects.set_index("project_id").loc["MAH-PUN-003"]
    assert no_milestone["stage"] == "work_order_issued"  # from its work-order date


def test_cost_is_work_order_else_estimated_and_says_which(result: LoadResult) -> None:
    projects = result.dataset.table("projects").set_index("project_id")
    for pid, (cost, basis) in fg.COSTS.items():
        assert projects.loc[pid, "cost_inr_crore"] == cost
        assert projects.loc[pid, "cost_basis"] == basis
    assert projects.loc["ODI-BHU-001", "estimated_cost_inr_crore"] == 120.5
    assert projects.loc["UP-ALD-002", "ppp_inr_crore"] == 25
    assert projects.loc["ODI-BHU-001", "convergence_inr_crore"] == 10.25


def test_names_categories_iccc_and_progress(result: LoadResult) -> None:
    projects = result.dataset.table("projects").set_index("project_id")
    assert projects.loc["UP-ALD-001", "city_id"] == "prayagraj"  # Allahabad, renamed
    assert projects.loc["ODI-BHU-002", "state_ut"] == "Odisha"  # Orissa, renamed
    assert projects.index[projects["iccc_flag"] == 1].tolist() == ["ODI-BHU-002"]
    assert projects.loc["ODI-BHU-001", "component"] == "area_based"
    assert projects.loc["ODI-BHU-002", "component"] == "pan_city"
    assert pd.isna(projects.loc["UP-ALD-003", "component"])  # "Smart Solutions": neither
    assert projects.loc["ODI-BHU-002", "physical_progress_pct"] == 80  # "80%"
    assert projects.loc["ODI-BHU-002", "updated_on"] == pd.Timestamp("2019-07-15")
    assert projects.loc["ODI-BHU-001", "completed_date"] == pd.Timestamp("2019-06-30")
    assert pd.isna(projects.loc["ODI-BHU-003", "financial_progress_inr_crore"])  # "NA"
    warnings = " ".join(i.message for i in result.report.warnings)
    assert "Allahabad → Prayagraj" in warnings
    assert "'Smart Solutions'" in warnings


def test_impossible_dates_are_errors_for_the_field_only(result: LoadResult) -> None:
    frame = issues(result).set_index("row")
    future = frame.loc[7]
    assert future["column"] == "RFP / Tender Issued" and future["value"] == "18/05/2031"
    assert "after today" in future["message"] and "rest of the row is used" in future["message"]
    early = frame.loc[8]
    assert (
        early["column"] == "DPR Approved"
        and "before the mission was launched" in (early["message"])
    )
    projects = result.dataset.table("projects").set_index("project_id")
    assert pd.isna(projects.loc["UP-ALD-002", "tendered_date"])
    assert projects.loc["UP-ALD-002", "stage"] == "tendered"
    # The 2031 typo never moves the "as on" date.
    assert result.dataset.latest_as_of() == pd.Timestamp(fg.LATEST_UPDATE)


def test_optional_detail_out_of_range_loses_the_cell_not_the_project(result: LoadResult) -> None:
    row = issues(result).set_index("row").loc[5]
    assert row["column"] == "Physical Progress" and row["value"] == "150"
    projects = result.dataset.table("projects").set_index("project_id")
    assert pd.isna(projects.loc["ODI-BHU-004", "physical_progress_pct"])


def test_every_ignored_column_is_listed_in_the_files_own_words(result: LoadResult) -> None:
    messages = [i.message for i in result.report.warnings]
    not_kept = next(m for m in messages if "export column(s) not kept" in m)
    kept_out = [e for e, c in gmis.export_columns() if not c]
    assert not_kept.startswith(f"{len(kept_out)} export column(s)")
    assert all(f"'{c}'" in not_kept for c in kept_out)
    unknown = next(m for m in messages if "not in the export's layout" in m)
    assert "'Geo Tag'" in unknown and "'Ward No.'" in unknown
    # No internal names in the messages about the file's cells.
    frame = issues(result)
    own = frame[frame["row"].notna()]
    assert not own["column"].str.contains("_").any()


def test_derived_city_progress_equals_the_fixture_sums(result: LoadResult) -> None:
    progress = result.dataset.progress
    derived = progress[progress["source_url"] == DERIVED_SOURCE]
    latest = derived[derived["as_of_date"] == pd.Timestamp(fg.LATEST_UPDATE)]
    names = {
        "tendered": "projects_tendered",
        "work_orders": "work_orders_issued",
        "completed": "projects_completed",
    }
    for city, stages in fg.CITY_PROGRESS.items():
        rows = latest[(latest["level"] == "city") & (latest["area_id"] == city)]
        values = rows.set_index("metric")["value"]
        for stage, (count, crore) in stages.items():
            assert values[f"{names[stage]}_count"] == count, (city, stage)
            assert values[f"{names[stage]}_inr_crore"] == pytest.approx(crore), (city, stage)
    national = latest[latest["level"] == "national"].set_index("metric")["value"]
    assert national["projects_tendered_count"] == sum(
        s["tendered"][0] for s in fg.CITY_PROGRESS.values()
    )
    odisha = latest[latest["area_id"] == "odisha"].set_index("metric")["value"]
    assert odisha["work_orders_issued_inr_crore"] == pytest.approx(195.25)


def test_a_file_that_gave_nothing_never_names_the_data_set() -> None:
    useless = fg.export_csv().replace(b"Work Completed", b"Paused").replace(b'"Tender', b'"X')
    # Every city unknown: the export contributes no row.
    useless = (
        useless.replace(b"Bhubaneswar", b"Nowhere")
        .replace(b"Allahabad", b"Nowhere")
        .replace(b'"Pune"', b'"Nowhere"')
    )
    out = load_sources([Source(fg.NAME, useless), Source("cities.csv", fg.cities_csv())])
    assert out.dataset is not None
    assert out.row_counts[fg.NAME][1] == 0
    assert fg.NAME not in out.dataset.label and out.dataset.files == ("cities.csv",)
    assert fg.NAME in upload.excluded_files(out)
    alone = load_sources([Source(fg.NAME, useless)])
    assert alone.dataset is None


def test_merge_keeps_reported_figures_and_lists_projects() -> None:
    public = load_public()
    new = load_sources([Source(fg.NAME, fg.export_csv())]).dataset
    merged, summary = merge_over(public, new)
    assert summary.set_index("table").loc["projects", "added"] == fg.ROWS_USED
    assert merged.latest_as_of() == public.latest_as_of()
    progress = merged.progress
    national = progress[(progress["level"] == "national")]
    assert not (national["source_url"] == DERIVED_SOURCE).any()
    assert any("reported figures stand" in n for n in merged.notes)


def test_data_folder_reads_the_export(tmp_path) -> None:
    (tmp_path / "export.csv").write_bytes(fg.export_csv())
    # --data-dir: a folder with its own complete cities table (here the bundled one).
    (tmp_path / "cities.csv").write_bytes((BUNDLED_DATA / "cities.csv").read_bytes())
    out = load_folder(tmp_path, kind="uploaded")
    assert out.dataset is not None
    assert out.tables_found["export.csv"] == "projects"
    assert len(out.dataset.table("projects")) == fg.ROWS_USED
    assert out.row_counts["export.csv"] == (fg.ROWS_READ, fg.ROWS_USED)
    assert out.dataset.label == "Data folder " + tmp_path.name


def test_generic_projects_file_gets_the_same_date_rules() -> None:
    text = (
        "project_id,city_id,project_name,cost_inr_crore,stage,tendered_date\n"
        "P1,pune,Roads,10,tendered,01/01/2031\n"
        "P2,pune,Parks,5,tendered,01/01/2017\n"
    )
    out = load_sources([Source("p.csv", text.encode())])
    projects = out.dataset.table("projects")
    assert len(projects) == 2 and projects["tendered_date"].isna().tolist() == [True, False]
    (error,) = [i for i in out.report.errors if i.row == 2]
    assert error.column == "tendered_date" and "after today" in error.message


def test_page_models(result: LoadResult) -> None:
    projects = result.dataset.table("projects")
    bhubaneswar = projects[projects["city_id"] == "bhubaneswar"]
    shown = projects_view.city_projects(bhubaneswar)
    assert shown["stage"].tolist() == [
        "Completed",
        "Work order issued (under implementation)",
        "Tendered",
        "DPR under preparation",
    ]
    assert shown["component"].tolist()[:2] == ["Area-based development", "Pan-city solution"]
    table = projects_view.by_stage_and_sector(projects)
    assert table["projects"].sum() == fg.ROWS_USED
    by = projects_view.funnel_breakdown(projects, "component", "count", None).set_index("group")
    assert by.loc["Area-based development", "Tendered"] == 4  # BHU-001, -003, ALD-002, PUN-003
    assert by["Tendered"].sum() == 6
    assert by["Completed"].sum() == 2
    money = projects_view.funnel_breakdown(projects, "sector", "inr_crore", None)
    assert money["Completed"].sum() == pytest.approx(300.25)
    early = projects_view.funnel_breakdown(projects, "sector", "count", pd.Timestamp("2016-12-31"))
    assert early["Work order issued"].sum() == 1  # only the ICCC had a work order by then


def test_missing_column_points_at_the_files_own_column_that_fits() -> None:
    text = "project_id,city_name,project_name,cost_inr_crore,Project Stage\nP1,Pune,Roads,10,x\n"
    out = load_sources([Source("p.csv", text.encode())])
    (error,) = out.report.errors
    assert "missing required column(s) for the projects table: stage" in error.message
    assert error.fix.startswith("Rename: your column 'Project Stage' may be stage.")


def test_iccc_project_is_named(result: LoadResult) -> None:
    projects = result.dataset.table("projects")
    assert projects_view.iccc_projects(projects) == [
        "Integrated Command and Control Centre: work order issued (under implementation)"
    ]
    assert projects_view.iccc_projects(projects.iloc[0:0]) == []


def test_merge_never_lets_derived_figures_replace_a_citys_reported_ones() -> None:
    reported = (
        "as_of_date,level,city,metric,value,source_url\n"
        "2024-03-31,city,Pune,projects_completed_count,5,https://example.org/pune\n"
    )
    base = load_sources([Source("pune.csv", reported.encode())]).dataset
    new = load_sources([Source(fg.NAME, fg.export_csv())]).dataset
    merged, _ = merge_over(base, new)
    progress = merged.progress
    pune = progress[(progress["area_id"] == "pune") & (progress["level"] == "city")]
    completed = pune[pune["metric"] == "projects_completed_count"]
    assert completed["source_url"].tolist() == ["https://example.org/pune"]
    # What the city does not report is still derived from its projects.
    tendered = pune[pune["metric"] == "projects_tendered_count"]
    assert (tendered["source_url"] == DERIVED_SOURCE).all() and not tendered.empty


def test_a_state_that_is_not_the_citys_is_warned() -> None:
    wrong = fg.export_csv().replace(
        b'"Maharashtra","Pune","Cycle sharing"', b'"Goa","Pune","Cycle sharing"'
    )
    out = load_sources([Source(fg.NAME, wrong)])
    (warning,) = [i for i in out.report.warnings if i.row == 9]
    assert warning.column == "State Name" and "not the state of pune" in warning.message


def test_counts_agree_at_the_size_of_a_real_export() -> None:
    """About 6,600 projects (the fixture 600 times): rows used + not used = rows read, and
    each kind of problem is listed 50 times, then counted in one line."""
    header, *body = list(csv.reader(io.StringIO(fg.export_csv().decode(), newline="")))
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    key = header.index("Project ID")
    for k in range(600):
        writer.writerows([*r[:key], f"{r[key]}-{k}", *r[key + 1 :]] for r in body)
    out = load_sources([Source("big.csv", buf.getvalue().encode())])
    read, used = out.row_counts["big.csv"]
    assert (read, used) == (600 * fg.ROWS_READ, 600 * fg.ROWS_USED)
    summary = [i for i in out.report.errors if "were not used" in i.message]
    assert summary[0].message.startswith(f"{read - used} of {read} row(s) were not used")
    milestone = [i for i in out.report.errors if i.column == "Milestone"]
    assert len(milestone) == gmis.MAX_ROW_ISSUES + 1
    assert milestone[-1].message.startswith("550 more row(s)")


def test_an_export_without_its_milestone_column_takes_stages_from_dates() -> None:
    header, *body = list(csv.reader(io.StringIO(fg.export_csv().decode(), newline="")))
    drop = header.index("Milestone")
    buf = io.StringIO()
    csv.writer(buf).writerows([r[:drop] + r[drop + 1 :] for r in [header, *body]])
    out = load_sources([Source("no_milestone.csv", buf.getvalue().encode())])
    assert out.tables_found == {"no_milestone.csv": "projects"}
    stages = out.dataset.table("projects").set_index("project_id")["stage"]
    assert stages["ODI-BHU-001"] == "completed" and stages["ODI-BHU-003"] == "tendered"
    # Rows with no stage date at all cannot be placed: reported, not guessed.
    assert "ODI-BHU-004" not in stages.index
    assert any(i.row == 5 and i.column == "Milestone" for i in out.report.errors)


def test_state_figures_reconciled_only_where_the_projects_cover_every_city() -> None:
    reported = (
        "as_of_date,level,state_ut,metric,value,source_url\n"
        "2019-07-15,state,Odisha,projects_completed_count,5,https://example.org/odisha\n"
    )
    sources = [Source(fg.NAME, fg.export_csv()), Source("odisha.csv", reported.encode())]
    # The upload's own cities: Bhubaneswar is Odisha's only city, so its projects are the state's.
    whole = load_sources([*sources, Source("cities.csv", fg.cities_csv())])
    assert any(
        i.message.startswith("odisha: reported projects_completed_count 5")
        and "projects table gives 1" in i.message
        for i in whole.report.warnings
    )
    # Against the 100 Smart Cities, Odisha has cities without projects here: no comparison.
    partial = load_sources(sources)
    assert not any(i.message.startswith("odisha: reported") for i in partial.report.warnings)
    odisha = partial.dataset.progress
    odisha = odisha[(odisha["area_id"] == "odisha") & (odisha["source_url"] == DERIVED_SOURCE)]
    assert odisha.empty  # the state reports figures: nothing derived for it
