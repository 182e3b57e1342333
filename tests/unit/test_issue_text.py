"""The validation report's messages and fixes in Hindi (smartcities.issue_text): the issues stay
English data; the translation is made when they are shown, from the English templates."""

from __future__ import annotations

import io
import string
import zipfile

import pytest

from smartcities import i18n, issue_text
from smartcities.config import Limits
from smartcities.load import Source, load_sources
from smartcities.report import Issue, Report
from tests import fixtures_bad as fb

pytestmark = pytest.mark.unit

HI = "hi"


def test_english_is_returned_unchanged() -> None:
    for text in ("unknown city 'Visakapatnam'", "Did you mean Visakhapatnam?", "", "anything"):
        assert issue_text.translate(text, "en") is text
        assert issue_text.translate(text, "xx") is text  # an unknown language is English


def test_unknown_city_with_its_suggestion() -> None:
    assert issue_text.translate("unknown city 'Visakapatnam'", HI) == "अज्ञात शहर 'Visakapatnam'"
    assert (
        issue_text.translate("Did you mean Visakhapatnam or Vijayawada?", HI)
        == "क्या आपका आशय Visakhapatnam या Vijayawada से है?"
    )


def test_values_from_the_file_are_kept_as_written() -> None:
    """Quoted values, file names, counts and column names pass through untouched."""
    text = (
        "'a b.csv' also holds the progress table: the rows of both are used, and where both give "
        "a row for the same key, the one from 'a b.csv' is kept (files are read in name order)"
    )
    shown = issue_text.translate(text, HI)
    assert shown.count("'a b.csv'") == 2 and "progress तालिका" in shown
    assert issue_text.translate("'1,2,3,4' is not a number", HI) == "'1,2,3,4' संख्या नहीं है"
    assert (
        issue_text.translate(
            "2 of 11 row(s) were not used (see the rows listed); the other 9 were loaded", HI
        )
        == "11 में से 2 पंक्तियाँ उपयोग नहीं की गईं (सूचीबद्ध पंक्तियाँ देखें); शेष 9 लोड की गईं"
    )


def test_nested_messages_are_translated_inside_their_frame() -> None:
    shown = issue_text.translate("550 more row(s) with the same problem: unknown city '…'", HI)
    assert shown == "550 और पंक्तियों में यही समस्या: अज्ञात शहर '…'"
    blank = (
        "physical_progress_pct 150 is larger than any real record could hold (at most 100); left "
        "blank, the rest of the row is used"
    )
    assert issue_text.translate(blank, HI) == (
        "physical_progress_pct 150 किसी भी वास्तविक अभिलेख की सीमा से बड़ा है (अधिकतम 100); "
        "रिक्त छोड़ा गया, पंक्ति का शेष भाग उपयोग किया गया"
    )
    assert issue_text.translate("archive member refused: it is a symbolic link", HI) == (
        "संग्रह की सदस्य फ़ाइल अस्वीकृत: यह प्रतीकात्मक लिंक है"
    )


def test_metric_labels_with_brackets_are_translated_whole() -> None:
    text = (
        "Value of work orders issued (₹ crore) (500) exceed value of projects tendered (₹ crore) "
        "(400) for Pune on 2024-03-31"
    )
    assert issue_text.translate(text, HI) == (
        "Pune के लिए 2024-03-31 को जारी कार्य आदेशों का मूल्य (₹ करोड़) (500), निविदा जारी "
        "परियोजनाओं का मूल्य (₹ करोड़) (400) से अधिक हैं"
    )
    counts = "Projects completed (130) exceed work orders issued (100) for Pune on 2024-03-31"
    shown = issue_text.translate(counts, HI)
    assert shown == "Pune के लिए 2024-03-31 को पूर्ण परियोजनाएँ (130), जारी कार्य आदेश (100) से अधिक हैं"
    assert "Pune" in shown and "2024-03-31" in shown


def test_text_no_template_matches_stays_english() -> None:
    assert issue_text.translate("a message nobody wrote a template for", HI) == (
        "a message nobody wrote a template for"
    )
    assert not issue_text.translated("a message nobody wrote a template for", HI)
    assert issue_text.translated("a message nobody wrote a template for", "en")


def test_every_template_is_in_the_catalog_with_the_same_placeholders() -> None:
    fields = string.Formatter()
    _ = i18n.gettext(HI)
    for template in issue_text.TEMPLATES:
        assert i18n.has_translation(HI, template), template
        names = {n for _t, n, _s, _c in fields.parse(template) if n is not None}
        hindi = {n for _t, n, _s, _c in fields.parse(_(template)) if n is not None}
        assert names == hindi, template


def test_issue_text_and_fix_text_leave_the_issue_english() -> None:
    report = Report()
    report.error("p.csv", "unknown city 'Nowhere'", fix="Did you mean Nagpur?", row=2)
    issue: Issue = report.issues[0]
    assert issue.text("en") == issue.message == "unknown city 'Nowhere'"
    assert issue.text(HI) == "अज्ञात शहर 'Nowhere'"
    assert issue.fix_text(HI) == "क्या आपका आशय Nagpur से है?"
    assert issue.fix_text() == "Did you mean Nagpur?"
    assert report.to_frame()["message"].tolist() == ["unknown city 'Nowhere'"]  # stored English


def _zip(*members: tuple[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _extra_cases() -> list[tuple[str, bytes, Limits]]:
    """Common problems the bad-file fixtures do not cover."""

    def progress(*rows: list[object]) -> bytes:
        return fb._csv(fb.progress_rows(*rows)).encode()

    return [
        ("alias.csv", progress(fb.pune_row(name="Poona")), Limits()),
        ("number.csv", progress(fb.pune_row(value="12abc")), Limits()),
        ("city.csv", progress(fb.pune_row(name="Visakapatnam")), Limits()),
        ("missing.csv", b"city_id,stage\npune,operational\n", Limits()),
        ("rows.csv", progress(*[fb.pune_row()] * 6), Limits(max_rows=4)),
        ("big.csv", b"x" * 2000, Limits(max_file_bytes=1000)),
        ("doc.csv", b"%PDF-1.7 not a table", Limits()),
        (
            "pack.zip",
            _zip(("../evil.csv", b"a,b\n1,2\n"), ("inner.zip", _zip(("x.csv", b"a\n1\n")))),
            Limits(),
        ),
        ("state.csv", b"city_id,city_name,state_ut\nx1,Xcity,Atlantis Pradesh\n", Limits()),
    ]


def test_every_issue_of_the_common_bad_files_is_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    """A drift guard: the bad files users send (tests/fixtures_bad.py and a few more) are loaded
    and every message and fix of their reports has a Hindi translation. Changing a message in
    the loader without its template here fails this test."""
    sources: list[tuple[str, bytes, Limits]] = []
    for case in fb.all_cases():
        with monkeypatch.context() as env:
            for name, value in case.env.items():
                env.setenv(name, value)
            sources.append((case.name, case.data, Limits.from_env()))
    sources += _extra_cases()
    left: list[str] = []
    seen = 0
    for name, data, limits in sources:
        result = load_sources([Source(name, data)], limits=limits)
        for issue in result.report.issues:
            for text in (issue.message, issue.fix):
                if text:
                    seen += 1
                    if not issue_text.translated(text, HI):
                        left.append(f"{name}: {text}")
    assert seen > 40
    assert not left, (
        "report text with no Hindi template (smartcities/issue_text.py):\n" + "\n".join(left)
    )


def test_long_or_hostile_text_is_shown_as_given() -> None:
    """A message quotes the file's values: one full of brackets is still translated, and one
    past the size limit is shown as it is, untried."""
    hostile = "unknown city '" + " (x) exceed (y) for " * 90 + "'"
    assert issue_text.translate(hostile, HI).startswith("अज्ञात शहर '")
    huge = "unknown city '" + "x" * issue_text.MAX_CHARS + "'"
    assert issue_text.translate(huge, HI) == huge


@pytest.mark.slow
def test_long_or_hostile_text_is_quick() -> None:
    """Matching must not backtrack on a long value with many brackets (each template is tried
    only when all its fixed words are in the text). A timing check: in the slow tier."""
    import time

    hostile = "unknown city '" + " (x) exceed (y) for " * 90 + "'"
    start = time.perf_counter()
    issue_text.translate(hostile, HI)
    assert time.perf_counter() - start < 1.0


def test_a_nested_message_without_a_template_counts_as_untranslated() -> None:
    text = "column value: str_matches('x'); the file was not used"
    assert not issue_text.translated(text, HI)
    assert issue_text.translate(text, HI).startswith("स्तंभ value: str_matches('x');")
