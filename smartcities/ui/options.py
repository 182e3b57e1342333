"""A page's own options in the URL: read them from a link, write them back.

Beside the shared filters each page owns a few query parameters (the map's ``view``, the data
page's ``table``, the progress page's ``unit``). A link names them; after that the widgets own
them and only non-default values are written back, so a default view keeps a clean URL.
Streamlit clears the URL on a page switch, so a URL without the page's parameters keeps the
session's choices instead of resetting them. This module is the only glue between the URL and
the widgets; what is allowed, the defaults, the warnings and the encoding are pure and live
in :mod:`smartcities.urlstate` (an :class:`~smartcities.urlstate.Option` spec per page).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from smartcities.i18n import DEFAULT_LANG, normalise
from smartcities.safe import markdown
from smartcities.ui import render
from smartcities.urlstate import Option, Options, decode_options, encode_options

LINK_ICON = ":material/link_off:"  # on every warning about a link's value


def _lang() -> str:
    """This run's language: the sidebar's switch (``smartcities.ui.frame.W["lang"]``) is read
    before any page option is drawn."""
    return normalise(st.session_state.get("flt_lang"))


def page_option(page: str, key: str, allowed: tuple[str, ...], default: str) -> str:
    """Widget key of one page option, seeded from the URL when the link names a new value.

    The widget key is ``{page}_{key}``; a bad value warns and gives ``default``."""
    widget, seen = f"{page}_{key}", st.session_state.get(f"_{page}_{key}_url")
    if widget not in st.session_state or st.query_params.get(key) not in (None, seen):
        spec = (Option(key, allowed, default),)
        values, warnings = decode_options({key: st.query_params.get_all(key)}, spec, _lang())
        for text in warnings:
            render.warning(text, icon=LINK_ICON)
        st.session_state[widget] = values[key]
    return widget


def set_page_option(page: str, key: str, value: str, default: str) -> None:
    """Write one page option back to the URL (only when it differs from the default)."""
    write_params((key,), {key: value} if value != default else {})
    st.session_state[f"_{page}_{key}_url"] = value


def seed(page: str, spec: Options, lang: str = DEFAULT_LANG) -> bool:
    """Set the widgets of a page's options (keys ``{page}_{option}``) from the URL when it holds
    values this page did not write itself (a link was followed), or on the page's first run
    (an empty URL is then a link to the defaults).

    Bad and repeated values warn (:func:`smartcities.urlstate.decode_options`) and fall back.
    Returns whether the widgets were set from the URL."""
    keys = [o.key for o in spec]
    # The first option's widget is always drawn: without it, this is the page's first run.
    first = f"{page}_{keys[0]}" not in st.session_state
    if _new_link(keys, _memo(page), first=first) is None:
        return False
    values, warnings = decode_options({k: st.query_params.get_all(k) for k in keys}, spec, lang)
    for text in warnings:
        render.warning(text, icon=LINK_ICON)
    for key, value in values.items():
        st.session_state[f"{page}_{key}"] = list(value) if isinstance(value, tuple) else value
    return True


def write(page: str, spec: Options, values: Mapping[str, object]) -> dict[str, str]:
    """Write a page's options to the URL (only non-default values) and return those parameters
    (links to the same view carry them)."""
    wanted = encode_options(values, spec)
    write_params([o.key for o in spec], wanted, _memo(page))
    return wanted


def _memo(page: str) -> str:
    return f"_{page}_last_url"  # what the page last wrote, to tell a link from its own writes


def _new_link(
    keys: Sequence[str], memo: str, *, first: bool | None = None
) -> dict[str, str] | None:
    """The page's parameters, when the URL holds values this page did not write itself (a link
    was followed), else None. ``memo`` is the session key :func:`write_params` remembers the last
    written values under; on the page's ``first`` run (default: nothing remembered yet) an empty
    URL counts as a link to the defaults."""
    url = {k: v for k in keys if (v := st.query_params.get(k))}
    last = st.session_state.get(memo)
    first = last is None if first is None else first
    return url if url != last and (url or first) else None


def write_params(keys: Sequence[str], wanted: Mapping[str, str], memo: str | None = None) -> None:
    """Set the ``wanted`` values of ``keys`` in the URL and remove the other keys (defaults are
    left out of ``wanted``); other parameters are untouched. Remembers ``wanted`` under
    ``memo`` so :func:`_new_link` can tell the page's own writes from a link."""
    for key in keys:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    if memo is not None:
        st.session_state[memo] = dict(wanted)


def tabs(
    page: str, key: str, sections: Mapping[str, tuple[str, Callable[[], None]]], default: str
) -> str:
    """Tabs whose open one is a page option in the URL (``?{key}=<slug>``); draws only that one.

    ``sections`` maps each slug to its tab label and the function that draws the tab. The tabs
    track their state and only the open tab's function runs: fewer queries and charts per
    rerun. The URL holds the slug rather than the label, so renaming a tab keeps old links
    working; a link naming another section switches the tab, a bad one warns and falls back.
    Returns the open tab's slug.
    """
    # Labels as Streamlit shows them (escaped): the tab's state holds the label it was given.
    labels = {slug: markdown(label) for slug, (label, _) in sections.items()}
    slug_key = page_option(page, key, tuple(sections), default)  # seeded from a new link
    tab_key, synced = f"{page}_{key}_tab", f"_{page}_{key}_synced"
    wanted = st.session_state[slug_key]
    if (
        tab_key not in st.session_state
        or st.session_state.get(synced) != wanted
        # The labels follow the interface language: a label of the other language is stale.
        or st.session_state[tab_key] not in labels.values()
    ):
        st.session_state[tab_key] = labels[wanted]
    containers = render.tabs(list(labels.values()), key=tab_key, on_change="rerun")
    by_label = {label: slug for slug, label in labels.items()}
    open_slug = by_label.get(st.session_state.get(tab_key, ""), default)
    st.session_state[slug_key] = st.session_state[synced] = open_slug
    set_page_option(page, key, open_slug, default)
    for slug, container in zip(sections, containers, strict=True):
        if container.open:
            with container:
                sections[slug][1]()
    return open_slug
