"""Interface languages: English (the source text) and Hindi, through gettext message catalogs.

Code marks text with ``_()`` (or ``N_()`` for module-level constants translated later) where
``_ = i18n.gettext(lang)``. Babel's tools manage the catalogs (``make i18n``): ``pybabel
extract`` collects the marked strings into ``smartcities/locale/messages.pot``, ``pybabel
update`` merges them into ``smartcities/locale/hi/LC_MESSAGES/messages.po`` (the file a
translator edits), and ``pybabel compile`` writes the ``.mo`` file read here. Both the ``.po``
and the compiled ``.mo`` are committed, so an install works offline without a build step;
``tests/unit/test_i18n.py`` fails when the ``.mo`` is out of date with the ``.po``, when an
entry is empty or fuzzy, or when code marks a string the catalog does not have.

English is the msgid itself, so English output never depends on the catalog. What the data says
(source notes, source titles), file names and URLs are not translated. The glossary in
``docs/glossary-hi.md`` fixes the key terms.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("en", "hi")


def lang_script(lang: str) -> str:
    """The one script of the app's own (:func:`smartcities.ui.render.declare_language`): it sets
    ``<html lang>`` to ``lang``, a code of :data:`LANGS` (never text from data or the URL).
    Defined here, without Streamlit, so that deploy/render.py allows exactly these scripts by
    hash in the proxy's Content-Security-Policy."""
    if lang not in LANGS:
        raise ValueError(f"not an interface language: {lang!r}")
    return (
        "try{var d=window.parent.document.documentElement;"
        f'if(d.lang!=="{lang}"){{d.lang="{lang}";}}}}catch(e){{}}'
    )


DEFAULT_LANG = "en"
LANG_NAMES: Mapping[str, str] = {"en": "English", "hi": "हिन्दी"}
# Babel locales for dates and numbers (hi_IN keeps Western digits, as Government of India
# documents do).
BABEL_LOCALES: Mapping[str, str] = {"en": "en_IN", "hi": "hi_IN"}
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (a constant translated later
    with ``_()``)."""
    return message


def normalise(lang: object) -> str:
    """A supported language code, else the default (never raises)."""
    return lang if isinstance(lang, str) and lang in LANGS else DEFAULT_LANG


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of a language (English: none, the msgids are English)."""
    lang = normalise(lang)
    if lang == DEFAULT_LANG:
        return _gettext.NullTranslations()
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


@dataclass(frozen=True)
class Translator:
    """Translation for one language: ``t("text")``, ``t.ngettext(one, many, n)``,
    ``t.babel_locale`` for Babel's date and number functions."""

    lang: str = DEFAULT_LANG

    def gettext(self, message: str) -> str:
        if self.lang == DEFAULT_LANG or not message:
            return message
        return translations(self.lang).gettext(message)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self.lang == DEFAULT_LANG:
            return singular if n == 1 else plural
        return translations(self.lang).ngettext(singular, plural, n)

    @property
    def babel_locale(self) -> str:
        return BABEL_LOCALES[self.lang]


def translator(lang: object = DEFAULT_LANG) -> Translator:
    """The translator of a language (an unknown code gives English)."""
    return Translator(normalise(lang))


def gettext(lang: object = DEFAULT_LANG) -> Callable[[str], str]:
    """``_`` for a language: ``_ = i18n.gettext(lang); _("Projects completed")``."""
    return translator(lang).gettext


def ngettext(lang: object = DEFAULT_LANG) -> Callable[[str, str, int], str]:
    """``ngettext`` for a language: ``ngettext(lang)("{n} city", "{n} cities", n)``."""
    return translator(lang).ngettext


def has_translation(lang: str, message: str) -> bool:
    """Whether the catalog of ``lang`` translates ``message`` (English always does)."""
    if normalise(lang) == DEFAULT_LANG:
        return True
    catalog: dict[Any, str] = translations(lang)._catalog  # type: ignore[attr-defined]
    return bool(catalog.get(message))


def schema_messages() -> Iterator[str]:
    """Interface text defined as data rather than marked in code: metric labels and
    descriptions, table titles and descriptions, column labels and descriptions, unit words
    (schema) and round names.
    Extracted through :func:`extract_schema` so the catalog carries them."""
    from smartcities.schema import METRICS, ROUNDS, TABLES, UNITS

    seen: set[str] = set()
    texts = [m.label for m in METRICS.values()] + list(ROUNDS)
    texts += [m.description for m in METRICS.values()]
    # Tables' titles and descriptions, the columns' labels and descriptions and the units'
    # words (the data dictionary on the Data page and the tables' column tooltips).
    for table in TABLES.values():
        texts += [table.title, table.description, *(f.label for f in table.fields)]
        texts += [f.description for f in table.fields]
    texts += [u for k, u in UNITS.items() if k != "date"]
    for text in texts:
        if text not in seen:
            seen.add(text)
            yield text


def extract_schema(
    fileobj: object, keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extraction method (``babel.cfg``) for :func:`schema_messages`: the labels live
    in ``schema.py`` as data, so they are extracted by importing it, not by parsing calls."""
    for text in schema_messages():
        yield 0, None, text, ["Metric label, description or round name from smartcities/schema.py"]
