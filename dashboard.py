"""Streamlit entrypoint: page config, the list of pages, the shared frame, then the page."""

from __future__ import annotations

import streamlit as st

from smartcities.i18n import gettext
from smartcities.ui import frame, render
from smartcities.ui.pages import PAGES

# The language is known before the frame is drawn (the menu is built first); page titles and
# the tab title follow it, URL paths never do.
_ = gettext(frame.current_lang())
st.set_page_config(
    page_title=_("Smart Cities Mission dashboard"),
    page_icon="🏙️",  # an emoji: material icons as favicon are fetched from the internet
    layout="wide",
    initial_sidebar_state="expanded",
)

page = st.navigation(
    [
        st.Page(p.path, title=_(p.title), icon=p.icon, url_path=p.url_path, default=p.default)
        for p in PAGES
    ]
)
shared = frame.draw()
render.declare_language(frame.current_lang())
frame.hand_over(shared)
page.run()
frame.footer(shared)
