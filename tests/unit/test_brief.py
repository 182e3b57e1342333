"""The printable brief: the PDF carries the page's headline figures, dates, sources and labels,
in English and Hindi, is A4, titled, language-tagged, small, and is rendered to PNG for review
(test-artifacts/brief-*.png: look at them)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from smartcities import brief, fmt, metrics
from smartcities.load import load_public
from smartcities.query import Engine, Scope
from smartcities.schema import METRICS
from smartcities.synthetic import synthetic_dataset

pytestmark = pytest.mark.unit

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TODAY = date(2026, 1, 20)
A4_PT = (595.28, 841.89)


@pytest.fixture(scope="module")
def public():
    ds = load_public()
    return ds, Engine(ds)


def make(ds, engine, scope: Scope, lang: str, name: str):
    b = brief.build(brief.selection(ds, engine, scope), lang, today=TODAY)
    pdf = brief.to_pdf(b)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"brief-{name}-{lang}.pdf").write_bytes(pdf)
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        doc[i].render(scale=1.3).to_pil().save(ARTIFACTS / f"brief-{name}-{lang}-p{i + 1}.png")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    return b, pdf, reader, pages


def flat(text: str) -> str:
    """Text with line breaks and spaces removed (URLs wrap across lines in print)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=["en", "hi"])
def india(public, request):
    ds, engine = public
    return (request.param, *make(ds, engine, Scope(), request.param, "india"))


@pytest.fixture(scope="module", params=["en", "hi"])
def srinagar(public, request):
    ds, engine = public
    return (request.param, *make(ds, engine, Scope(city_id="srinagar"), request.param, "srinagar"))


def test_india_brief_quotes_the_overview_headlines(public, india) -> None:
    lang, b, pdf, reader, pages = india
    ds, engine = public
    text = "\n".join(pages)
    latest = engine.latest(Scope(), levels=("national",))
    latest = latest[latest["area_id"] == "india"]
    page_cards = [k for k in metrics.national_headlines(latest) if k.raw is not None]
    assert len(b.cards) == len(page_cards) >= 8
    assert "7,767" in text
    if lang == "en":
        assert "₹1,55,859 crore" in text
        for k in page_cards:  # exactly as the Overview's cards show them
            assert k.value in text, k.label
        assert "as on 15 Jan 2026" in text
        assert "Cities needing attention" in text and "Sources" in text
        assert "Progress by selection round" in text and "States and UTs" in text
    else:
        assert "₹1,55,859 करोड़" in text
        for k in page_cards:
            unit = METRICS[k.key].unit if k.key in METRICS else None
            expected = fmt.value(k.raw, unit, "hi") if unit else k.value
            assert expected in text, k.label
        assert "15 जनवरी 2026" in text
        assert "Projects completed" not in text  # labels are Hindi
    # Sources: every card's source URL is listed in full.
    for k in page_cards:
        assert flat(k.source_url) in flat(text), k.source_url
    assert reader.metadata.title == b.title
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert len(pdf) < 2_000_000
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4_PT[0]) < 1 and abs(h - A4_PT[1]) < 1
    # The public record carries no synthetic label.
    assert "SYNTHETIC" not in text


def test_city_brief_for_srinagar(public, srinagar) -> None:
    lang, b, pdf, reader, pages = srinagar
    text = "\n".join(pages)
    if lang == "en":
        assert b.title == "Smart Cities Mission: Srinagar"
        assert "156 of 161" in text  # the City profile's completed card
        assert "on or before 15 Nov 2024" in text  # ICCC operational, an upper bound
        assert "Jammu and Kashmir" in text
    else:
        assert b.title == "स्मार्ट सिटी मिशन: श्रीनगर"
        assert "156 / 161" in text
        assert "15 नवंबर 2024" in text
        assert "₹3,524 करोड़" in text
    assert "ifg.cc" in text  # the cards' source
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert len(pdf) < 2_000_000


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_synthetic_label_on_every_page(lang) -> None:
    ds = synthetic_dataset(100)
    b, pdf, reader, pages = make(ds, Engine(ds), Scope(), lang, "synthetic")
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        assert "SYNTHETIC" in page, f"page {i} has no synthetic label"


def test_text_from_data_is_escaped(public) -> None:
    ds, engine = public
    from dataclasses import replace

    b = brief.build(brief.selection(ds, engine, Scope(city_id="srinagar")), "en", today=TODAY)
    evil = replace(b, dataset_label='<img src=x onerror="alert(1)">', page_label="a</div><b>")
    html = brief.to_html(evil)
    assert "<img" not in html and "&lt;img" in html and "&lt;/div&gt;&lt;b&gt;" in html


def test_file_name_is_safe() -> None:
    assert brief.file_name("srinagar", "hi") == "brief-srinagar-hi.pdf"
    assert brief.file_name("../../etc/passwd", "xx") == "brief-etcpasswd-en.pdf"


@pytest.mark.parametrize(
    ("scope", "title"),
    [
        (Scope(state_ut="Karnataka"), "स्मार्ट सिटी मिशन: कर्नाटक"),
        (Scope(round="Round 3"), "स्मार्ट सिटी मिशन: तीसरा दौर"),
        (Scope(state_ut="Bihar", round="Round 1"), "स्मार्ट सिटी मिशन: बिहार, पहला दौर"),
        (Scope(city_id="aligarh"), "स्मार्ट सिटी मिशन: अलीगढ़"),
    ],
)
def test_other_selections_in_hindi(public, scope, title) -> None:
    ds, engine = public
    b = brief.build(brief.selection(ds, engine, scope), "hi", today=TODAY)
    assert b.title == title
    html = brief.to_html(b)
    assert '<html lang="hi">' in html
    if not b.cards:  # a round or a city without headline figures says so
        assert "कोई मुख्य आँकड़ा सूचित नहीं" in html
    if scope.city_id:
        assert "उत्तर प्रदेश" in html  # the city's state, in Hindi
    else:
        assert "चयन के दौर के अनुसार प्रगति" in html


def test_an_earlier_date_gives_the_figures_of_then(public) -> None:
    ds, engine = public
    b = brief.build(brief.selection(ds, engine, Scope(as_of=date(2019, 1, 1))), "en", today=TODAY)
    assert b.as_on.startswith("Figures as on 1 Jan 2019")
    completed = next(c for c in b.cards if c.label == "Projects completed")
    assert completed.value != "7,767"
    assert "2018" in completed.dated or "2019" in completed.dated


def _hindi_words(b) -> set[str]:
    html = re.sub(r"<[^>]+>", " ", brief.to_html(b))
    return set(re.findall(r"[\u0900-\u097F]+", html))


def test_hindi_brief_text_extraction_limit_is_measured(public) -> None:
    """Copying Hindi out of the PDF: figures, dates and most words come out intact; words
    with a pre-base vowel sign (ि) or a conjunct often do not.

    Why (WeasyPrint 70, ``weasyprint/draw/text.py``): the PDF maps each glyph to text once
    (one ToUnicode entry per glyph id, the first use wins), taking the text from Pango's
    cluster table as ``text[cluster[i]:cluster[i + 1]]``. In a cluster drawn with several
    glyphs (ि before त in "ति", a half form in "स्थ", a reph in "र्ण") all glyphs share one
    cluster start, so the first glyph maps to "" and the last to the whole cluster; that
    mapping then holds for the glyph everywhere else ("स्रोत" copies as "स्रोति"). The
    drawing is right; only the text layer is. Fixing it needs per-cluster /ActualText, which
    WeasyPrint does not write. This test keeps the measure honest: it fails if extraction
    gets worse, and tells us to tighten it when a WeasyPrint release fixes the mapping."""
    ds, engine = public
    b = brief.build(brief.selection(ds, engine, Scope()), "hi", today=TODAY)
    pdf = brief.to_pdf(b)
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    )
    words = _hindi_words(b)
    intact = {w for w in words if w in text}
    share = len(intact) / len(words)
    # Measured 2026-12-04: 153 of 251 distinct Hindi words (61%) copy intact.
    assert 0.5 <= share < 0.95, f"{len(intact)} of {len(words)} Hindi words extract intact"
    for word in ("करोड़", "जनवरी", "आँकड़े", "अनुसार"):  # plain letters: always intact
        assert word in intact, word
