"""Rendering helpers: the only way page code puts text on screen.

Streamlit parses Markdown (links, images, LaTeX, ``:red[…]`` directives, icons) in titles,
captions, alerts, toasts, widget, tab and expander labels, metric labels and help tooltips.
Every helper here takes ``str | Safe``: a plain ``str`` is data text and is escaped whole;
only a :class:`~smartcities.safe.Safe` (built with ``safe.md`` around escaped values) is
rendered as Markdown. Page code never calls those Streamlit functions itself (a unit test
checks), so forgetting to escape a city name cannot make it a link. Links are made only from
http(s) URLs, and shown in a link column. Nothing uses HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitPageNotFoundError

from smartcities import fmt
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.metrics import Kpi
from smartcities.overview import Card
from smartcities.pageparts import Chart, Note, Part, Section, TableView
from smartcities.safe import Safe, escape, is_web_url, markdown, md
from smartcities.schema import label

__all__ = ["is_web_url"]  # re-exported: pages filter link columns with it

Where = DeltaGenerator | None  # None: the main area (st)


def _on(where: Where) -> Any:
    return st if where is None else where


def title(text: str, *, where: Where = None) -> None:
    _on(where).title(markdown(text), anchor=False)


def header(text: str, *, where: Where = None) -> None:
    _on(where).header(markdown(text), anchor=False)


def subheader(text: str, *, where: Where = None) -> None:
    _on(where).subheader(markdown(text), anchor=False)


def text(body: str, *, where: Where = None) -> None:
    """A paragraph (``st.markdown``)."""
    _on(where).markdown(markdown(body))


def caption(body: str, *, where: Where = None) -> None:
    _on(where).caption(markdown(body))


def info(body: str, *, icon: str | None = None, where: Where = None) -> None:
    _on(where).info(markdown(body), icon=icon)


def warning(body: str, *, icon: str | None = None, where: Where = None) -> None:
    _on(where).warning(markdown(body), icon=icon)


def error(body: str, *, icon: str | None = None, where: Where = None) -> None:
    _on(where).error(markdown(body), icon=icon)


def success(body: str, *, icon: str | None = None, where: Where = None) -> None:
    _on(where).success(markdown(body), icon=icon)


def toast(body: str, *, icon: str | None = None) -> None:
    st.toast(markdown(body), icon=icon)


def button(label_text: str, *, where: Where = None, help: str | None = None, **kw: Any) -> bool:
    """A button whose label (and tooltip) may hold data text."""
    tip = None if help is None else markdown(help)
    return bool(_on(where).button(markdown(label_text), help=tip, **kw))


def expander(label_text: str, *, where: Where = None, **kw: Any) -> Any:
    return _on(where).expander(markdown(label_text), **kw)


def tabs(labels: Sequence[str], *, where: Where = None, **kw: Any) -> Sequence[Any]:
    return _on(where).tabs([markdown(t) for t in labels], **kw)


def download(args: dict[str, Any], *, where: Where = None) -> None:
    """A download button from ``downloads.Download.button_args`` (its label and help may name the
    filters, hence cities)."""
    args = dict(args)
    args["label"] = markdown(str(args["label"]))
    args["help"] = help_text(str(args["help"])) if args.get("help") else None
    _on(where).download_button(**args, on_click="ignore")


def help_text(body: str | None) -> Safe | None:
    """A widget's ``help=`` tooltip (Markdown in Streamlit) from text that may hold data."""
    return None if body is None else markdown(body)


def label_text(body: str) -> Safe:
    """A widget label (Markdown in Streamlit) from text that may hold data."""
    return markdown(body)


def _card(
    col: Any,
    *,
    label: str,
    value: str,
    delta: str | None,
    arrow: str,
    detail: str,
    source_url: object,
    dated: str,
    flag: str | None,
    lang: str = DEFAULT_LANG,
) -> None:
    """One headline card: value, change, the date with its basis, and what the checks found;
    the tooltip says what it is, its note and its source."""
    tip = markdown(detail)
    if is_web_url(source_url):
        _ = gettext(lang)
        tip += md("\n\n" + _("Source: {}"), source_url)
    col.metric(
        markdown(label),
        value,
        delta=delta,
        delta_color="off",
        delta_arrow=arrow,
        help=tip,
        border=True,
    )
    if dated:
        col.caption(escape(dated[:1].upper() + dated[1:]))
    if flag:
        col.caption(md("⚠ {}", flag))


def _no_change(delta: str | None, lang: str) -> bool:
    """Whether a card's change reads "no change since …" (in ``lang``)."""
    head, _sep, tail = gettext(lang)("no change since {date}").partition("{date}")
    return bool(delta) and delta.startswith(head) and delta.endswith(tail)


def _sign_arrow(delta: str | None) -> str:
    """The arrow of a change by its sign, wherever it stands in the text ("+26 since …",
    "… से -83")."""
    found = re.search(r"(?:^|\s)([+-])[\d₹]", delta or "")
    if found is None:
        return "auto"
    return "up" if found.group(1) == "+" else "down"


def kpi_grid(kpis: Sequence[Kpi], columns: int = 3, lang: str = DEFAULT_LANG) -> None:
    """Headline cards (``metrics.Kpi``): value, change since the previous report, its date."""
    for start in range(0, len(kpis), columns):
        cols = st.columns(columns)
        for col, k in zip(cols, kpis[start : start + columns], strict=False):
            # "no change since …" has no sign; Streamlit would draw an up arrow for it.
            arrow = "off" if _no_change(k.delta, lang) else _sign_arrow(k.delta)
            dated = k.dated or ("" if k.as_of is None else fmt.dated(k.as_of, k.date_basis, lang))
            _card(
                col,
                label=k.label,
                value=k.value,
                delta=k.delta,
                arrow=arrow,
                detail=k.detail,
                source_url=k.source_url,
                dated=dated,
                flag=k.flag,
                lang=lang,
            )


def cards(items: Sequence[Card], columns: int = 3, lang: str = DEFAULT_LANG) -> None:
    """The Overview's headline cards (``smartcities.overview.Card``)."""
    for start in range(0, len(items), columns):
        cols = st.columns(columns)
        for col, c in zip(cols, items[start : start + columns], strict=False):
            dated = c.dated or (
                "" if c.as_of_date is None else fmt.dated(c.as_of_date, c.date_basis, lang)
            )
            _card(
                col,
                label=c.label,
                value=c.value,
                delta=c.change,
                # The direction, not the text's first character: a Hindi change reads
                # "1 दिसंबर 2025 से +26", which Streamlit's "auto" would call up whatever its sign.
                arrow={"up": "up", "down": "down"}.get(c.direction or "", "off"),
                detail=c.detail,
                source_url=c.source_url,
                dated=dated,
                flag=c.flag,
                lang=lang,
            )


def sources_table(urls: Sequence[object], *, key: str, lang: str = DEFAULT_LANG) -> None:
    """The distinct sources behind what is shown, as a clickable list."""
    _ = gettext(lang)
    links = [u for u in dict.fromkeys(urls) if is_web_url(u)]
    other = [str(u) for u in dict.fromkeys(urls) if isinstance(u, str) and not is_web_url(u)]
    if links:
        st.dataframe(
            pd.DataFrame({"Source": links}),
            column_config={"Source": st.column_config.LinkColumn(_("Source"), width="large")},
            hide_index=True,
            key=key,
        )
    for text in other:
        st.caption(md(_("Source: {}"), text))


def chart(fig: go.Figure, summary: str, *, key: str) -> None:
    """A chart plus its text summary (read by screen readers, visible to all)."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False}, alt=summary[:500])
    st.caption(markdown(summary))


def _part(shown: Part, lang: str) -> None:
    """One chart, table or note of a section."""
    if isinstance(shown, Chart):
        chart(shown.figure, shown.summary, key=shown.key)
    elif isinstance(shown, TableView):
        display_table(shown.frame, units=shown.units, key=shown.key, lang=lang)
        if shown.caption:
            caption(shown.caption)
    elif isinstance(shown, Note):
        if shown.kind == "caption":
            caption(shown.text)
        else:
            {"info": info, "warning": warning}[shown.kind](shown.text, icon=shown.icon)
    else:
        raise TypeError(f"not a section part: {type(shown).__name__}")


def section(part: Section, *, lang: str = DEFAULT_LANG) -> None:
    """A page model's section, in its order: heading, note, then the message (nothing to draw)
    or the charts, the tables and the other parts in their order, then the closing caption."""
    if part.heading:
        subheader(part.heading)
    if part.note is not None:
        info(part.note, icon=part.note_icon)
    if part.message is not None:
        info(part.message)
        return
    for shown in (*part.charts, *part.tables, *part.parts):
        _part(shown, lang)
    if part.caption:
        caption(part.caption)


def lazy_expander(label: str, draw: Callable[[], None], *, key: str) -> None:
    """An expander whose content runs only while it is open.

    A collapsed expander's content is still built, sent and laid out on every rerun; for long
    source lists and notes that cost was paid by everyone for what few open. Opening it reruns
    the page once (Streamlit's ``on_change="rerun"``); the key keeps it open across reruns
    even when the label's count changes.
    """
    box = st.expander(markdown(label), key=key, on_change="rerun")
    if box.open:
        with box:
            draw()


def citation(text: str, *, key: str) -> None:
    """A citation to copy, as plain text in a box.

    Not ``st.code``: its syntax highlighter cost ~0.45 s of browser time per page open
    (measured with Chromium's CPU profiler), for a sentence that needs no highlighting.
    """
    with st.container(border=True, key=key):
        st.markdown(markdown(text))


def display_table(
    frame: pd.DataFrame,
    *,
    units: dict[str, str] | None = None,
    key: str,
    link_columns: Sequence[str] = ("source_url",),
    lang: str = DEFAULT_LANG,
) -> None:
    """A table with Indian-formatted numbers and dates, labelled from the schema (headers in
    ``lang``; the rows' text is the caller's).

    ``st.dataframe`` would format numbers by the browser's locale; officials on en-US browsers
    must still see 1,55,386, so numeric columns are shown as pre-formatted text.
    """
    _ = gettext(lang)
    units = units or {}
    shown = frame.copy()
    for col in shown.columns:
        if col in units:
            shown[col] = [fmt.value(v, units[col], lang) for v in shown[col]]
        elif pd.api.types.is_datetime64_any_dtype(shown[col]):
            shown[col] = [fmt.as_on(v, lang) if pd.notna(v) else "–" for v in shown[col]]
    config: dict[str, object] = {}
    for col in shown.columns:
        if col in link_columns:
            shown[col] = [u if is_web_url(u) else None for u in shown[col]]
            config[col] = st.column_config.LinkColumn(
                column_label(col, lang), display_text=_("source")
            )
        else:
            config[col] = st.column_config.Column(column_label(col, lang))
    st.dataframe(shown, column_config=config, hide_index=True, key=key)


# Column labels the schema gives (schema.label) that tables show; metric labels are extracted
# from the schema itself (i18n.extract_schema).
_COLUMN_LABELS = (
    N_("Area"),
    N_("As on"),
    N_("Source"),
    N_("City"),
    N_("State/UT"),
    N_("Reason"),
    N_("Figure"),
    N_("Round"),
    N_("Metric"),
    N_("Value"),
    N_("Note"),
    N_("Date basis"),
    N_("Stage"),
    N_("Date"),
    N_("Selected on"),
    N_("Measure"),
    N_("City date"),
    N_("Round peers"),
    N_("Round median"),
    N_("Round position"),
    N_("State peers"),
    N_("State median"),
    N_("State position"),
    N_("Peer dates"),
    N_("Checks"),
    N_("Share of previous"),
    N_("Group"),
)


def column_label(column: str, lang: str = DEFAULT_LANG) -> str:
    """A table header: the schema's label (with its unit), in ``lang``."""
    text = label(column)
    if lang == DEFAULT_LANG:
        return text
    _ = gettext(lang)
    money = " (₹ crore)"
    if text.endswith(money):
        return f"{_(text[: -len(money)])} (₹ {_('crore')})"
    return _(text)


def page_links(links: Sequence[tuple[str, str, dict[str, str]]]) -> None:
    """Links to other pages, carrying the view's query parameters.

    A page run on its own (without the router, as in standalone app tests) has no page
    registry to link into; the links are then left out rather than failing the page.
    """
    for path, text, params in links:
        try:
            st.page_link(
                path, label=markdown(text), query_params=params, icon=":material/arrow_forward:"
            )
        except StreamlitPageNotFoundError:
            return


# Streamlit serves every page as <html lang="en"> and has no setting for it (1.67). A screen
# reader then reads Hindi with English rules (WCAG 3.1.1, Language of Page). A zero-height
# component sets the document's language from the page's: its HTML is this constant with a
# code from i18n.LANGS (never text from data or the URL), and the script touches one attribute.


def declare_language(lang: str) -> None:
    """Set ``<html lang>`` of the page to ``lang`` ("en" or "hi")."""
    from smartcities.i18n import LANGS, lang_script

    code = lang if lang in LANGS else DEFAULT_LANG
    with st.sidebar:
        # st.iframe, not components.v1.html (deprecated, due for removal): an HTML string runs
        # same-origin. A fixed height, not "content": that sizing injects a script of
        # Streamlit's own into the frame, which the proxy's CSP (script hashes) would block.
        st.iframe(f"<script>{lang_script(code)}</script>", height=1, tab_index=-1)
