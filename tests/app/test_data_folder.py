"""The data folder is configurable (SMARTCITIES_DATA_DIR); a bad folder never breaks the app."""

from __future__ import annotations

import subprocess
import sys

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from smartcities.config import ROOT

pytestmark = pytest.mark.app


@pytest.fixture
def fresh_resources():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def run_overview(monkeypatch, folder) -> AppTest:
    monkeypatch.setenv("SMARTCITIES_DATA_DIR", str(folder))
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()


def test_synthetic_folder_is_used_and_labelled(monkeypatch, tmp_path, fresh_resources):
    subprocess.run(
        [sys.executable, "scripts/make_synthetic.py", "--cities", "100", "--out", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    at = run_overview(monkeypatch, tmp_path)
    assert not at.exception
    text = " ".join(w.value for w in at.warning) + " ".join(w.value for w in at.sidebar.warning)
    assert "SYNTHETIC" in text


def test_broken_folder_falls_back_to_public_record_with_a_warning(
    monkeypatch, tmp_path, fresh_resources
):
    (tmp_path / "cities.csv").write_bytes(b"")
    at = run_overview(monkeypatch, tmp_path)
    assert not at.exception
    assert any("could not be used" in w.value for w in at.warning)
    assert any("7,767" in m.value for m in at.metric)
