"""Hindi on the Data page and on synthetic charts: the download buttons' labels and help, the
data dictionary's column descriptions and the rows' column tooltips, the SYNTHETIC tag, and the
warnings for a link's unknown table or metric."""

from __future__ import annotations

import json
import re

import pytest

from tests.app.conftest import routed_ok as routed

pytestmark = pytest.mark.app

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def hindi(text: object) -> bool:
    return bool(DEVANAGARI.search(str(text)))


def test_downloads_dictionary_and_tooltips_in_hindi() -> None:
    at = routed("data", lang="hi", table="iccc")
    buttons = [b.proto for b in at.get("download_button")]
    labels = [b.label for b in buttons]
    assert "डेटा पैकेज (zip)" in labels, labels
    data_buttons = [b for b in buttons if b.label in ("CSV", "Excel", "Parquet", "डेटा पैकेज (zip)")]
    assert len(data_buttons) == 4 and all(hindi(b.help) for b in data_buttons)
    dictionary = next(d.value for d in at.dataframe if "विवरण" in d.value.columns)
    assert all(hindi(text) for text in dictionary["विवरण"]), list(dictionary["विवरण"])
    rows = next(d for d in at.dataframe if "stage_date" in d.value.columns)
    helps = [c.get("help", "") for c in json.loads(rows.proto.columns).values()]
    assert helps and all(hindi(h) for h in helps if h), helps
    # The citation to copy is worded in Hindi too (the files keep the English one).
    box = next(m.value for m in at.markdown if "डेटा सेट:" in m.value and "देखा गया" in m.value)
    assert "Data set:" not in box and "Smart Cities Mission dashboard" not in box


def test_english_downloads_unchanged() -> None:
    at = routed("data", table="iccc")
    helps = {b.proto.label: b.proto.help for b in at.get("download_button")}
    assert helps["CSV"] == "UTF-8, ISO dates, formula-like text neutralised."
    assert "Data package (zip)" in helps


def test_unknown_table_and_metric_in_a_hindi_link() -> None:
    at = routed("data", lang="hi", table="zzz")
    warnings = [w.value for w in at.warning]
    assert "लिंक में अज्ञात table 'zzz'; इसके स्थान पर 'progress' दिखाया जा रहा है।" in warnings
    at = routed("data", lang="hi", metric="projects_completed_count,bogus")
    warnings = [w.value for w in at.warning]
    assert "लिंक में अज्ञात metric 'bogus'; इसे छोड़ दिया गया।" in warnings, warnings


def test_synthetic_tag_and_chart_titles_in_hindi() -> None:
    at = routed("data", lang="hi", dataset="synthetic")
    heads = [h.value for h in at.subheader]
    assert any(h.endswith("(कृत्रिम – SYNTHETIC)") for h in heads), heads
    at = routed("iccc", lang="hi", dataset="synthetic")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    drawn = [s for s in specs if s["data"]]  # an empty chart says why, and has no data
    titles = [s["layout"]["title"]["text"] for s in drawn]
    assert titles and all(t.startswith("[कृत्रिम – SYNTHETIC]") for t in titles), titles
    notes = [a.get("text", "") for s in drawn for a in s["layout"].get("annotations", [])]
    assert any(n.startswith("कृत्रिम डेटा (SYNTHETIC)") for n in notes), notes
