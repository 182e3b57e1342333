"""Small rendering helpers shared by pages: headline cards, safe source links, tables.

Text from data is always passed to Streamlit as plain text or through dataframe cells, never
through HTML. Links are made only from http(s) URLs, and shown in a link column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from smartcities import fmt
from smartcities.metrics import Kpi
from smartcities.safe import md_escape
from smartcities.schema import label


def is_web_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def kpi_grid(kpis: Sequence[Kpi], columns: int = 3) -> None:
    """Headline cards: value, change since the previous report, and where it came from."""
    for start in range(0, len(kpis), columns):
        cols = st.columns(columns)
        for col, k in zip(cols, kpis[start : start + columns], strict=False):
            src = k.source_url if is_web_url(k.source_url) else None
            help_text = k.detail + (f"\n\nSource: {src}" if src else "")
            col.metric(
                k.label, k.value, delta=k.delta, delta_color="off", help=help_text, border=True
            )
            if k.as_of is not None:
                dated = k.dated or f"as on {fmt.as_on(k.as_of)}"
                col.caption(md_escape(dated[:1].upper() + dated[1:]))
            if k.flag:
                col.caption(":material/warning: " + md_escape(k.flag))


def sources_table(urls: Sequence[object], *, key: str) -> None:
    """The distinct sources behind what is shown, as a clickable list."""
    links = [u for u in dict.fromkeys(urls) if is_web_url(u)]
    other = [str(u) for u in dict.fromkeys(urls) if isinstance(u, str) and not is_web_url(u)]
    if links:
        st.dataframe(
            pd.DataFrame({"Source": links}),
            column_config={"Source": st.column_config.LinkColumn("Source", width="large")},
            hide_index=True,
            key=key,
        )
    for text in other:
        st.caption(f"Source: {text}")


def chart(fig: go.Figure, summary: str, *, key: str) -> None:
    """A chart plus its text summary (read by screen readers, visible to all)."""
    import os

    if os.environ.get("XNOCHART"):
        st.caption("chart")
        return
    st.plotly_chart(fig, key=key, config={"displaylogo": False}, alt=summary[:500])
    st.caption(summary)


def lazy_expander(label: str, draw: Callable[[], None], *, key: str) -> None:
    """An expander whose content runs only while it is open.

    A collapsed expander's content is still built, sent and laid out on every rerun; for long
    source lists and notes that cost was paid by everyone for what few open. Opening it reruns
    the page once (Streamlit's ``on_change="rerun"``); the key keeps it open across reruns
    even when the label's count changes.
    """
    box = st.expander(label, key=key, on_change="rerun")
    if box.open:
        with box:
            draw()


def citation(text: str, *, key: str) -> None:
    """A citation to copy, as plain text in a box.

    Not ``st.code``: its syntax highlighter cost ~0.45 s of browser time per page open
    (measured with Chromium's CPU profiler), for a sentence that needs no highlighting.
    """
    with st.container(border=True, key=key):
        st.markdown(md_escape(text))


def display_table(
    frame: pd.DataFrame,
    *,
    units: dict[str, str] | None = None,
    key: str,
    link_columns: Sequence[str] = ("source_url",),
) -> None:
    """A table with Indian-formatted numbers and dates, labelled from the schema.

    ``st.dataframe`` would format numbers by the browser's locale; officials on en-US browsers
    must still see 1,55,386, so numeric columns are shown as pre-formatted text.
    """
    units = units or {}
    shown = frame.copy()
    for col in shown.columns:
        if col in units:
            shown[col] = [fmt.value(v, units[col]) for v in shown[col]]
        elif pd.api.types.is_datetime64_any_dtype(shown[col]):
            shown[col] = [fmt.as_on(v) if pd.notna(v) else "–" for v in shown[col]]
    config: dict[str, object] = {}
    for col in shown.columns:
        if col in link_columns:
            shown[col] = [u if is_web_url(u) else None for u in shown[col]]
            config[col] = st.column_config.LinkColumn(label(col), display_text="source")
        else:
            config[col] = st.column_config.Column(label(col))
    st.dataframe(shown, column_config=config, hide_index=True, key=key)


def page_links(links: Sequence[tuple[str, str, dict[str, str]]]) -> None:
    """Links to other pages, carrying the view's query parameters.

    A page run on its own (without the router, as in standalone app tests) has no page
    registry to link into; the links are then left out rather than failing the page.
    """
    for path, text, params in links:
        try:
            st.page_link(path, label=text, query_params=params, icon=":material/arrow_forward:")
        except StreamlitPageNotFoundError:
            return
