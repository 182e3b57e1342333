"""deploy/render.py: the nginx include for N app processes (run for real in the browser tier)."""

from __future__ import annotations

import sys

import pytest

from smartcities.config import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
import render  # noqa: E402

pytestmark = pytest.mark.unit


def test_every_placeholder_is_filled_and_processes_listed():
    text = render.render(server_names=["dash.example.gov.in"], ports=[8601, 8602, 8603])
    assert "{{" not in text
    for port in (8601, 8602, 8603):
        assert f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" in text
    assert "ip_hash;" in text and "server_name dash.example.gov.in;" in text
    assert "location = /_stcore/metrics { return 404; }" in text
    assert "return 444;" in text


def test_down_marks_one_process_and_cookie_affinity():
    text = render.render(server_names=["d.example"], ports=[1, 2], down=(2,), affinity="cookie")
    assert "server 127.0.0.1:2 max_fails=1 fail_timeout=5s down;" in text
    assert "server 127.0.0.1:1 max_fails=1 fail_timeout=5s;" in text
    assert "hash $smartcities_affinity consistent;" in text and "ip_hash;" not in text
    assert "add_header Set-Cookie $smartcities_set_affinity always;" in text


def test_csp_allows_streamlit_inline_script_by_hash_only():
    text = render.render(server_names=["d.example"], ports=[1])
    hashes = render.inline_script_hashes()
    assert hashes, "Streamlit's index.html has its one inline script"
    assert f"script-src 'self' {' '.join(hashes)};" in text
    assert "unsafe-eval" not in text
    # The app's own script (it sets <html lang>) is allowed for each language, by hash only.
    from smartcities.i18n import LANGS, lang_script

    for lang in LANGS:
        assert render._sha256(lang_script(lang)) in hashes


@pytest.mark.parametrize("bad", ["evil.example; return 200", "a b", "", "x{y}"])
def test_server_name_must_be_a_host_name(bad):
    with pytest.raises(ValueError):
        render.render(server_names=[bad], ports=[1])


def test_hsts_only_when_asked():
    assert "Strict-Transport-Security" not in render.render(server_names=["d.example"], ports=[1])
    assert "Strict-Transport-Security" in render.render(
        server_names=["d.example"], ports=[1], hsts=True
    )
