"""Display text is safe by construction: one escaper, one type, and no page bypassing them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from smartcities.safe import Safe, escape, is_web_url, join, markdown, md, plain, trusted

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = [
    "[Verify your login](https://phish.example)",
    "![x](https://tracker.example/p.gif)",
    r"$\rule{1000em}{1000em}$",
    ":red[alarm] :material/warning: :smile:",
    "<a href='javascript:alert(1)'>x</a><img src=x onerror=alert(1)>",
    '<span style="font-size:300px">big</span>',
    "# heading\n- list\n1. item\n> quote",
    "**bold** _it_ `code` ~~strike~~ | table |",
    "www.example.com user@example.com https://auto.example",
    "&lt;b&gt; &#x3C;script&#x3E;",
    "Pune\u202eevil\u2066x\u2069\x07\x1b[31m",
]


def unescaped(text: str) -> list[str]:
    """Markdown constructs left live in ``text`` (a character not preceded by a backslash)."""
    live = []
    for pattern, what in (
        (r"(?<!\\)\]\(", "link"),
        (r"(?<!\\)!(?<!\\)\[", "image"),
        (r"(?<!\\)\$", "math"),
        (r"(?<!\\):[a-z]+(?<!\\)\[", "directive"),
        (r"(?<!\\)<[a-zA-Z/]", "html"),
        (r"(?<!\\)&#?[a-zA-Z0-9]+;", "entity"),
        (r"(?<!\\)\*\*", "bold"),
        (r"https?\\?://", "autolink"),
        (r"www\\?\.", "www autolink"),
        (r"[\w.+-]\\?@\w", "e-mail autolink"),
    ):
        if re.search(pattern, text):
            live.append(what)
    return live


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_leaves_no_markup_live(text):
    shown = escape(text)
    assert isinstance(shown, Safe)
    assert unescaped(shown) == []
    assert "\n" not in shown  # a value cannot start a heading or list of its own


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_keeps_every_visible_character(text):
    """Removing the escapes gives back the text (controls and line breaks aside)."""
    assert re.sub(r"\\(.)", r"\1", escape(text)).replace("\u2060", "") == plain(text)


def test_icons_and_emoji_codes_are_broken_for_streamlits_text_plugin():
    """Streamlit rewrites ``:material/`` in the source and expands ``:name:`` in text nodes
    after escapes are resolved: the colon must be followed by an invisible word joiner."""
    shown = escape(":material/warning: :smile:")
    assert ":material/" not in shown and not re.search(r":[\w-]+:", shown.replace("\\", ""))


def test_plain_strips_controls_and_bidi_but_keeps_indic_joiners():
    assert plain("Pune\u202e\u2066x\u2069\x07") == "Punex"
    assert plain("a\nb\tc") == "a b c"
    assert plain("क्‍ष") == "क्‍ष"  # U+200D stays
    assert plain("abcdef", limit=4) == "abc…"


def test_md_escapes_values_but_keeps_the_template():
    out = md("**{}** as on {}", "[x](https://e.example)", "1 Apr")
    assert out.startswith("**") and "\\[x\\]\\(https\\:\u2060//e.example)" in out
    assert md("{}", escape("a*b")) == "a\\*b"  # a Safe value is not escaped twice
    assert md("{name}", name="_a_") == "\\_a\\_"
    assert md("{}", "SMARTCITIES_MAX_FILES") == "SMARTCITIES_MAX_FILES"  # no emphasis inside words


def test_a_plain_string_is_escaped_whole_and_safe_concatenation_stays_safe():
    assert markdown("**x**") == "\\*\\*x\\*\\*"
    assert markdown(trusted("**x**")) == "**x**"
    joined = md("**{}**", "a") + " [b](c)"
    assert isinstance(joined, Safe) and unescaped(joined) == ["bold"] and "\\[b\\]" in joined
    assert isinstance("[y](z) " + md("a"), Safe) and unescaped("[y](z) " + md("a")) == []
    assert join(" · ", [md("**{}**", "s"), "[t](u)"]) == "**s** · \\[t\\]\\(u)"
    # An f-string of a Safe is plain text again: escaped whole (fails closed).
    assert markdown(f"{md('**a**')}") == "\\*\\*a\\*\\*"


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://pib.gov.in/Press?x=1", True),
        ("HTTP://Example.org/a", True),
        ("  https://example.org  ", True),
        ("javascript:alert(1)", False),
        ("JavaScript://example.org/%0Aalert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org", False),
        ("//example.org/x", False),
        ("example.org", False),
        ("http:///x", False),
        ("https://exa mple.org", False),
        ("https://example.org\\@evil.example", False),
        ("https://example.org/\u202e", False),
        ("http://[::1", False),
        ("derived:progress", False),
        (None, False),
        (3, False),
    ],
)
def test_only_http_urls_become_links(url, ok):
    assert is_web_url(url) is ok


# ------------------------------------------------- no page code bypasses the render helpers

# Streamlit calls that parse Markdown in their first argument: page code must go through
# smartcities.ui.render, which escapes anything that is not Safe.
MARKDOWN_CALLS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "exception",
    "toast",
    "write",
    "metric",
    "button",
    "page_link",
    "link_button",
    "expander",
    "tabs",
    "popover",
    "form_submit_button",
    "html",
    "latex",
    "write_stream",
}
# Widgets whose label and help are Markdown: the label must be a literal, or pass through
# render.label_text / render.help_text / safe.md.
WIDGETS = {
    "selectbox",
    "radio",
    "multiselect",
    "segmented_control",
    "pills",
    "download_button",
    "file_uploader",
    "checkbox",
    "toggle",
    "text_input",
    "text_area",
    "number_input",
    "slider",
    "select_slider",
    "date_input",
}
MAKERS = {"label_text", "help_text", "md", "trusted", "markdown", "escape"}


def ui_files() -> list[Path]:
    files = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]
    files += [
        p for p in sorted((ROOT / "smartcities" / "ui").glob("*.py")) if p.name != "render.py"
    ]
    return files


def _is_safe_arg(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in MAKERS
    return False


def bypasses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr, owner = node.func.attr, node.func.value
        # render escapes; options.tabs goes through render.tabs; a Report's error() is not UI.
        if isinstance(owner, ast.Name) and owner.id in ("render", "options", "report"):
            continue
        where = f"{path.relative_to(ROOT)}:{node.lineno} .{attr}()"
        if attr in MARKDOWN_CALLS:
            found.append(where)
        elif attr in WIDGETS:
            label = node.args[0] if node.args else None
            kws = {k.arg: k.value for k in node.keywords}
            label = kws.get("label", label)
            for what, arg in (("label", label), ("help", kws.get("help"))):
                if arg is not None and not _is_safe_arg(arg):
                    found.append(f"{where} {what}")
    return found


def test_page_code_never_hands_text_to_markdown_itself():
    found = [b for path in ui_files() for b in bypasses(path)]
    assert found == [], "use smartcities.ui.render helpers (they escape data text):\n" + "\n".join(
        found
    )


def test_the_guard_catches_a_bypass(tmp_path):
    """The check above can fail: a page calling st.caption with an f-string is found."""
    page = ROOT / "pages" / "_probe_test_only.py"
    fake = tmp_path / "p.py"
    fake.write_text(
        'import streamlit as st\nst.caption(f"{x}")\ncol.metric("a", 1)\n'
        'st.selectbox(f"{x}", [])\nst.selectbox("ok", [], help=render.help_text(x))\n'
        "render.caption(x)\n",
        encoding="utf-8",
    )
    assert not page.exists()
    found = [b.split(" ", 1)[1] for b in bypasses_at(fake)]
    assert found == [".caption()", ".metric()", ".selectbox() label"]


def bypasses_at(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    probe = ROOT / "pages" / "_probe_test_only.py"
    probe.write_text(text, encoding="utf-8")
    try:
        return [b.split(":", 1)[1] for b in bypasses(probe)]
    finally:
        probe.unlink()
