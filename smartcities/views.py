"""What a filter selection means for a page: which area's figures to show, and its title."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, gettext
from smartcities.names import slugify
from smartcities.query import Scope
from smartcities.urlstate import Vocabulary


class HasScope(Protocol):
    scope: Scope
    vocab: Vocabulary


@dataclass(frozen=True)
class Selection:
    """A filter selection as page models hold it: the scope and the URL vocabulary (what
    :func:`area_of` and :func:`scope_title` read)."""

    scope: Scope
    vocab: Vocabulary


def area_of(view: HasScope) -> tuple[str, str, str]:
    """(level, area_id, area_name) of the most specific area selected: city, state, round or
    the nation. A state and a round together show the state's figures (rounds are national)."""
    s = view.scope
    if s.city_id:
        return "city", s.city_id, view.vocab.cities.get(s.city_id, s.city_id)
    if s.state_ut:
        return "state", slugify(s.state_ut), s.state_ut
    if s.round:
        return "round", slugify(s.round), s.round
    return "national", "india", "India"


def scope_title(view: HasScope, lang: str = DEFAULT_LANG) -> str:
    """Human title of the selection: 'Tamil Nadu, Round 2' or 'All India' (place names and
    rounds in ``lang``)."""
    _ = gettext(lang)
    s = view.scope
    parts = []
    if s.city_id:
        parts.append(place_name("city", view.vocab.cities.get(s.city_id, s.city_id), lang))
    if s.state_ut:
        parts.append(place_name("state", s.state_ut, lang))
    if s.round:
        parts.append(_(s.round))
    return ", ".join(parts) if parts else _("All India")


def place_columns(frame: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """A table's place names (``city_name``, ``state_ut``) and round names
    (``selection_round``) in ``lang``, for display; other columns as they are."""
    if lang == DEFAULT_LANG:
        return frame
    _ = gettext(lang)
    out = frame.copy()
    for col, kind in (("city_name", "city"), ("state_ut", "state")):
        if col in out.columns:
            out[col] = [place_name(kind, n, lang) if isinstance(n, str) else n for n in out[col]]
    if "selection_round" in out.columns:
        out["selection_round"] = [_(r) if isinstance(r, str) else r for r in out["selection_round"]]
    return out


def area_label(level: str, name: str, lang: str = DEFAULT_LANG) -> str:
    """The name of :func:`area_of`'s area as shown in ``lang`` (a city, a state/UT, a round or
    India); English returns it unchanged."""
    if lang == DEFAULT_LANG:
        return name
    if level in ("city", "state"):
        return place_name(level, name, lang)
    return gettext(lang)("India" if level == "national" else name)
