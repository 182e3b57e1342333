"""Display text: the one path for text from data, URLs and file names into Markdown.

Streamlit parses Markdown in titles, captions, alerts, toasts, widget and tab labels, metric
labels and help tooltips, and that Markdown includes links, images, LaTeX (``$…$``),
directives (``:red[…]``, ``:material/icon:``) and, in places, HTML. Text from a data set, a
link or a file name must reach none of them as markup.

The rule is one type and one escaper:

- :class:`Safe` is Markdown that may be rendered as it is: a literal written in this code
  base, with every value from outside escaped. Only :func:`md`, :func:`escape`,
  :func:`join` and :func:`trusted` make one.
- Any other ``str`` is data text. The render helpers (``smartcities.ui.render``) escape it
  whole, so forgetting to escape shows a few backslash-free literal characters, never a link.

:func:`escape` also removes control characters and bidirectional overrides (a right-to-left
override in a city name would reverse the rest of a warning) and folds line breaks, so a
value cannot start a heading or a list of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# Characters that open a Markdown, GFM, remark-math or Streamlit construct wherever they stand:
# emphasis, code, links and images, HTML, math, strikethrough. Always escaped.
_ALWAYS = re.compile(r"([\\`*\[\]<>$~])")
# Characters that matter only in context, escaped only there so ordinary text ("Daman & Diu",
# "St. Mary's", "1,55,386") reads the same in the Markdown source as on screen:
_CONTEXT = re.compile(
    r"(:)(?=[A-Za-z/])"  # :red[…] and :material/icon: directives, :emoji: codes, scheme://
    r"|(&)(?=#?[A-Za-z0-9]+;)"  # HTML entities (&lt; would become <)
    r"|(@)"  # e-mail autolinks
    r"|(?<=\])(\()"  # "](" is inert once "]" is escaped; escaped too so no check mistakes it
    r"|((?<![^\W_])_|_(?![^\W_]))"  # _emphasis_; an underscore inside a word cannot open one
    r"|(?<=[Ww]{3})(\.)"  # www. autolinks
)
# At the start of a line a value could open a block: heading, quote, list, rule, table.
_BLOCK_START = re.compile(r"^(\s*|\s*\d+)((?<=\d)[.)]|(?<!\d)[#>+\-=|])")
# C0/C1 controls (line breaks are folded to spaces first) and the bidirectional controls:
# embeddings, overrides, isolates and marks. Zero-width joiners stay: Indic scripts need them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")


# Streamlit turns ``:material/…:`` and ``:emoji:`` into icons, and GFM turns ``https://…``,
# ``www.…`` and ``a@b.org`` into links, in text nodes after escapes are resolved, so a
# backslash alone does not stop them: an invisible word joiner (U+2060) inside does. (A
# copied address then holds the joiner; it is shown, not meant to be followed.)
_WORD_JOINER = "\u2060"


def _escape_in_context(match: re.Match[str]) -> str:
    char = next(g for g in match.groups() if g)
    if char in ":@":  # icon and emoji codes, scheme://, e-mail addresses
        return "\\" + char + _WORD_JOINER
    if char == ".":  # www.
        return _WORD_JOINER + "\\."
    return "\\" + char


class Safe(str):
    """Markdown that is safe to render: code-written markup around escaped values.

    Concatenating a ``Safe`` with plain ``str`` escapes the plain part, so the result stays
    safe; an f-string of a ``Safe`` is a plain ``str`` again (and so is escaped whole).
    """

    __slots__ = ()

    def __add__(self, other: str) -> Safe:
        return Safe(str.__add__(self, other if isinstance(other, Safe) else escape(other)))

    def __radd__(self, other: str) -> Safe:
        return Safe((other if isinstance(other, Safe) else escape(other)) + str(self))


def plain(text: object, limit: int | None = None) -> str:
    """Text for echoing: controls and bidi overrides removed, breaks folded, optionally cut."""
    out = _CONTROL.sub("", _BREAKS.sub(" ", str(text)))
    if limit is not None and len(out) > limit:
        out = out[: limit - 1] + "…"
    return out


def escape(text: object, limit: int | None = None) -> Safe:
    """The one escaper: ``text`` shown literally by any Markdown-parsing Streamlit call."""
    if isinstance(text, Safe):
        return text
    out = _ALWAYS.sub(r"\\\1", plain(text, limit))
    out = _CONTEXT.sub(_escape_in_context, out)
    return Safe(_BLOCK_START.sub(r"\1\\\2", out))


def md(template: str, *args: object, **kwargs: object) -> Safe:
    """Markdown from a code-written ``template`` with ``{}`` fields filled by escaped values.

    ``md("Figures as on **{}**.", when)``: the template's markup works, the value's does not.
    A ``Safe`` argument is inserted as it is.
    """
    return Safe(
        template.format(*(escape(a) for a in args), **{k: escape(v) for k, v in kwargs.items()})
    )


def join(separator: str, parts: Iterable[object]) -> Safe:
    """Parts (escaped unless ``Safe``) joined by a code-written separator."""
    return Safe(separator.join(escape(p) for p in parts))


def trusted(markdown: str) -> Safe:
    """Markdown written by the project (methodology, caveats, bundled notes), not by users.

    Use only for text that is part of this repository; never for a data value.
    """
    return Safe(markdown)


def markdown(text: str) -> Safe:
    """What a render helper hands to Streamlit: ``Safe`` as it is, anything else escaped."""
    return text if isinstance(text, Safe) else escape(text)


def is_web_url(url: object) -> bool:
    """Whether ``url`` may become a link: an absolute http(s) URL with a host, nothing else.

    ``javascript:``, ``data:``, ``file:``, relative and scheme-less values, and anything holding
    white space, controls or a backslash (which browsers read as a slash) are refused."""
    if not isinstance(url, str):
        return False
    text = url.strip()
    if not text or any(ch.isspace() or ch == "\\" for ch in text) or _CONTROL.search(text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # a malformed IPv6 host or port
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)
