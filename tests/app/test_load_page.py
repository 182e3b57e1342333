"""The "Your data" page: upload, report, adopt, and nothing lost when an upload fails.

Uploads are driven through AppTest's own file uploader (``at.file_uploader(key=...)
.set_value(...)``, available since Streamlit 1.52), so the tests exercise the same code path
as a browser: widget -> ``UploadedFile`` bytes -> :func:`smartcities.ui.upload.check`. No test
hook or temporary file is involved. The bad files come from :mod:`tests.fixtures_bad`, which
the browser tests reuse.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from smartcities.config import Limits
from smartcities.load import LoadResult
from smartcities.report import Report
from smartcities.safe import escape
from smartcities.ui import data, upload
from tests import fixtures_bad as fb

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
PUNE = "pune_progress.csv"


# ------------------------------------------------------------------------------ helpers


def router() -> AppTest:
    """The app through dashboard.py, switched to the load page."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/load.py")
    at.run()
    assert not at.exception, at.exception
    return at


def standalone() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "load.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def put(at: AppTest, *files: tuple[str, bytes], key: str = "ld_files") -> AppTest:
    """Choose files in the page's uploader and rerun."""
    at.file_uploader(key=key).set_value(
        [(name, data, "application/octet-stream") for name, data in files]
    )
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Every text element on the page (main and sidebar), one per line."""
    kinds = ("markdown", "caption", "success", "info", "warning", "error", "title", "subheader")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page having these columns (AppTest does not expose the keys of
    display-only dataframes)."""
    for element in at.dataframe:
        value = element.value
        if set(columns) <= set(value.columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def report(at: AppTest) -> pd.DataFrame:
    """The whole validation report (the per-file tables have no 'file' column)."""
    return frame_with(at, "severity", "file", "table", "column", "row", "message", "fix")


def in_use(at: AppTest) -> str:
    """The label the page gives the data set in use (Markdown escapes removed)."""
    text = next(m.value for m in at.markdown if m.value.startswith("**Data set in use:**"))
    return text.replace("\\", "")


def adopt(at: AppTest, mode: str = "alone") -> AppTest:
    at.radio(key=upload.MODE_KEY).set_value(mode)
    at.button(key="ld_adopt").click()
    at.run()
    assert not at.exception, at.exception
    return at


# ------------------------------------------------------------------------------ rendering


def test_renders_through_router() -> None:
    at = router()
    assert at.title[0].value == "Your data"
    assert {u.key for u in at.file_uploader} == {"ld_files", "ld_folder"}
    assert "Public record" in in_use(at)
    assert at.session_state["flt_dataset"] == "public"


def test_renders_standalone_with_templates() -> None:
    at = standalone()
    assert at.title[0].value == "Your data"
    keys = {b.key for b in at.get("download_button")}
    assert {"ld_tpl_progress", "ld_tpl_cities", "ld_tpl_zip"} <= keys
    assert "Choose files above" in texts(at)


def test_uploader_accepts_the_expected_extensions() -> None:
    at = standalone()
    allowed = set(at.file_uploader(key="ld_files").allowed_type)
    assert allowed == {".csv", ".gz", ".parquet", ".zip", ".txt", ".tsv"}
    assert at.file_uploader(key="ld_folder").accept_directory


# ------------------------------------------------------------------------------ good data


def test_good_wide_file_detected_validated_and_adopted() -> None:
    at = put(router(), (PUNE, fb.good_pune_wide_csv()))
    page = texts(at)
    assert "Recognised by its columns as the **progress** table." in page
    assert "0 errors, 0 warnings" in page
    preview = frame_with(at, "as_of_date", "area_name", "metric", "value")
    assert "102345.5" in preview["value"].tolist()  # Indian grouping read: 1,02,345.5
    assert (preview["area_name"] == "Pune").all()
    assert at.session_state["flt_dataset"] == "public"  # nothing changes before the button

    adopt(at)
    assert at.session_state["flt_dataset"] == "uploaded"
    assert PUNE in in_use(at)
    assert any("Your data" in i.value and escape(PUNE) in i.value for i in at.sidebar.info)
    assert any("Now using your data" in s.value for s in at.success)

    # The Overview in the same session. AppTest (1.67) resets the sidebar's widgets on
    # switch_page, unlike a browser, so the session's upload is carried into a router run of
    # the Overview by hand, opened with ?dataset=uploaded; the browser tests cover clicking
    # through the navigation.
    overview = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key in (data.UPLOAD_KEY, data.UPLOAD_ENGINE_KEY):
        overview.session_state[key] = at.session_state[key]
    overview.query_params["dataset"] = "uploaded"
    overview.run()
    assert not overview.exception, overview.exception
    assert overview.title[0].value.startswith("Smart Cities Mission")
    assert any("Your data" in i.value and escape(PUNE) in i.value for i in overview.sidebar.info)
    assert any("your uploaded data" in i.value and escape(PUNE) in i.value for i in overview.info)


def test_merge_over_public_record_shows_summary_and_stop_restores_public() -> None:
    at = put(router(), (PUNE, fb.good_pune_wide_csv()))
    adopt(at, "merge")
    summary = frame_with(at, "table", "added", "replaced", "unchanged")
    assert list(summary.columns) == ["table", "added", "replaced", "unchanged"]
    progress = summary.set_index("table").loc["progress"]
    assert progress["added"] == 8
    assert "over Public record" in in_use(at)

    at.button(key="ld_stop").click()
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["flt_dataset"] == "public"
    assert "Public record" in in_use(at) and PUNE not in in_use(at)
    assert [r for r in at.sidebar.radio if r.key == "flt_dataset"][0].options == [
        "Public record",
        "Synthetic sample (not real)",
    ]


def test_zip_and_folder_uploads_list_every_member() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("pune.csv", fb.good_progress_csv())
        zf.writestr("vizag.csv", fb.unknown_city().data)
    at = put(standalone(), ("bundle.zip", buf.getvalue()))
    frame = report(at)
    assert "bundle.zip/vizag.csv" in set(frame["file"])
    assert "Recognised by its columns as the **progress** table." in texts(at)

    at = put(standalone(), ("mydata/pune.csv", fb.good_progress_csv()), key="ld_folder")
    assert "0 errors, 0 warnings" in texts(at)
    assert at.button(key="ld_adopt")  # usable: the button is there


# ------------------------------------------------------------------------------ bad data


def _matches(frame: pd.DataFrame, case: fb.Case) -> pd.DataFrame:
    hits = frame[
        frame["file"].str.startswith(case.name)
        & (frame["severity"] == case.severity)
        & frame["message"].str.lower().str.contains(case.message.lower(), regex=False)
    ]
    if case.column:
        hits = hits[hits["column"] == case.column]
    if case.row is not None:
        hits = hits[hits["row"] == str(case.row)]  # shown as text: blank for a whole file
    return hits


def _check_bad(at: AppTest, case: fb.Case, previous: str) -> None:
    frame = report(at)
    assert not _matches(frame, case).empty, frame.to_string()
    # The data in use has not changed, and the page says which it is.
    assert in_use(at) == previous
    if not case.usable:
        assert not [b for b in at.button if b.key == "ld_adopt"]
        assert "Your previous data is still in use" in texts(at)
    # Hostile text is only ever shown inside dataframe cells, never as Markdown.
    assert "<script>" not in texts(at)
    assert "=HYPERLINK" not in texts(at)


@pytest.mark.parametrize("case", fb.all_cases(), ids=lambda c: c.id)
def test_bad_file_reported_and_public_record_kept(
    case: fb.Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    at = standalone()
    previous = in_use(at)
    put(at, (case.name, case.data))
    _check_bad(at, case, previous)
    assert at.session_state["flt_dataset"] == "public"


def test_bad_files_after_an_adopted_upload_keep_that_upload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every failure, one after another in one session, leaves the adopted upload in use."""
    at = adopt(put(router(), (PUNE, fb.good_pune_wide_csv())))
    previous = in_use(at)
    assert PUNE in previous
    for case in fb.all_cases():
        for name, value in case.env.items():
            monkeypatch.setenv(name, value)
        put(at, (case.name, case.data))
        _check_bad(at, case, previous)
        assert at.session_state["flt_dataset"] == "uploaded"
        for name in case.env:
            monkeypatch.delenv(name)


def test_too_many_files_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTCITIES_MAX_FILES", "2")
    files = [(f"f{i}.csv", fb.good_progress_csv()) for i in range(3)]
    at = put(standalone(), *files)
    errors = " ".join(e.value for e in at.error)
    assert "at most 2" in errors and "SMARTCITIES_MAX_FILES" in errors
    assert "Your previous data is still in use" in texts(at)
    assert upload.RESULT_KEY not in at.session_state


def test_oversized_file_refused_with_the_limit_and_how_to_change_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARTCITIES_MAX_FILE_MB", "1")
    big = fb.good_progress_csv() + b"#" * (2**20)
    at = put(standalone(), ("big.csv", big), ("pune.csv", fb.good_progress_csv()))
    frame = report(at)
    row = frame[frame["file"] == "big.csv"].iloc[0]
    assert "larger than the limit of 1 MB" in row["message"]
    assert "SMARTCITIES_MAX_FILE_MB" in row["fix"]
    assert at.button(key="ld_adopt")  # the other file is still usable


def test_file_names_are_shown_as_text_not_markup() -> None:
    """A file name is user text: no link, emphasis or icon may come out of it."""
    name = "[click](http://evil.example) *x* :material/home:.csv"
    at = put(standalone(), (name, fb.good_progress_csv()))
    labels = [e.label for e in at.expander]
    assert any("\\[click\\]" in label for label in labels)
    shown = texts(at) + "\n".join(labels)
    assert "](http://evil.example)" not in shown.replace("\\]", "")
    assert ":material/home:" not in shown


# ------------------------------------------------------------------------------ sessions


def test_a_second_session_does_not_see_the_first_sessions_upload() -> None:
    first = adopt(put(router(), (PUNE, fb.good_pune_wide_csv())))
    assert first.session_state["flt_dataset"] == "uploaded"
    second = router()
    assert "Public record" in in_use(second)
    assert PUNE not in texts(second)
    radio = [r for r in second.sidebar.radio if r.key == "flt_dataset"][0]
    assert "Your uploaded data" not in radio.options
    assert not second.file_uploader(key="ld_files").value


def test_same_files_are_checked_once_per_session(monkeypatch: pytest.MonkeyPatch) -> None:
    # Uploads load through the server-wide budget, which imports the loader when a load runs.
    from smartcities import load

    calls: list[int] = []
    real = load.load_sources

    def counting(*args: object, **kwargs: object) -> LoadResult:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "load_sources", counting)
    at = put(standalone(), (PUNE, fb.good_pune_wide_csv()))
    at.radio(key=upload.MODE_KEY).set_value("merge").run()
    assert len(calls) == 1


# ------------------------------------------------------------------------------ pure helpers


def test_check_limits() -> None:
    limits = Limits(max_files=3, max_file_bytes=100)
    allowed, refused, too_many = upload.check_limits([("a", 10), ("b", 101), ("c", 100)], limits)
    assert (allowed, too_many) == ([0, 2], None)
    assert [i.file for i in refused.errors] == ["b"]
    assert upload.check_limits([("a", 1)] * 4, limits)[2] is not None


def test_report_csv_neutralises_formulas_and_puts_errors_first() -> None:
    rep = Report()
    rep.warning("x.csv", "formula", value='=HYPERLINK("http://evil")', column="note", row=2)
    rep.error("x.csv", "bad", value="-5", column="value", row=3)
    text = upload.report_csv(rep).decode("utf-8")
    lines = text.splitlines()
    assert lines[1].startswith("error,")
    assert "'=HYPERLINK" in text
    assert ",-5," in text  # a plain negative number is left alone
    assert upload.counts(rep) == "1 error, 1 warning"


# ------------------------------------------------------------------ the server-wide budget


def test_upload_while_the_server_is_busy_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartcities import budget

    registry = budget.Budget(max_rows=10**7, max_loads=1)
    monkeypatch.setattr(budget, "UPLOADS", registry)
    at = router()
    with registry.loading() as mine:  # another session is loading
        assert mine
        put(at, (PUNE, fb.good_pune_wide_csv()))
    assert any("server is busy" in e.value and "try again" in e.value for e in at.error)
    assert at.session_state["flt_dataset"] == "public"
    assert registry.total() == 0
    put(at, (PUNE, fb.good_pune_wide_csv()))  # the slot is free again: the same files load
    assert "0 errors" in texts(at) and registry.total() > 0


def test_upload_past_the_servers_row_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartcities import budget

    registry = budget.Budget(max_rows=1_000, max_loads=1)
    registry.hold("another session", "adopted", 999)
    monkeypatch.setattr(budget, "UPLOADS", registry)
    at = put(router(), (PUNE, fb.good_pune_wide_csv()))
    assert any("more rows than the server can take now" in e.value for e in at.error)
    assert at.session_state["flt_dataset"] == "public"
    assert registry.owners() == ["another session"]
    registry.release("another session")
    put(at, (PUNE, fb.good_pune_wide_csv()))
    adopt(at)
    assert at.session_state["flt_dataset"] == "uploaded"
    held = registry.total()
    assert held > 0
    at.button(key="ld_stop").click().run()
    assert registry.total() < held  # the adopted rows are released; the checked ones stay
