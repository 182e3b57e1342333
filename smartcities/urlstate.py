"""The shareable view state: what goes in the URL, and how it is read back safely.

Query parameters ``state``, ``round``, ``city``, ``as_of``, ``dataset`` and ``lang`` are the
public contract, shared by every page. :func:`decode` validates each against the data set's
known values: an unknown value gives a warning and the default, never an exception.
:func:`encode` writes only non-default values, so a default view has a clean URL. Each page
also owns a few options of its own (an :class:`Option` spec: the map's ``view``, the data
page's ``table``), read by :func:`decode_options` and written by :func:`encode_options` by the
same rules. All of it is pure and tested as a round trip; ``smartcities.ui.options`` is the
only glue between these and the widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, LANGS, N_, gettext
from smartcities.names import clean_text, slugify
from smartcities.query import Scope
from smartcities.safe import plain

DATASETS: tuple[str, ...] = ("public", "synthetic", "uploaded")
KEYS: tuple[str, ...] = ("state", "round", "city", "as_of", "dataset", "lang")
EARLIEST = date(2015, 1, 1)


@dataclass(frozen=True)
class FilterState:
    """Filters shared by every page. Identifiers are URL slugs (``tamil-nadu``, ``round-1``)."""

    state: str | None = None
    round: str | None = None
    city: str | None = None
    as_of: date | None = None
    dataset: str = "public"
    lang: str = DEFAULT_LANG  # interface language (i18n.LANGS)


@dataclass(frozen=True)
class Vocabulary:
    """The values a URL may name, for the data set in use (slug -> display name)."""

    states: Mapping[str, str]
    rounds: Mapping[str, str]
    cities: Mapping[str, str]
    city_state: Mapping[str, str]  # city_id -> state slug
    city_round: Mapping[str, str]  # city_id -> round slug ('' when none)


MAX_WARNINGS = 3  # per kind of bad value; the rest are counted in one line


def shown(raw: str, limit: int = 60) -> str:
    """A URL value quoted in a message: shortened, controls and bidi overrides removed.

    Messages are plain text: the render helpers escape them for Markdown."""
    return plain(raw, limit)


def capped(
    messages: Sequence[str], what: str, limit: int = MAX_WARNINGS, lang: str = DEFAULT_LANG
) -> list[str]:
    """The first ``limit`` messages, then one line counting the rest (a link with 20,000 bad
    values must not draw 20,000 warnings)."""
    if len(messages) <= limit:
        return list(messages)
    rest = len(messages) - limit
    _ = gettext(lang)
    line = _("… and {rest} more {what} in the link were left out.")
    return [*messages[:limit], line.format(rest=f"{rest:,}", what=_(what))]


def repeated(
    params: Mapping[str, Sequence[str]], keys: Sequence[str], lang: str = DEFAULT_LANG
) -> list[str]:
    """Warnings for parameters given more than once (``?state=a&state=b``): which value is used.

    ``params`` maps each key to all its values, in order; the page uses the last one, as
    Streamlit does, and says so rather than choosing silently."""
    _ = gettext(lang)
    out = []
    for key in keys:
        values = list(params.get(key, ()))
        if len(values) > 1:
            out.append(
                _("The link gives '{key}' {n} times; using the last value, '{value}'.").format(
                    key=key, n=len(values), value=shown(values[-1])
                )
            )
    return capped(out, N_("repeated parameters"), lang=lang)


def _first(value: object) -> str | None:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = clean_text(str(value))[:200]
    return text or None


# What a bad filter value was meant to be, for the warning ("Unknown state/UT ...").
_WHAT = {
    "state": (N_("Unknown state/UT '{value}' in the link; showing all states/UTs instead.")),
    "round": (N_("Unknown round '{value}' in the link; showing all rounds instead.")),
    "city": (N_("Unknown city '{value}' in the link; showing all cities instead.")),
}


def decode(
    params: Mapping[str, object],
    vocab: Vocabulary,
    today: date | None = None,
    lang: str = DEFAULT_LANG,
) -> tuple[FilterState, list[str]]:
    """Read filters from query parameters; return the state and warnings (in ``lang``) for
    bad values."""
    _ = gettext(lang)
    warnings: list[str] = []
    out = FilterState()

    def pick(key: str, known: Mapping[str, str], what: str) -> str | None:
        raw = _first(params.get(key))
        if raw is None:
            return None
        slug = slugify(raw)
        if slug in known:
            return slug
        warnings.append(_(_WHAT[key]).format(value=shown(raw)))
        return None

    dataset = _first(params.get("dataset"))
    if dataset is not None:
        if dataset in DATASETS:
            out = replace(out, dataset=dataset)
        else:
            warnings.append(
                _(
                    "Unknown data set '{value}' in the link; showing the public record. "
                    "Choose one of: {choices}."
                ).format(value=shown(dataset), choices=", ".join(DATASETS))
            )
    wanted_lang = _first(params.get("lang"))
    if wanted_lang is not None:
        if wanted_lang in LANGS:
            out = replace(out, lang=wanted_lang)
        else:
            warnings.append(
                _(
                    "Unknown language '{value}' in the link; showing English. "
                    "Choose one of: {choices}."
                ).format(value=shown(wanted_lang), choices=", ".join(LANGS))
            )
    out = replace(
        out,
        state=pick("state", vocab.states, "state/UT"),
        round=pick("round", vocab.rounds, "round"),
        city=pick("city", vocab.cities, "city"),
    )
    if out.city:
        city_state = vocab.city_state.get(out.city)
        city_round = vocab.city_round.get(out.city)
        if out.state and city_state != out.state:
            warnings.append(
                _("{city} is not in {state}; the city filter was dropped.").format(
                    city=place_name("city", vocab.cities[out.city], lang),
                    state=place_name("state", vocab.states[out.state], lang),
                )
            )
            out = replace(out, city=None)
        elif out.round and city_round != out.round:
            warnings.append(
                _("{city} was not selected in {round}; the city filter was dropped.").format(
                    city=place_name("city", vocab.cities[out.city], lang),
                    round=_(vocab.rounds[out.round]),
                )
            )
            out = replace(out, city=None)
    raw_date = _first(params.get("as_of"))
    if raw_date is not None:
        try:
            parsed = date.fromisoformat(raw_date)
        except ValueError:
            parsed = None
            warnings.append(
                _("'{value}' is not a date (use YYYY-MM-DD); showing the latest figures.").format(
                    value=shown(raw_date)
                )
            )
        if parsed is not None:
            latest = today or date.today()
            if EARLIEST <= parsed <= latest:
                out = replace(out, as_of=parsed)
            else:
                warnings.append(
                    _(
                        "'{value}' is outside the mission period ({start} to today); showing "
                        "the latest figures."
                    ).format(value=shown(raw_date), start=EARLIEST.isoformat())
                )
    return out, warnings


def encode(state: FilterState) -> dict[str, str]:
    """Query parameters for a state: only the values that differ from the default."""
    out: dict[str, str] = {}
    if state.state:
        out["state"] = state.state
    if state.round:
        out["round"] = state.round
    if state.city:
        out["city"] = state.city
    if state.as_of:
        out["as_of"] = state.as_of.isoformat()
    if state.dataset != "public":
        out["dataset"] = state.dataset
    if state.lang != DEFAULT_LANG:
        out["lang"] = state.lang
    return out


def decode_choice(
    params: Mapping[str, object],
    key: str,
    allowed: tuple[str, ...],
    default: str,
    lang: str = DEFAULT_LANG,
) -> tuple[str, str | None]:
    """A page's own option (e.g. ``measure``): the value and a warning (in ``lang``) if it was
    bad. The key and the values are the URL's own words in both languages."""
    raw = _first(params.get(key))
    if raw is None:
        return default, None
    if raw in allowed:
        return raw, None
    _ = gettext(lang)
    return default, _("Unknown {key} '{value}' in the link; showing '{default}'.").format(
        key=key, value=shown(raw), default=default
    )


# ---------------------------------------------------------------- a page's own options


@dataclass(frozen=True)
class Option:
    """One of a page's own options in the URL (the map's ``view``, the data page's ``table``).

    ``choices`` lists the allowed values; with ``on`` it maps each value of that earlier option
    of the same spec to its own list (the map's colours depend on its view). ``many`` makes the
    value a comma list (the data page's ``metric``): unknown items are left out with a warning,
    and the default is the empty tuple. Only values that differ from ``default`` are written.
    """

    key: str
    choices: Sequence[str] | Mapping[str, Sequence[str]]
    default: str | tuple[str, ...] = ""
    on: str | None = None
    many: bool = False

    def allowed(self, found: Mapping[str, object]) -> tuple[str, ...]:
        """The values allowed, given the options decoded before this one."""
        if self.on is None:
            return tuple(self.choices)  # type: ignore[arg-type]
        return tuple(self.choices.get(str(found.get(self.on)), ()))  # type: ignore[union-attr]


Options = tuple[Option, ...]  # a page's options, in the order they are decoded
OptionValues = dict[str, "str | tuple[str, ...]"]


def _all_values(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def decode_options(
    params: Mapping[str, object], spec: Options, lang: str = DEFAULT_LANG
) -> tuple[OptionValues, list[str]]:
    """A page's options from query parameters, and the warnings for what a link got wrong.

    ``params`` maps a key to its value, or to all its values in order (a repeated parameter:
    the last one is used, as Streamlit does, and a warning says so). An unknown value warns
    and gives the option's default; in a comma list, unknown items warn and are left out (a
    long list of them is counted in one line). Pure: the page shows the warnings.
    """
    every = {o.key: _all_values(params.get(o.key)) for o in spec}
    warnings = repeated(every, [o.key for o in spec], lang=lang)
    found: OptionValues = {}
    for option in spec:
        allowed = option.allowed(found)
        last = {option.key: every[option.key][-1]} if every[option.key] else {}
        if not option.many:
            value, warning = decode_choice(last, option.key, allowed, str(option.default), lang)
            found[option.key] = value
            warnings += [warning] if warning else []
            continue
        raw = last.get(option.key, "")  # whole: each unknown item is counted
        wanted = list(dict.fromkeys(m.strip() for m in raw.split(",") if m.strip()))
        _ = gettext(lang)
        unknown = [
            _("Unknown {key} '{value}' in the link; it was left out.").format(
                key=option.key, value=shown(m)
            )
            for m in wanted
            if m not in allowed
        ]
        what = _("unknown {key}s").format(key=option.key)
        warnings += capped(unknown, what, lang=lang)
        found[option.key] = tuple(m for m in wanted if m in allowed)
    return found, warnings


def encode_options(values: Mapping[str, object], spec: Options) -> dict[str, str]:
    """Query parameters for a page's options: only the ones that differ from the default."""
    out: dict[str, str] = {}
    for option in spec:
        value = values.get(option.key, option.default)
        if option.many:
            value = ",".join(value)  # type: ignore[arg-type]
            default = ",".join(option.default)
        else:
            default = option.default
        if value != default and value:
            out[option.key] = str(value)
    return out


def vocabulary(cities: pd.DataFrame, states: pd.DataFrame) -> Vocabulary:
    """The URL vocabulary for a data set's cities and the states/UTs table."""
    rounds = [r for r in cities["selection_round"].dropna().unique().tolist()]
    return Vocabulary(
        states={slugify(s): s for s in states["state_ut"]},
        rounds={slugify(r): r for r in rounds},
        cities=dict(zip(cities["city_id"], cities["city_name"], strict=True)),
        city_state={c: slugify(s) for c, s in zip(cities["city_id"], cities["state_ut"])},
        city_round={
            c: ("" if pd.isna(r) else slugify(r))
            for c, r in zip(cities["city_id"], cities["selection_round"])
        },
    )


def to_scope(state: FilterState, vocab: Vocabulary) -> Scope:
    """The query scope (display names) for a URL state (slugs)."""
    return Scope(
        state_ut=vocab.states.get(state.state) if state.state else None,
        round=vocab.rounds.get(state.round) if state.round else None,
        city_id=state.city,
        as_of=state.as_of,
    )
