"""Hindi number and date formatting: Indian grouping, Western digits, लाख/करोड़, hi_IN dates;
English output unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import fmt

pytestmark = pytest.mark.unit

DAY = pd.Timestamp("2026-01-15")


def test_amounts_and_counts_keep_indian_grouping_and_western_digits() -> None:
    assert fmt.inr_crore(155859, lang="hi") == "₹1,55,859 करोड़"
    assert fmt.inr_crore(155859) == "₹1,55,859 crore"
    assert fmt.value(155859, "inr_crore", "hi") == "₹1,55,859 करोड़"
    assert fmt.value(7767, "count", "hi") == "7,767" == fmt.value(7767, "count")
    assert fmt.value(12.5, "inr_crore", "hi") == "₹12.5 करोड़"
    assert fmt.value(12.5, "inr_crore") == "₹12.5 crore"
    assert fmt.value(1, "flag", "hi") == "हाँ" and fmt.value(0, "flag", "hi") == "नहीं"
    assert fmt.value(1, "flag") == "yes"


def test_compact_words() -> None:
    assert fmt.compact(150000, "hi") == "1.5 लाख"
    assert fmt.compact(25_000_000, "hi") == "2.5 करोड़"
    assert fmt.compact(150000) == "1.5 lakh"
    assert fmt.inr_crore_compact(155386, "hi") == "₹1.55 लाख करोड़"
    assert fmt.inr_crore_compact(9425, "hi") == "₹9,425 करोड़"
    assert fmt.inr_crore_compact(155386) == "₹1.55 lakh crore"
    assert fmt.tick_labels([0, 5000], "inr_crore", "hi") == ["₹0 करोड़", "₹5,000 करोड़"]


def test_dates_through_babel_hi_in() -> None:
    assert fmt.as_on(DAY, "hi") == "15 जनवरी 2026"
    assert fmt.as_on(pd.Timestamp("2025-12-01"), "hi") == "1 दिसंबर 2025"
    assert fmt.as_on(DAY) == "15 Jan 2026"
    assert fmt.as_on(None, "hi") == "तिथि ज्ञात नहीं"


@pytest.mark.parametrize(
    ("basis", "hindi", "english"),
    [
        ("as_on", "15 जनवरी 2026 की स्थिति के अनुसार", "as on 15 Jan 2026"),
        (None, "15 जनवरी 2026 की स्थिति के अनुसार", "as on 15 Jan 2026"),
        (
            "reply",
            "15 जनवरी 2026 को सूचित (स्थिति की तिथि नहीं बताई गई)",
            "reported 15 Jan 2026 (as-on date not stated)",
        ),
        ("on_or_before", "15 जनवरी 2026 को या उससे पहले", "on or before 15 Jan 2026"),
    ],
)
def test_date_basis_wording(basis, hindi, english) -> None:
    assert fmt.dated(DAY, basis, "hi") == hindi
    assert fmt.dated(DAY, basis) == english
    assert fmt.dated(pd.NaT, basis, "hi") == "तिथि ज्ञात नहीं"


def test_an_unknown_language_gives_english_words() -> None:
    assert fmt.inr_crore(100, lang="xx") == "₹100 crore"
