"""The app serves a compiled store (--store / SMARTCITIES_STORE), and builds one for a folder."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from smartcities.config import BUNDLED_DATA, ROOT
from smartcities.store.build import build_store

pytestmark = pytest.mark.app


@pytest.fixture
def fresh_resources():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def run(page: str = "dashboard.py") -> AppTest:
    return AppTest.from_file(str(ROOT / page), default_timeout=60).run()


def test_overview_from_a_store_with_its_label(monkeypatch, tmp_path, fresh_resources):
    store = tmp_path / "s.duckdb"
    build_store(BUNDLED_DATA, store, label="Ministry build of 1 Dec")
    monkeypatch.setenv("SMARTCITIES_STORE", str(store))
    monkeypatch.setenv("SMARTCITIES_DATA_DIR", str(tmp_path / "not-read"))
    at = run()
    assert not at.exception
    assert any("Ministry build of 1 Dec" in c.value for c in at.sidebar.caption)
    assert any("7,767" in m.value for m in at.metric)
    from smartcities.ui import data

    assert data.public_dataset().store == store.resolve()


@pytest.mark.parametrize("page", ["pages/about.py", "pages/data.py", "pages/progress.py"])
def test_pages_that_read_whole_tables_work_from_a_store(
    monkeypatch, tmp_path, page, fresh_resources
):
    store = tmp_path / "s.duckdb"
    build_store(BUNDLED_DATA, store)
    monkeypatch.setenv("SMARTCITIES_STORE", str(store))
    at = run(page)
    assert not at.exception


def test_missing_store_falls_back_with_a_warning(monkeypatch, tmp_path, fresh_resources):
    monkeypatch.setenv("SMARTCITIES_STORE", str(tmp_path / "nowhere.duckdb"))
    at = run()
    assert not at.exception
    assert any("could not be opened" in w.value for w in at.warning)
    assert any("7,767" in m.value for m in at.metric)


def test_folder_is_built_once_into_the_cache_and_reused(monkeypatch, tmp_path, fresh_resources):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SMARTCITIES_CACHE_DIR", str(cache))
    monkeypatch.delenv("SMARTCITIES_STORE", raising=False)
    monkeypatch.delenv("SMARTCITIES_DATA_DIR", raising=False)
    at = run()
    assert not at.exception
    stores = sorted(cache.glob("*.duckdb"))
    assert len(stores) == 1
    stamp = stores[0].stat().st_mtime_ns
    st.cache_resource.clear()  # as a new process would
    at = run()
    assert not at.exception
    assert sorted(cache.glob("*.duckdb")) == stores
    assert stores[0].stat().st_mtime_ns == stamp  # reused, not rebuilt


def test_unwritable_cache_still_serves_the_folder(monkeypatch, tmp_path, fresh_resources):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("SMARTCITIES_CACHE_DIR", str(blocker / "stores"))
    monkeypatch.delenv("SMARTCITIES_STORE", raising=False)
    monkeypatch.delenv("SMARTCITIES_DATA_DIR", raising=False)
    at = run()
    assert not at.exception
    assert not any("could not be used" in w.value for w in at.warning)
    assert any("7,767" in m.value for m in at.metric)
