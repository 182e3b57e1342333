"""Pages in Hindi (``lang=hi``): the frame, the menu and each translated page render without an
exception and show Devanagari in the title, headings, labels and chart titles; links keep the
language; switching the language keeps the filters."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from tests.app.conftest import routed_ok as routed

pytestmark = pytest.mark.app

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def hindi(text: object) -> bool:
    return bool(DEVANAGARI.search(str(text)))


def chart_titles(at: AppTest) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [s["layout"].get("title", {}).get("text", "") for s in specs]


def sidebar_labels(at: AppTest) -> list[str]:
    return [w.label for w in (*at.sidebar.selectbox, *at.sidebar.radio)]


def test_hindi_overview_title_headings_cards_tables_and_chart() -> None:
    at = routed("overview", lang="hi")
    assert at.title[0].value == "स्मार्ट सिटी मिशन: संपूर्ण भारत"
    heads = [h.value for h in at.subheader]
    assert "चयन के दौर के अनुसार प्रगति" in heads and "ध्यान देने योग्य शहर" in heads
    assert all(hindi(h) for h in heads), heads
    # Card labels, values with Indian grouping and Western digits, dates in Hindi.
    labels = [m.proto.label for m in at.metric]
    assert "पूर्ण परियोजनाएँ" in labels, labels
    assert all(hindi(label) for label in labels), labels
    assert not any(re.search(r"[\u0966-\u096F]", m.value) for m in at.metric)  # no Hindi digits
    assert any("की स्थिति के अनुसार" in c.value for c in at.caption)
    # The arrow follows the change's sign, not the first character of the Hindi text.
    falls = [m for m in at.metric if re.search(r"\s-[\d₹]", m.proto.delta)]
    rises = [m for m in at.metric if re.search(r"\s\+[\d₹]", m.proto.delta)]
    assert falls and rises
    assert all(m.proto.direction == Metric.MetricDirection.DOWN for m in falls)
    assert all(m.proto.direction == Metric.MetricDirection.UP for m in rises)
    # Table headers and round names.
    rounds = [d.value for d in at.dataframe if "area_name" in d.value.columns][0]
    assert "पहला दौर" in set(rounds["area_name"])
    [title] = chart_titles(at)
    assert title == "अपवाद वाले शहर, कारण के अनुसार"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["title"]["text"] == "शहर (संख्या)"
    notes = [a["text"] for a in spec["layout"].get("annotations", [])]
    assert any(n.startswith("स्रोत:") for n in notes), notes
    # Sidebar labels, the footer and the citation.
    assert {"डेटा सेट", "राज्य/संघ राज्य क्षेत्र", "शहर"} <= set(sidebar_labels(at))
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "सार्वजनिक अभिलेख, " in captions and "Public record" not in captions, captions
    assert any("उद्धरण" in m.value for m in at.markdown) or any(
        "उद्धरण" in c.value for c in at.caption
    )


def test_english_is_unchanged_without_lang() -> None:
    at = routed("overview")
    assert at.title[0].value == "Smart Cities Mission: All India"
    assert not any(hindi(h.value) for h in at.subheader)
    assert not any(hindi(label) for label in sidebar_labels(at) if "भाषा" not in label)


def test_hindi_state_names_in_title_and_sidebar() -> None:
    at = routed("overview", lang="hi", state="karnataka")
    assert at.title[0].value == "स्मार्ट सिटी मिशन: कर्नाटक"
    state_box = [s for s in at.sidebar.selectbox if s.key == "flt_state"][0]
    assert state_box.format_func(state_box.value) == "कर्नाटक"


def test_links_from_a_hindi_page_keep_the_language() -> None:
    at = routed("overview", lang="hi", state="karnataka")
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert links, "no links on the Overview"
    for label, query in links.items():
        assert hindi(label), label
        assert "lang=hi" in query and "state=karnataka" in query, (label, query)


def test_switching_the_language_keeps_the_filters() -> None:
    at = routed("overview", state="karnataka")
    assert at.title[0].value.endswith("Karnataka")
    at.sidebar.radio(key="flt_lang").set_value("hi").run()
    assert not at.exception
    assert at.query_params["lang"] == ["hi"] or at.query_params["lang"] == "hi"
    assert at.query_params["state"] in ("karnataka", ["karnataka"])
    assert at.title[0].value == "स्मार्ट सिटी मिशन: कर्नाटक"
    at.sidebar.radio(key="flt_lang").set_value("en").run()
    assert "lang" not in at.query_params
    assert at.query_params["state"] in ("karnataka", ["karnataka"])
    assert at.title[0].value == "Smart Cities Mission: Karnataka"


def test_synthetic_data_set_is_labelled_in_hindi() -> None:
    at = routed("overview", lang="hi", dataset="synthetic")
    label = " ".join(w.value for w in at.sidebar.warning)
    assert "कृत्रिम (SYNTHETIC) नमूना: 100 शहर (सृजित, वास्तविक आँकड़े नहीं)" in label, label
    assert any("SYNTHETIC" in w.value for w in at.warning)


def test_a_bad_link_value_is_warned_in_hindi() -> None:
    at = routed("overview", lang="hi", state="atlantis")
    assert any("लिंक में अज्ञात राज्य" in w.value for w in at.warning), [w.value for w in at.warning]


def test_hindi_city_profile_title_headings_cards_tables_and_chart() -> None:
    at = routed("city", city="srinagar", lang="hi")
    assert at.title[0].value == "श्रीनगर"
    heads = [h.value for h in at.subheader]
    assert "शहर के लिए सूचित प्रगति" in heads
    assert "एकीकृत कमान एवं नियंत्रण केंद्र" in heads
    assert any(h.startswith("जम्मू और कश्मीर") for h in heads), heads
    labels = [m.proto.label for m in at.metric]
    assert labels and all(hindi(label) for label in labels), labels
    # Peers and figures tables: headers from the catalog, measures in Hindi.
    figures = [d.value for d in at.dataframe if {"metric", "value", "date"} <= set(d.value.columns)]
    assert figures and all(hindi(m) for m in figures[0]["metric"])
    titles = chart_titles(at)
    assert "श्रीनगर: समय के साथ परियोजनाएँ" in titles, titles
    spec = [json.loads(c.proto.spec) for c in at.get("plotly_chart")][
        titles.index("श्रीनगर: समय के साथ परियोजनाएँ")
    ]
    assert spec["layout"]["xaxis"]["title"]["text"] == "स्थिति की तिथि"
    assert all(hindi(t["name"]) for t in spec["data"] if t.get("name"))
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert any(hindi(label) and "lang=hi" in q for label, q in links.items()), links


def test_hindi_city_picker() -> None:
    at = routed("city", lang="hi", state="karnataka")
    assert at.title[0].value == "शहर का विवरण"
    [picker] = [s for s in at.selectbox if s.key == "city_pick"]
    assert hindi(picker.label) and picker.options
    assert all(hindi(o) for o in picker.options), picker.options


@pytest.mark.parametrize("section", ["national", "stages", "cities"])
def test_hindi_iccc_every_tab(section: str) -> None:
    at = routed("iccc", lang="hi", section=section)
    assert at.title[0].value == "आईसीसीसी की स्थापना: संपूर्ण भारत"
    heads = [h.value for h in at.subheader]
    assert heads and all(hindi(h) for h in heads), heads
    labels = [m.proto.label for m in at.metric]
    assert labels and all(hindi(label) for label in labels), labels
    titles = chart_titles(at)
    assert titles and all(hindi(t) for t in titles), titles
    for spec in (json.loads(c.proto.spec) for c in at.get("plotly_chart")):
        names = [t["name"] for t in spec["data"] if t.get("name")]
        assert all(hindi(n) for n in names), names
        assert hindi(spec["layout"]["yaxis"]["title"]["text"])


def test_switching_language_keeps_the_open_tab() -> None:
    at = routed("iccc", section="cities", state="karnataka")
    assert at.subheader[0].value == "City by city"
    at.sidebar.radio(key="flt_lang").set_value("hi").run()
    assert not at.exception
    assert at.subheader[0].value == "शहरवार"
    assert at.query_params["section"] in ("cities", ["cities"])
    assert at.query_params["state"] in ("karnataka", ["karnataka"])


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def assert_charts_in_hindi(at: AppTest) -> None:
    """Every chart's title, trace names, axis titles and hover text are in Hindi."""
    for spec in specs(at):
        layout = spec["layout"]
        assert hindi(layout.get("title", {}).get("text", "")), layout.get("title")
        names = [t["name"] for t in spec["data"] if t.get("name")]
        assert all(hindi(n) for n in names), names
        for axis in ("xaxis", "yaxis"):
            text = layout.get(axis, {}).get("title", {}).get("text", "")
            if layout.get(axis, {}).get("visible", True) and text:
                assert hindi(text), (axis, text)
        hovers = [t.get("hovertemplate", "") for t in spec["data"]]
        assert not any(re.search(r"\b(as on|of|since)\b", h) for h in hovers), hovers
        notes = [a["text"] for a in layout.get("annotations", []) if a.get("yshift")]
        assert all("स्रोत:" in n for n in notes), notes


@pytest.mark.parametrize("section", ["stages", "trend", "funds", "totals", "compare"])
def test_hindi_mission_progress_every_tab(section: str) -> None:
    at = routed("progress", lang="hi", section=section)
    assert at.title[0].value == "मिशन की प्रगति: संपूर्ण भारत"
    heads = [h.value for h in at.subheader]
    assert heads and all(hindi(h) for h in heads), heads
    assert at.get("plotly_chart"), "no chart"
    assert_charts_in_hindi(at)
    # Chart summaries (the captions under charts) are Hindi sentences.
    summaries = [c.value for c in at.caption if c.value.endswith("।")]
    assert summaries, [c.value for c in at.caption]
    labels = [w.label for w in (*at.get("button_group"), *at.selectbox) if w.label]
    assert all(hindi(label) for label in labels), labels
    text = " ".join(i.value for i in at.info)
    assert not re.search(r"\b(the|figures|reported)\b", text), text


def test_hindi_mission_progress_tables_are_headed_in_hindi() -> None:
    at = routed("progress", lang="hi", dataset="synthetic", by="component")
    for frame in at.dataframe:
        configs = json.loads(frame.proto.columns or "{}")
        labels = [c.get("label") for name, c in configs.items() if name != "source_url"]
        assert labels and all(hindi(label) for label in labels if label), labels
    stages = [d.value for d in at.dataframe if "stage" in d.value.columns][0]
    assert all(hindi(s) for s in stages["stage"]), list(stages["stage"])


def test_hindi_mission_progress_compare_names_states_in_hindi() -> None:
    at = routed("progress", lang="hi", section="compare", compare="projects_completed_count")
    [spec] = specs(at)
    bars = spec["data"][0]["y"]
    assert bars and all(hindi(b) for b in bars), bars
    assert any("राज्य और संघ राज्य क्षेत्र" in c.value for c in at.caption)


def test_hindi_mission_progress_for_a_state_and_breakdown() -> None:
    at = routed("progress", lang="hi", state="karnataka", dataset="synthetic", by="sector")
    assert at.title[0].value == "मिशन की प्रगति: कर्नाटक"
    assert_charts_in_hindi(at)
    frames = [d.value for d in at.dataframe]
    assert any("stage" in f.columns and all(hindi(s) for s in f["stage"]) for f in frames)


@pytest.mark.parametrize("section", ["cities", "states", "checks"])
def test_hindi_data_coverage_every_tab(section: str) -> None:
    at = routed("coverage", lang="hi", section=section)
    assert at.title[0].value == "डेटा की उपलब्धता: संपूर्ण भारत"
    heads = [h.value for h in at.subheader]
    assert heads and all(hindi(h) for h in heads), heads
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any(hindi(t) for t in texts)
    for frame in at.dataframe:
        names = [str(c) for c in frame.value.columns if c not in ("area_id", "source_url")]
        shown = [n for n in names if not n.endswith("_source")]
        # Headers are Hindi (grids name their columns; check tables label them by config).
        configs = json.loads(frame.proto.columns or "{}")
        labels = [configs.get(n, {}).get("label") or n for n in shown]
        assert all(hindi(x) for x in labels), labels


def test_hindi_data_coverage_city_grid_names_and_markers() -> None:
    at = routed("coverage", lang="hi")
    grid = [d.value for d in at.dataframe if "शहर" in d.value.columns][0]
    assert "पुणे" in set(grid["शहर"]) and "महाराष्ट्र" in set(grid["राज्य/संघ राज्य क्षेत्र"])
    cells = " ".join(str(v) for v in grid.to_numpy().ravel())
    assert "(by)" not in cells and "(reply)" not in cells
    summary = at.markdown[0].value if at.markdown else ""
    assert any("शहरों के पास" in m.value for m in at.markdown), summary


def test_hindi_your_data_page_and_report() -> None:
    from tests import fixtures_bad as fb

    at = routed("load", lang="hi")
    assert at.title[0].value == "आपका डेटा"
    assert any(hindi(e.label) for e in at.expander)
    assert any("सार्वजनिक अभिलेख" in m.value for m in at.markdown)
    at.file_uploader(key="ld_files").set_value(
        [
            ("pune.csv", fb.good_progress_csv(), "text/csv"),
            ("vizag.csv", fb.unknown_city().data, "text/csv"),
        ]
    )
    at.run()
    assert not at.exception, at.exception
    heads = [h.value for h in at.subheader]
    assert {"आपकी फ़ाइलें", "सत्यापन रिपोर्ट", "इस डेटा का उपयोग करें"} <= set(heads), heads
    # The report's headers and severities in Hindi; the summary counts in Hindi.
    report = [d for d in at.dataframe if "severity" in d.value.columns][-1]
    assert set(report.value["severity"]) <= {"त्रुटि", "चेतावनी"}
    labels = [c.get("label") for c in json.loads(report.proto.columns).values()]
    assert "गंभीरता" in labels and "सुधार" in labels, labels
    assert any("त्रुटि" in e.value for e in (*at.error, *at.warning))
    mode = at.radio(key="ld_mode")
    assert hindi(mode.label) and all(hindi(o) for o in mode.options), mode.options


@pytest.mark.parametrize("section", ["sources", "method", "measures", "caveats", "cite"])
def test_hindi_about_every_tab(section: str) -> None:
    at = routed("about", lang="hi", section=section)
    assert at.title[0].value == "डैशबोर्ड और उसके स्रोतों का परिचय"
    body = [m.value for m in at.markdown if len(m.value) > 40]
    assert body and all(hindi(b) for b in body), body


def test_hindi_about_says_how_to_correct_a_translation_and_lists_measures_in_hindi() -> None:
    at = routed("about", lang="hi", section="method")
    text = " ".join(m.value for m in at.markdown)
    assert "अनुवाद जोड़ने या सुधारने के लिए" in text and "messages.po" in text
    at = routed("about", lang="hi", section="measures")
    [table] = at.table
    labels = table.value.iloc[:, 0].tolist()
    assert "पूर्ण परियोजनाएँ" in labels
    assert all(hindi(d) for d in table.value.iloc[:, 1]), table.value.iloc[:, 1].tolist()


@pytest.mark.parametrize(
    ("page", "params"),
    [("overview", {}), ("city", {"city": "srinagar"}), ("iccc", {})],
)
def test_hindi_card_help_texts(page: str, params: dict[str, str]) -> None:
    """The cards' tooltips say what the figure counts, and its date, in Hindi."""
    at = routed(page, lang="hi", **params)
    helps = [m.proto.help for m in at.metric]
    assert helps and all(hindi(h) for h in helps), helps
    # What the data says (its note) and the source URL stay as they are.
    ours = [re.split("टिप्पणी:|स्रोत:", h)[0] for h in helps]
    english = [h for h in ours if re.search(r"\b(cumulative|the date|as on|of)\b", h)]
    assert not english, english


@pytest.mark.parametrize(
    "params",
    [{}, {"view": "states"}, {"colour": "iccc", "size": "projects_completed_count"}],
)
def test_hindi_map(params: dict[str, str]) -> None:
    at = routed("map", lang="hi", **params)
    assert at.title[0].value == "मानचित्र: संपूर्ण भारत"
    labels = [w.label for w in (*at.radio, *at.selectbox)]
    assert labels and all(hindi(label) for label in labels), labels
    [spec] = specs(at)
    assert hindi(spec["layout"]["title"]["text"])
    names = [t["name"] for t in spec["data"] if t.get("name") and t.get("showlegend", True)]
    assert all(hindi(n) for n in names if not n.startswith("SYNTHETIC")), names
    notes = " ".join(a["text"] for a in spec["layout"].get("annotations", []))
    assert "स्रोत:" in notes and "Source:" not in notes
    hovers = " ".join(
        str(t.get("hovertemplate", "")) + str(t.get("name", "")) for t in spec["data"]
    )
    assert " as on " not in hovers
    captions = [c.value for c in at.caption]
    assert captions and all(hindi(c) for c in captions), captions
    table = at.dataframe[-1].value
    assert all(hindi(c) for c in table.columns), list(table.columns)


@pytest.mark.parametrize("table", ["progress", "cities", "events"])
def test_hindi_data_and_downloads(table: str) -> None:
    at = routed("data", lang="hi", table=table)
    assert at.title[0].value == "डेटा और डाउनलोड"
    heads = [h.value for h in at.subheader]
    assert heads and all(hindi(h) for h in heads), heads
    assert hindi(at.radio(key="data_table").label)
    assert all(hindi(o) for o in at.radio(key="data_table").options)
    captions = [c.value for c in at.caption]
    assert hindi(captions[0]) and "पंक्तियाँ" in captions[0], captions[0]
    assert "संपूर्ण भारत" in captions[0] and "All India" not in captions[0], captions[0]
    dictionary = [d.value for d in at.dataframe if "स्तंभ" in d.value.columns]
    assert dictionary and all(hindi(c) for c in dictionary[0].columns if c != "स्तंभ")
    assert all(hindi(label) for label in dictionary[0]["लेबल"]), list(dictionary[0]["लेबल"])
