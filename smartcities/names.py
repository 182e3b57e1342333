"""Names and identifiers: slugs, and city/state harmonisation from the reviewed alias table.

Harmonisation is data (``data/aliases.csv``), not code: adding an alias is a reviewed one-line
change to that file. Matching ignores case, spacing, punctuation and invisible characters.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def clean_text(value: str) -> str:
    """Strip invisible characters, NULs and repeated white space from a cell."""
    value = _INVISIBLE.sub("", value.replace("\x00", ""))
    value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


@functools.lru_cache(maxsize=65_536)  # pure; a data set repeats its state and round names
def slugify(name: str) -> str:
    """Lowercase ASCII slug: 'New Delhi (NDMC)' -> 'new-delhi-ndmc'."""
    ascii_name = unicodedata.normalize("NFKD", clean_text(name)).encode("ascii", "ignore")
    return _NON_SLUG.sub("-", ascii_name.decode().lower()).strip("-")


def match_key(name: str) -> str:
    """Key for tolerant matching: case-, space- and punctuation-insensitive, script-preserving."""
    text = unicodedata.normalize("NFKC", clean_text(name)).casefold()
    return re.sub(r"[\s\-_.,'()&/]+", "", text.replace("&", "and"))


@dataclass(frozen=True)
class Resolution:
    """Outcome of resolving one raw name."""

    canonical: str | None
    via_alias: bool
    suggestions: tuple[str, ...] = ()


class Harmoniser:
    """Resolves raw city/state names to canonical ones, via the alias table."""

    def __init__(self, canonical: dict[str, list[str]], aliases: pd.DataFrame) -> None:
        self._canonical: dict[str, dict[str, str]] = {}
        self._aliases: dict[str, dict[str, str]] = {}
        for kind, names in canonical.items():
            self._canonical[kind] = {match_key(n): n for n in names}
            self._canonical[kind].update({match_key(slugify(n)): n for n in names})
        for row in aliases.itertuples(index=False):
            kind_map = self._canonical.get(row.kind, {})
            target = kind_map.get(match_key(row.canonical))
            if target is not None:
                self._aliases.setdefault(row.kind, {})[match_key(row.alias)] = target

    def resolve(self, kind: str, raw: str) -> Resolution:
        key = match_key(raw)
        names = self._canonical.get(kind, {})
        if key in names:
            return Resolution(names[key], via_alias=False)
        alias = self._aliases.get(kind, {}).get(key)
        if alias is not None:
            return Resolution(alias, via_alias=True)
        pool = list(dict.fromkeys(names.values()))
        close = difflib.get_close_matches(clean_text(raw), pool, n=3, cutoff=0.75)
        return Resolution(None, via_alias=False, suggestions=tuple(close))

    def known(self, kind: str) -> list[str]:
        return list(dict.fromkeys(self._canonical.get(kind, {}).values()))


def read_aliases(path: Path) -> pd.DataFrame:
    """Read the reviewed alias table (kind, alias, canonical, note)."""
    return pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
