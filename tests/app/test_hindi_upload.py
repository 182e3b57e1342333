"""The "Your data" page in Hindi: a bad upload's validation report says what is wrong and how to
fix it in Hindi; the same upload in English shows the loader's English text exactly as before;
refusals of the whole upload (too many files, the server busy) are in Hindi too."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from smartcities import budget
from smartcities.config import Limits
from smartcities.load import Source, load_sources
from tests import fixtures_bad as fb

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
REPORT_COLUMNS = ("severity", "file", "table", "column", "row", "message", "fix")


def load_page(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/load.py")
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def put(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="ld_files").set_value(
        [(name, data, "application/octet-stream") for name, data in files]
    )
    at.run()
    assert not at.exception, at.exception
    return at


def report(at: AppTest) -> pd.DataFrame:
    for element in at.dataframe:
        if set(REPORT_COLUMNS) <= set(element.value.columns):
            return element.value
    raise AssertionError("no validation report on the page")


def test_a_bad_upload_is_reported_in_hindi() -> None:
    case = fb.unknown_city()
    at = put(load_page("hi"), (case.name, case.data))
    frame = report(at)
    row = frame[frame["message"].str.contains("Visakapatnam")].iloc[0]
    assert row["message"] == "अज्ञात शहर 'Visakapatnam'"
    assert row["fix"] == "क्या आपका आशय Visakhapatnam से है?"
    assert row["severity"] == "त्रुटि"
    # Every message and fix on the page is Hindi (the values quoted from the file aside).
    for text in [*frame["message"], *(f for f in frame["fix"] if f)]:
        assert any("\u0900" <= ch <= "\u097f" for ch in text), text
    summary = next(m for m in frame["message"] if "पंक्तियाँ उपयोग नहीं की गईं" in m)
    assert summary.startswith("2 में से 1 ")  # 2 rows read, 1 not used


def test_the_same_upload_in_english_shows_the_loaders_text_unchanged() -> None:
    case = fb.unknown_city()
    at = put(load_page("en"), (case.name, case.data))
    frame = report(at)
    loaded = load_sources([Source(case.name, case.data)], limits=Limits.from_env())
    expected = loaded.report.to_frame()
    assert sorted(frame["message"]) == sorted(expected["message"])
    assert sorted(frame["fix"]) == sorted(expected["fix"])
    assert "unknown city 'Visakapatnam'" in set(frame["message"])
    assert "Did you mean Visakhapatnam?" in set(frame["fix"])


def test_a_file_that_is_not_csv_and_a_bad_date_in_hindi() -> None:
    date = fb.impossible_date()
    at = put(load_page("hi"), ("report.pdf.csv", b"%PDF-1.7 not a table"), (date.name, date.data))
    frame = report(at)
    messages = set(frame["message"])
    assert "यह PDF दस्तावेज़ है, CSV नहीं" in messages
    assert "'31/02/2024' वास्तविक तिथि नहीं है (दिन-माह-वर्ष)" in messages
    assert "तिथियाँ YYYY-MM-DD (जैसे 2025-12-01) या DD/MM/YYYY (पहले दिन) के रूप में लिखें।" in set(
        frame["fix"]
    )


def test_too_many_files_refused_in_hindi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTCITIES_MAX_FILES", "2")
    files = [(f"f{i}.csv", fb.good_progress_csv()) for i in range(3)]
    at = put(load_page("hi"), *files)
    errors = [e.value for e in at.error]
    assert any(e.startswith("आपने 3 फ़ाइलें चुनी हैं; एक बार में अधिकतम 2") for e in errors), errors


def test_server_busy_in_hindi(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = budget.Budget(max_rows=10**7, max_loads=1)
    monkeypatch.setattr(budget, "UPLOADS", registry)
    at = load_page("hi")
    with registry.loading() as mine:  # another session is loading
        assert mine
        put(at, ("pune.csv", fb.good_pune_wide_csv()))
    errors = [e.value for e in at.error]
    assert any("सर्वर अन्य उपयोगकर्ताओं की फ़ाइलें जाँचने में व्यस्त है" in e for e in errors), errors
