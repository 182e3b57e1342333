"""The About page's model (smartcities.about_view): sources counted from the data set in use,
links only from web addresses, measures generated from the contract, the citation carrying
the data's vintage, in English and Hindi."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from smartcities import about_view
from smartcities.dataset import Dataset
from smartcities.query import Engine
from smartcities.schema import METRICS

pytestmark = pytest.mark.unit


@pytest.fixture
def public(public_engine: Engine) -> Engine:
    return public_engine


def test_sources_are_counted_from_the_data_set(public) -> None:
    shown = about_view.sources(public)
    counts = public.source_counts()
    assert shown.message is None
    assert len(shown.pages) == counts["source_url"].nunique()
    assert shown.pages["rows"].sum() == counts["rows"].sum()
    assert shown.summary.startswith(f"{len(shown.pages)} distinct sources on ")
    domains = shown.domains.frame
    assert domains["pages"].sum() == len(shown.pages)
    assert shown.domains.units == {"pages": "count", "rows": "count"}


def test_links_only_from_web_addresses() -> None:
    urls = [
        "https://pib.gov.in/a",
        "javascript:alert(1)",
        "Lok Sabha unstarred question 1234",
        "http://example.org/b",
    ]
    progress = pd.DataFrame(
        {
            "as_of_date": pd.Timestamp("2024-01-01"),
            "level": "national",
            "area_id": "india",
            "area_name": "India",
            "metric": "projects_completed_count",
            "value": [1.0, 2.0, 3.0, 4.0],
            "unit": "count",
            "source_url": urls,
        }
    )
    engine = Engine(Dataset({"progress": progress}, "uploaded", "Uploaded: x.csv"))
    try:
        pages = about_view.sources(engine).pages.set_index("source_url")
    finally:
        engine.close()
    assert pages.loc["https://pib.gov.in/a", "link"] == "https://pib.gov.in/a"
    assert pages.loc["http://example.org/b", "link"] == "http://example.org/b"
    assert pd.isna(pages.loc["javascript:alert(1)", "link"])
    assert pd.isna(pages.loc["Lok Sabha unstarred question 1234", "link"])


def test_a_data_set_without_sources_says_so() -> None:
    engine = Engine(Dataset({}, "uploaded", "Uploaded: empty.csv"))
    try:
        shown = about_view.sources(engine)
    finally:
        engine.close()
    assert shown.message == "This data set names no sources."
    assert shown.pages.empty


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_measures_are_the_contract(lang) -> None:
    shown = about_view.measures(lang)
    assert len(shown.table) == len(METRICS)
    assert list(shown.table.iloc[:, -1]) == list(METRICS), "metric names stay the contract's"
    if lang == "en":
        assert list(shown.table["What it counts"]) == [m.description for m in METRICS.values()]
        assert "1 lakh crore = ₹1,00,000 crore" in shown.kinds
    else:
        assert "What it counts" not in shown.table.columns


def test_citation_carries_the_vintage_and_access_date(public) -> None:
    vintage = public.dataset.latest_as_of()
    shown = about_view.citation(public.dataset, vintage, accessed=date(2026, 12, 4))
    assert shown.text.startswith("Smart Cities Mission dashboard (open source).")
    assert f"figures as on {vintage.date().isoformat()}; accessed 2026-12-04." in shown.text
    assert "MIT licence" in shown.credit
    hindi = about_view.citation(public.dataset, vintage, accessed=date(2026, 12, 4), lang="hi")
    assert vintage.date().isoformat() in hindi.text and "2026-12-04" in hindi.text
    assert "Smart Cities Mission dashboard" not in hindi.text


def test_citation_of_data_without_a_date() -> None:
    data = Dataset({}, "uploaded", "Uploaded: x.csv")
    shown = about_view.citation(data, None, accessed=date(2026, 12, 4))
    assert "figures as on latest" in shown.text and "Uploaded: x.csv" in shown.text


def test_intro_escapes_the_data_set_name() -> None:
    data = Dataset({}, "uploaded", "Uploaded: [x](https://phish.example) $x$.csv")
    text = about_view.intro(data, None)
    assert "[x](https://phish.example)" not in text and "$x$" not in text
    assert "Data set shown: **" in text


def test_caveats_and_notes() -> None:
    assert "in English" not in about_view.caveats("en").notes_title
    assert about_view.caveats("hi").notes_title.endswith("· अंग्रेज़ी में")
    assert about_view.source_notes() is not None
    assert about_view.source_notes(about_view.SOURCE_NOTES.with_name("missing.md")) is None
    assert "build_data.py" in about_view.method()


@pytest.mark.parametrize(
    ("lang", "warning"), [("en", "SYNTHETIC DATA, NOT REAL FIGURES"), ("hi", "कृत्रिम डेटा")]
)
def test_a_synthetic_data_sets_citation_says_so(lang, warning) -> None:
    data = Dataset({}, "synthetic", "SYNTHETIC sample: 100 cities (generated, not real figures)")
    shown = about_view.citation(data, None, accessed=date(2026, 12, 4), lang=lang)
    assert shown.text.startswith(warning)
    real = about_view.citation(
        Dataset({}, "public", "Public record"), None, accessed=date(2026, 12, 4), lang=lang
    )
    assert "SYNTHETIC" not in real.text and "कृत्रिम" not in real.text
