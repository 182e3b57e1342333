"""Switching the language in the sidebar relabels the filters the browser already shows.

Streamlit's browser keeps a selectbox's or radio's choice by its *label*; when the labels change
with the language and the server does not send the value again, the browser keeps showing the
old English label ("All states/UTs") and a radio whose label is gone shows no selection. The
frame re-sends the filters' values in the run where the language changed; these tests read the
widgets' protos for that (AppTest itself keeps values server-side, so the proto is what shows
the browser's side)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcities.i18n import gettext
from smartcities.schema import TABLES
from smartcities.ui.frame import W

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]


def _switch(to: str, start: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if start != "en":
        at.query_params["lang"] = start
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    at.sidebar.radio(key=W["lang"]).set_value(to).run()
    assert not at.exception, at.exception
    return at


def test_switching_to_hindi_sends_the_filters_hindi_labels_to_the_browser() -> None:
    at = _switch("hi", state="maharashtra")
    state = at.sidebar.selectbox(key=W["state"])
    rnd = at.sidebar.selectbox(key=W["round"])
    city = at.sidebar.selectbox(key=W["city"])
    as_of = at.sidebar.selectbox(key=W["as_of"])
    dataset = at.sidebar.radio(key=W["dataset"])
    # The choices are kept (by value) ...
    assert (state.value, rnd.value, city.value, as_of.value) == ("maharashtra", "", "", "")
    assert dataset.value == "public"
    # ... and the browser is told the Hindi label of each, not left with the English one.
    assert state.proto.set_value and state.proto.raw_value == "महाराष्ट्र"
    assert rnd.proto.set_value and rnd.proto.raw_value == "सभी दौर"
    assert city.proto.set_value and city.proto.raw_value == "सभी शहर"
    assert as_of.proto.set_value and as_of.proto.raw_value == "नवीनतम रिपोर्ट"
    assert dataset.proto.set_value and dataset.proto.raw_value == "सार्वजनिक अभिलेख"
    assert dataset.proto.options[0] == "सार्वजनिक अभिलेख"


def test_switching_back_to_english_relabels_too() -> None:
    at = _switch("en", start="hi")
    state = at.sidebar.selectbox(key=W["state"])
    assert state.proto.set_value and state.proto.raw_value == "All states/UTs"
    assert at.sidebar.radio(key=W["dataset"]).proto.set_value


def test_a_rerun_in_the_same_language_does_not_resend_the_values() -> None:
    """Only the run where the labels change re-sends them: re-sending on every run would
    overwrite a choice the user is making in the browser."""
    at = _switch("hi")
    at.run()
    assert not at.exception, at.exception
    assert not at.sidebar.selectbox(key=W["state"]).proto.set_value
    assert not at.sidebar.radio(key=W["dataset"]).proto.set_value


def test_a_pages_own_choices_are_relabelled_too() -> None:
    """The Data page's table radio (a page option) after English → Hindi: its Hindi label is
    sent, so the browser shows the choice instead of none."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/data.py")
    at.query_params["table"] = "iccc"
    at.run()
    assert not at.exception, at.exception
    at.sidebar.radio(key=W["lang"]).set_value("hi").run()
    assert not at.exception, at.exception
    table = at.radio(key="data_table")
    assert table.value == "iccc"
    hindi = gettext("hi")(TABLES["iccc"].title)
    assert hindi != TABLES["iccc"].title
    assert table.proto.set_value and table.proto.raw_value == hindi
