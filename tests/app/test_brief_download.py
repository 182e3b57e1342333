"""The Overview and the City profile offer the printable brief, in the language of the link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import routed

pytestmark = pytest.mark.app


def downloads(at: AppTest) -> list:
    return [e for e in at.get("download_button") if "PDF" in e.proto.label]


@pytest.mark.parametrize(
    ("page", "params"),
    [("overview", {}), ("overview", {"state": "karnataka"}), ("city", {"city": "srinagar"})],
)
def test_the_brief_is_offered(page, params) -> None:
    at = routed(page, **params)
    assert not at.exception
    buttons = downloads(at)
    assert len(buttons) == 1
    assert buttons[0].proto.label == "Brief (PDF)"
    # Built on click (deferred), not on every run of the page.
    assert buttons[0].proto.deferred_file_id


def test_hindi_link_offers_the_hindi_brief_and_keeps_the_language() -> None:
    at = routed("city", city="srinagar", lang="hi")
    assert not at.exception
    assert [b.proto.label for b in downloads(at)] == ["संक्षिप्त विवरण (PDF)"]
    assert at.query_params["lang"] == "hi"
    assert at.query_params["city"] == "srinagar"


def test_an_unknown_language_warns_and_falls_back() -> None:
    at = routed("overview", lang="xx")
    assert not at.exception
    assert any("Unknown language" in w.value for w in at.warning)
    assert [b.proto.label for b in downloads(at)] == ["Brief (PDF)"]
    assert "lang" not in at.query_params
