"""Keeping text from data as text when it must pass through Markdown (warnings, labels)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md_escape(text: str, limit: int | None = None) -> str:
    """Escape Markdown so a file name or URL value shows literally, never as a link or HTML."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)
