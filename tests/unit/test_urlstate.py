"""URL state: decode validates, encode writes only non-defaults, and they round-trip."""

from datetime import date

import pandas as pd
import pytest

from smartcities.safe import escape
from smartcities.urlstate import (
    KEYS,
    FilterState,
    Option,
    Vocabulary,
    capped,
    decode,
    decode_choice,
    decode_options,
    encode,
    encode_options,
    repeated,
    to_scope,
)

pytestmark = pytest.mark.unit

VOCAB = Vocabulary(
    states={"tamil-nadu": "Tamil Nadu", "bihar": "Bihar", "maharashtra": "Maharashtra"},
    rounds={"round-1": "Round 1", "fast-track": "Fast Track"},
    cities={"chennai": "Chennai", "patna": "Patna", "pune": "Pune"},
    city_state={"chennai": "tamil-nadu", "patna": "bihar", "pune": "maharashtra"},
    city_round={"chennai": "round-1", "patna": "", "pune": "round-1"},
)
TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("params", "expected", "n_warnings"),
    [
        ({}, FilterState(), 0),
        ({"state": "bihar"}, FilterState(state="bihar"), 0),
        ({"state": "Tamil Nadu"}, FilterState(state="tamil-nadu"), 0),
        ({"state": "atlantis"}, FilterState(), 1),
        ({"round": "fast-track"}, FilterState(round="fast-track"), 0),
        ({"round": "round-9"}, FilterState(), 1),
        ({"city": "pune"}, FilterState(city="pune"), 0),
        ({"city": "pune", "state": "bihar"}, FilterState(state="bihar"), 1),
        ({"city": "patna", "round": "round-1"}, FilterState(round="round-1"), 1),
        ({"as_of": "2024-11-15"}, FilterState(as_of=date(2024, 11, 15)), 0),
        ({"as_of": "15/11/2024"}, FilterState(), 1),
        ({"as_of": "1999-01-01"}, FilterState(), 1),
        ({"as_of": "2099-01-01"}, FilterState(), 1),
        ({"dataset": "synthetic"}, FilterState(dataset="synthetic"), 0),
        ({"dataset": "<script>"}, FilterState(), 1),
        ({"state": ["bihar", "goa"]}, FilterState(state="bihar"), 0),
        ({"state": "x" * 10_000}, FilterState(), 1),
    ],
)
def test_decode_table(params, expected, n_warnings):
    state, warnings = decode(params, VOCAB, today=TODAY)
    assert state == expected
    assert len(warnings) == n_warnings


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(state="bihar", city="patna"),
        FilterState(round="round-1", as_of=date(2021, 6, 30), dataset="synthetic"),
        FilterState(city="pune"),
    ],
)
def test_round_trip(state):
    back, warnings = decode(encode(state), VOCAB, today=TODAY)
    assert back == state and warnings == []


def test_encode_writes_only_non_defaults():
    assert encode(FilterState()) == {}
    assert encode(FilterState(dataset="public", state="bihar")) == {"state": "bihar"}


def test_decode_choice():
    assert decode_choice({"view": "states"}, "view", ("cities", "states"), "cities") == (
        "states",
        None,
    )
    value, warning = decode_choice({"view": "zzz"}, "view", ("cities", "states"), "cities")
    assert value == "cities" and "zzz" in warning


def test_to_scope_uses_display_names():
    scope = to_scope(FilterState(state="tamil-nadu", round="round-1"), VOCAB)
    assert scope.state_ut == "Tamil Nadu" and scope.round == "Round 1"
    assert pd.isna(scope.city_id) or scope.city_id is None


def test_warnings_quote_values_as_plain_text():
    """Messages are plain text (the render helpers escape them); the value is quoted whole,
    without controls or bidi overrides, and cut to a readable length."""
    _, warnings = decode({"state": "[click](https://evil.example)\u202e\x07"}, VOCAB, today=TODAY)
    assert "'[click](https://evil.example)'" in warnings[0]
    assert "\u202e" not in warnings[0] and "\x07" not in warnings[0]
    shown = escape(warnings[0])
    assert "](" not in shown and "https://" not in shown
    _, long = decode({"state": "x" * 500}, VOCAB, today=TODAY)
    assert len(long[0]) < 200


def test_bad_values_are_capped_with_one_summary_line():
    lines = capped([f"bad {i}" for i in range(20_000)], "unknown metrics")
    assert lines[:3] == ["bad 0", "bad 1", "bad 2"]
    assert len(lines) == 4 and "19,997 more unknown metrics" in lines[-1]
    assert capped(["a", "b"], "x") == ["a", "b"]


def test_repeated_parameters_are_warned():
    warnings = repeated({"state": ["goa", "bihar"], "round": ["round-1"]}, KEYS)
    assert len(warnings) == 1 and "'state' 2 times" in warnings[0] and "'bihar'" in warnings[0]
    assert repeated({"state": ["goa"]}, KEYS) == []


@pytest.mark.parametrize(
    ("params", "lang", "n_warnings"),
    [
        ({}, "en", 0),
        ({"lang": "hi"}, "hi", 0),
        ({"lang": "en"}, "en", 0),
        ({"lang": "fr"}, "en", 1),
    ],
)
def test_language_in_the_link(params, lang, n_warnings) -> None:
    state, warnings = decode(params, VOCAB, TODAY)
    assert state.lang == lang
    assert len(warnings) == n_warnings
    # Only the non-default language is written, and it round-trips.
    assert encode(state) == ({"lang": "hi"} if lang == "hi" else {})
    assert decode(encode(state), VOCAB, TODAY)[0] == state


# A page's own options: a plain choice, a choice that depends on it, a comma list.
SPEC = (
    Option("view", ("cities", "states"), "cities"),
    Option("colour", {"cities": ("iccc", "round"), "states": ("iccc", "cities")}, "iccc", "view"),
    Option("metric", ("a_count", "b_pct"), (), many=True),
)
DEFAULTS = {"view": "cities", "colour": "iccc", "metric": ()}


@pytest.mark.parametrize(
    ("params", "expected", "n_warnings"),
    [
        ({}, {}, 0),
        ({"view": "states"}, {"view": "states"}, 0),
        ({"view": "zzz"}, {}, 1),  # unknown: the default, and a warning
        ({"view": "states", "colour": "cities"}, {"view": "states", "colour": "cities"}, 0),
        ({"colour": "cities"}, {}, 1),  # allowed only in the states view
        ({"view": ["states", "cities"]}, {}, 1),  # repeated: the last value, and a warning
        ({"view": ["cities", "states"]}, {"view": "states"}, 1),
        ({"metric": "b_pct,a_count,b_pct"}, {"metric": ("b_pct", "a_count")}, 0),
        ({"metric": "a_count,nope"}, {"metric": ("a_count",)}, 1),  # the unknown item left out
        ({"metric": ",,"}, {}, 0),
        ({"unrelated": "x"}, {}, 0),
    ],
)
def test_page_options_decode_table(params, expected, n_warnings) -> None:
    values, warnings = decode_options(params, SPEC)
    assert values == {**DEFAULTS, **expected}
    assert len(warnings) == n_warnings


def test_page_option_warnings_word_for_word() -> None:
    _, warnings = decode_options({"view": "zzz", "metric": "nope"}, SPEC)
    assert warnings == [
        "Unknown view 'zzz' in the link; showing 'cities'.",
        "Unknown metric 'nope' in the link; it was left out.",
    ]
    _, warnings = decode_options({"view": ["cities", "states"]}, SPEC)
    assert warnings == ["The link gives 'view' 2 times; using the last value, 'states'."]
    _, warnings = decode_options({"view": "[x](https://evil.example)\u202e"}, SPEC)
    assert "'[x](https://evil.example)'" in warnings[0] and "\u202e" not in warnings[0]


def test_many_unknown_items_are_counted_in_one_line() -> None:
    bad = ",".join(f"bad{i}" for i in range(20_000))
    values, warnings = decode_options({"metric": bad + ",a_count"}, SPEC)
    assert values["metric"] == ("a_count",)
    assert len(warnings) == 4 and "19,997 more unknown metrics" in warnings[-1]


def test_page_options_encode_only_non_defaults() -> None:
    assert encode_options(DEFAULTS, SPEC) == {}
    assert encode_options({}, SPEC) == {}
    assert encode_options({**DEFAULTS, "metric": ("b_pct", "a_count")}, SPEC) == {
        "metric": "b_pct,a_count"
    }
    assert encode_options({**DEFAULTS, "view": "states", "colour": "cities"}, SPEC) == {
        "view": "states",
        "colour": "cities",
    }


@pytest.mark.parametrize(
    "values",
    [
        DEFAULTS,
        {**DEFAULTS, "view": "states"},
        {"view": "states", "colour": "cities", "metric": ("a_count",)},
        {"view": "cities", "colour": "round", "metric": ("b_pct", "a_count")},
    ],
)
def test_page_options_round_trip(values) -> None:
    params = encode_options(values, SPEC)
    assert decode_options(params, SPEC) == (values, [])
