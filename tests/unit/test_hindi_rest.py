"""The last English on Hindi pages, now in Hindi: the uploaded boundary file's map, the
downloads' labels and help, the data dictionary's column descriptions and tooltips, the
SYNTHETIC labels of charts, and the warnings for a link's unknown page options. English stays
as it was (other tests assert the English text)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartcities import boundaries, dictionary, figures, maps
from smartcities.i18n import gettext
from smartcities.ui import downloads
from smartcities.urlstate import Option, decode_options
from tests.unit.test_maps import AS_OF, COMMON, harmoniser, write_boundaries

pytestmark = pytest.mark.unit

HI = "hi"


def test_boundary_file_map_in_hindi(tmp_path: Path) -> None:
    path = write_boundaries(tmp_path / "states.geojson", ["Orissa", "Tamil Nadu", "Atlantis"])
    gdf, unmatched = boundaries.read_boundaries(path, None, harmoniser())
    tidy = pd.DataFrame(
        {
            "state_ut": ["Odisha"],
            "measure": "smart_cities_count",
            "value": [2.0],
            "as_of_date": AS_OF,
        }
    )
    fig = boundaries.choropleth(gdf, tidy, measure="cities", **COMMON, lang=HI)
    legend = fig.layout.legend.title.text
    assert legend == maps.measure_label("smart_cities_count", HI) and legend != "Smart Cities"
    names = [t.name for t in fig.data]
    assert "कोई आँकड़ा सूचित नहीं" in names or any("सूचित नहीं" in str(n) for n in names), names
    fills = [t.name for t in fig.data if t.fill == "toself"]
    odisha = next(n for n in fills if n.startswith("Odisha: 2"))
    assert "1 दिसंबर 2025 की स्थिति के अनुसार" in odisha, odisha
    assert any(n.startswith("मेल नहीं खाता") for n in fills), fills  # Atlantis, unmatched
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert gettext(HI)(maps.DISCLAIMER) in notes and "स्रोत" in notes
    warning = boundaries.unmatched_message(unmatched, lang=HI)
    assert warning.startswith("सीमा फ़ाइल के वे नाम") and "Atlantis" in warning
    english = boundaries.unmatched_message(unmatched)
    assert english == "Names in the boundary file not matched to a state/UT (drawn grey): Atlantis."


def _offers(lang: str = "en") -> list[downloads.Download]:
    rows = pd.DataFrame({"a": [1]})
    return downloads.downloads(
        lambda: rows,
        n_rows=1,
        n_sources=1,
        table="progress",
        stem="s",
        zip_stem="z",
        dataset_label="Test record",
        kind="public",
        filters_text="All India",
        citation="c",
        package=lambda: b"",
        lang=lang,
    )


def test_download_labels_and_help_in_hindi() -> None:
    hindi = {o.key: o for o in _offers(HI)}
    english = {o.key: o for o in _offers()}
    assert hindi["zip"].label == "डेटा पैकेज (zip)" and english["zip"].label == "Data package (zip)"
    assert hindi["csv"].label == "CSV"  # the formats' names
    for key in ("csv", "xlsx", "parquet", "zip"):
        assert hindi[key].help != english[key].help
        assert any("\u0900" <= ch <= "\u097f" for ch in hindi[key].help), hindi[key].help
    assert english["csv"].help == "UTF-8, ISO dates, formula-like text neutralised."
    # The files are the same in both languages.
    assert [o.file_name for o in hindi.values()] == [o.file_name for o in english.values()]


def test_dictionary_descriptions_and_tooltips_in_hindi() -> None:
    frame = dictionary.table_frame("projects", HI)
    assert all(any("\u0900" <= ch <= "\u097f" for ch in d) for d in frame["विवरण"]), frame
    english = dictionary.table_frame("projects")
    assert english["description"].iloc[0].startswith("Project identifier")
    helps = dictionary.describe_columns("iccc", ["cost_inr_crore", "city_name", "mystery"], HI)
    assert helps["cost_inr_crore"].startswith("आईसीसीसी की लागत")
    assert "इकाई: ₹ करोड़" in helps["cost_inr_crore"]
    assert helps["city_name"].endswith("(cities तालिका से।)")
    assert helps["mystery"].startswith("स्तंभ डेटा अनुबंध में नहीं है")
    # English as before: the Data Package's descriptions use it.
    en = dictionary.describe_columns("iccc", ["cost_inr_crore"])["cost_inr_crore"]
    assert en.endswith("Unit: ₹ crore (1 crore = 10 million rupees).")


def test_synthetic_chart_labels_in_hindi() -> None:
    spec = figures.Spec("शीर्षक")
    fig = spec.finish(source="s", as_of=AS_OF, synthetic=True, lang=HI)
    assert fig.layout.title.text == "[कृत्रिम – SYNTHETIC] शीर्षक"
    texts = [a.text for a in fig.layout.annotations]
    assert "SYNTHETIC" in texts  # the watermark: the same word in both languages
    assert any(t.startswith("कृत्रिम डेटा (SYNTHETIC): वास्तविक आँकड़े नहीं.") for t in texts)
    english = figures.Spec("t").finish(source="s", as_of=AS_OF, synthetic=True)
    assert english.layout.title.text == "[SYNTHETIC] t"
    assert any(a.text.startswith(figures.SYNTHETIC_MARK) for a in english.layout.annotations)


def test_unknown_page_options_in_a_link_warn_in_hindi() -> None:
    spec = (
        Option("table", ("progress", "cities"), "progress"),
        Option("metric", ("a",), (), many=True),
    )
    values, warnings = decode_options({"table": "zzz", "metric": "a,bogus"}, spec, HI)
    assert values == {"table": "progress", "metric": ("a",)}
    assert warnings == [
        "लिंक में अज्ञात table 'zzz'; इसके स्थान पर 'progress' दिखाया जा रहा है।",
        "लिंक में अज्ञात metric 'bogus'; इसे छोड़ दिया गया।",
    ]
    _, english = decode_options({"table": "zzz"}, spec)
    assert english == ["Unknown table 'zzz' in the link; showing 'progress'."]
