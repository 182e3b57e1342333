"""The hostile data set adopted through "Your data", alone and merged: every page and tab
renders, and no Markdown-parsed text on it holds live markup from the data.

Every element's text fields (Markdown bodies, titles, captions, alerts, widget, tab,
expander, metric and page-link labels, help tooltips) are read from the element protos, so
a new call site is covered without changing this test. A field fails if it holds an
unescaped ``](``, ``![``, ``$``, ``:red[``-style directive, ``:material/`` icon or HTML
tag. Chart specs are checked for HTML beyond our own ``<b>``/``<br>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from smartcities.ui import data, upload
from tests import hostile

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 90

# Fields of element protos that Streamlit renders as Markdown (or shows as a tooltip).
MARKDOWN_FIELDS = {"body", "label", "help", "title", "caption", "text", "placeholder"}
LIVE = [
    (re.compile(r"(?<!\\)\]\("), "link"),
    (re.compile(r"(?<!\\)!\["), "image"),
    (re.compile(r"(?<!\\)\$"), "math"),
    (re.compile(r"(?<!\\):[a-z]+\["), "directive"),
    (re.compile(r"(?<!\\):material/"), "icon"),
    (re.compile(r"(?<!\\)<\s*/?\s*[A-Za-z]"), "html"),
    # GFM links bare addresses in text after escapes are resolved: only a joiner stops it.
    (re.compile(r"https?\\?://|www\\?\.|[\w.+-]\\?@\w", re.IGNORECASE), "autolink"),
]
CHART_TAGS = hostile.CHART_TAGS
TEMPLATES = ("hovertemplate", "texttemplate")  # code; checked by hostile.template_problems

# Every page and tab, as (page, query parameters).
VIEWS: list[tuple[str, dict[str, str]]] = [
    ("overview", {}),
    *[("progress", {"section": s}) for s in ("stages", "trend", "funds", "totals", "compare")],
    *[("progress", {"section": "stages", "city": c[0]}) for c in hostile.CITIES[:2]],
    *[("iccc", {"section": s}) for s in ("national", "stages", "cities")],
    *[("map", {"view": v}) for v in ("cities", "states", "boundaries")],
    ("map", {"view": "cities", "colour": "selection_round"}),
    ("city", {}),
    *[("city", {"city": c[0]}) for c in hostile.CITIES],
    *[("data", {"table": t}) for t in ("progress", "cities", "iccc", "events")],
    *[("about", {"section": s}) for s in ("sources", "method", "measures", "caveats", "cite")],
    *[("coverage", {"section": s}) for s in ("cities", "states", "checks")],
    ("load", {}),
]
# Lazy expanders opened, so their content (source lists with non-web sources) is checked too.
OPEN_BOXES = ("ov_sources_box", "data_sources_box", "about_sources_box", "about_notes_box")


def elements(node: object) -> Iterator[object]:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from elements(child)
    if getattr(node, "proto", None) is not None:
        yield node


def markdown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type and field, text) for every Markdown-parsed text on the page."""
    for element in elements(at._tree):
        kind = type(element).__name__
        if kind in ("PlotlyChart", "Dataframe", "UnknownElement"):
            continue
        fields = MessageToDict(element.proto, preserving_proto_field_name=True)

        def walk(node: object, name: str = "") -> Iterator[tuple[str, str]]:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key not in ("icon", "spec", "data", "options", "default", "value"):
                        yield from walk(value, key)
            elif isinstance(node, list):
                for value in node:
                    yield from walk(value, name)
            elif isinstance(node, str) and name in MARKDOWN_FIELDS:
                yield f"{kind}.{name}", node

        yield from walk(fields)


def project_texts() -> set[str]:
    """Markdown written by the project (``safe.trusted``): its links are meant."""
    from smartcities import provenance
    from smartcities.config import BUNDLED_DATA

    notes = BUNDLED_DATA / "SOURCES.md"
    written = {provenance.METHODOLOGY_MD, provenance.CAVEATS_MD}
    written |= {notes.read_text(encoding="utf-8")} if notes.exists() else set()
    return {" ".join(t.split()) for t in written}


def live_markup(at: AppTest) -> list[str]:
    found = []
    trusted = project_texts()
    for where, text in markdown_texts(at):
        if " ".join(text.split()) in trusted:
            continue
        for pattern, what in LIVE:
            if pattern.search(text):
                found.append(f"{what} in {where}: {text[:160]!r}")
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec.get("data", []):
            for key in TEMPLATES:
                template = trace.pop(key, None)
                if isinstance(template, str):
                    found += [
                        f"data in chart {key}: {p!r}" for p in hostile.template_problems(template)
                    ]
        text = json.dumps(spec)
        tags = set(hostile.TAG.findall(text.replace("\\u003c", "<")))
        if tags - CHART_TAGS:
            found.append(f"html in chart: {sorted(tags - CHART_TAGS)[:3]}")
    return found


def _extreme(metric: str, value: float, unit: str) -> tuple:
    return ("2024-03-31", "national", "india", "India", "", metric, value, unit, "", "")


# The largest values the schema allows, beside one it refuses (1e28): pages must render.
EXTREMES = [
    hostile.HUGE_ROW,
    _extreme("projects_tendered_count", 99_999_999, "count"),
    _extreme("central_funds_released_inr_crore", 9_999_999, "inr_crore"),
    _extreme("funds_utilised_inr_crore", 0, "inr_crore"),
]


def adopted(mode: str) -> dict[str, object]:
    """Upload the hostile files on "Your data", adopt them; the session's upload state.

    ``extremes``: the hostile set plus the extreme values above, used alone."""
    files = hostile.files()
    if mode == "extremes":
        files[1] = (files[1][0], hostile.progress_csv(EXTREMES))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/load.py").run()
    at.file_uploader(key="ld_files").set_value(
        [(name, content, "text/csv") for name, content in files]
    ).run()
    assert not at.exception, at.exception
    assert live_markup(at) == []
    if mode == "extremes":
        reports = [d.value for d in at.dataframe if "message" in d.value.columns]
        messages = [(m, v) for r in reports for m, v in zip(r["message"], r["value"], strict=True)]
        refused = {v for m, v in messages if "larger than any real record" in m}
        assert refused == {"1e+28"}
    at.radio(key=upload.MODE_KEY).set_value("alone" if mode == "extremes" else mode).run()
    at.button(key="ld_adopt").click().run()
    assert not at.exception, at.exception
    assert at.session_state["flt_dataset"] == "uploaded"
    assert live_markup(at) == []
    return {key: at.session_state[key] for key in (data.UPLOAD_KEY, data.UPLOAD_ENGINE_KEY)}


@pytest.fixture(scope="module", params=["alone", "merge", "extremes"])
def session(request: pytest.FixtureRequest) -> dict[str, object]:
    return adopted(request.param)


def visit(session: dict[str, object], page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in session.items():
        at.session_state[key] = value
    for key in OPEN_BOXES:
        at.session_state[key] = True
    at.switch_page(f"pages/{page}.py")
    at.query_params["dataset"] = "uploaded"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    "page, params", VIEWS, ids=[f"{p}-{'-'.join(q.values()) or 'default'}" for p, q in VIEWS]
)
def test_no_markdown_from_the_data_is_live(session, page, params) -> None:
    at = visit(session, page, params)
    assert live_markup(at) == []


def test_the_hostile_names_do_reach_the_page(session) -> None:
    """The check is not vacuous: the City profile's title is the hostile name, escaped."""
    at = visit(session, "city", {"city": "hostile-a"})
    title = at.title[0].value
    assert "Hostville" in title and "Verify your login" in title
    assert "\\[Verify your login\\]" in title


def test_the_check_finds_live_markup() -> None:
    """A page that hands a hostile name to st.markdown directly is caught."""
    script = f"import streamlit as st\nst.markdown({hostile.LINK!r})\nst.caption({hostile.LATEX!r})"
    at = AppTest.from_string(script).run()
    kinds = {f.split(" ")[0] for f in live_markup(at)}
    assert kinds == {"link", "math", "autolink"}


def test_the_check_finds_data_in_a_chart_template() -> None:
    """A chart that puts a hostile name into its hovertemplate is caught."""
    script = (
        "import plotly.graph_objects as go\nimport streamlit as st\n"
        f"name = {hostile.CITIES[4][1]!r}\n"
        "st.plotly_chart(go.Figure(go.Scatter(x=[1], y=[1], hovertemplate=name)))"
    )
    at = AppTest.from_string(script).run()
    found = live_markup(at)
    assert any("<span" in f for f in found) and any("%{meta[0]}" in f for f in found)
