"""The "Brief (PDF)" download of the Overview and the City profile.

The PDF is built only when the official clicks (Streamlit calls the ``data`` callable then), so
drawing the page costs nothing. If printing fails, the download is a one-page PDF saying so
and why (``brief.failure_pdf``): no traceback reaches the page.
"""

from __future__ import annotations

from smartcities import brief
from smartcities.i18n import translator
from smartcities.ui import render
from smartcities.ui.frame import Frame
from smartcities.views import area_of


def render_brief_button(frame: Frame, lang: str | None = None) -> None:
    """A download button for the brief of the frame's selection, in the page's language."""
    lang = lang or frame.lang
    _ = translator(lang)
    _level, area_id, _name = area_of(frame)

    def make() -> bytes:
        try:
            return brief.to_pdf(brief.build(frame, lang))
        except Exception as exc:  # a failed print must not put a traceback on the page
            return brief.failure_pdf(f"{type(exc).__name__}: {exc}")

    render.download(
        {
            "label": _("Brief (PDF)"),
            "data": make,
            "file_name": brief.file_name(area_id, lang),
            "mime": "application/pdf",
            "icon": ":material/picture_as_pdf:",
            "key": f"brief_pdf_{lang}",
            "help": _(
                "A printable A4 brief of this selection: headline figures with their dates and "
                "sources, tables, two charts, cities needing attention, caveats and citation."
            ),
        }
    )
