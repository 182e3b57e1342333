"""The Hindi catalog is complete, compiled and covers every string the code marks."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from smartcities import i18n

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "smartcities/locale/hi/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")


def catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="hi")


def messages(cat) -> dict[str, object]:
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id}


def test_every_entry_is_translated_and_not_fuzzy() -> None:
    cat = catalog()
    assert not cat.fuzzy, "the catalog header is marked fuzzy; pybabel compile would skip it"
    bad = []
    for m in cat:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(s and s.strip() for s in strings):
            bad.append(m.id)
    assert not bad, f"untranslated or fuzzy entries in {PO.name} (edit it, run make i18n): {bad}"


def test_compiled_catalog_matches_the_po() -> None:
    """The committed .mo is what `make i18n` compiles from the .po (no stale translations)."""
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    for msgid, m in messages(catalog()).items():
        if isinstance(m.id, str):
            assert compiled.get(msgid) == m.string, f"{MO.name} is stale for {msgid!r}: make i18n"


def test_every_marked_string_is_in_the_catalog(tmp_path: Path, monkeypatch) -> None:
    """Extract _()/N_()/ngettext() strings (and the schema's labels) as `make i18n` does and
    compare with the catalog: a string added to the code without a translation fails here."""
    monkeypatch.chdir(ROOT)
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(pot), "--no-location", "."]
    )
    with pot.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert len(extracted) > 50, "extraction found almost nothing: is babel.cfg right?"
    missing = sorted(extracted - set(messages(catalog())))
    assert not missing, f"marked in code but not in the Hindi catalog (run make i18n): {missing}"


def test_schema_labels_are_extracted_and_translated() -> None:
    from smartcities.schema import METRICS

    for m in METRICS.values():
        assert i18n.has_translation("hi", m.label), m.label
        assert i18n.gettext("hi")(m.label) != m.label


def test_translator_english_is_the_source_and_unknown_languages_fall_back() -> None:
    assert i18n.gettext("en")("Projects completed") == "Projects completed"
    assert i18n.gettext("hi")("Projects completed") == "पूर्ण परियोजनाएँ"
    assert i18n.gettext("xx")("Projects completed") == "Projects completed"
    assert i18n.gettext(None)("Headline figures") == "Headline figures"
    assert i18n.normalise("fr") == "en"
    # Text the catalog does not have is shown as written (never blank).
    assert i18n.gettext("hi")("Not a catalog entry") == "Not a catalog entry"
    assert i18n.ngettext("en")("{n} city", "{n} cities", 2) == "{n} cities"


def test_glossary_terms_are_used_in_the_catalog() -> None:
    """Key terms read as the Ministry writes them (docs/glossary-hi.md)."""
    _ = i18n.gettext("hi")
    assert _("Work orders issued") == "जारी कार्य आदेश"
    assert "निविदा" in _("Projects tendered")
    assert "स्मार्ट सिटी मिशन" in _("Smart Cities Mission: {selection}")
    assert _("Projects completed") == "पूर्ण परियोजनाएँ"
    assert _("crore") == "करोड़" and _("lakh") == "लाख"
    glossary = (ROOT / "docs/glossary-hi.md").read_text(encoding="utf-8")
    for term in ("स्मार्ट सिटी मिशन", "कार्य आदेश", "निविदा", "उपयोगिता प्रमाण पत्र", "करोड़"):
        assert term in glossary
