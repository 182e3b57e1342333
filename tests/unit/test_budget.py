"""The server-wide upload budget: rows held across sessions, concurrent loads, release."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from smartcities import budget

pytestmark = pytest.mark.unit


def test_rows_are_held_per_owner_and_kind_within_the_budget():
    b = budget.Budget(max_rows=100, max_loads=2)
    assert b.hold("a", "pending", 60)
    assert not b.hold("b", "pending", 50), "60 + 50 passes 100"
    assert b.owners() == ["a"]
    assert b.room("b") == 40 and b.room("a") == 100  # a's own pending rows would be replaced
    assert b.hold("b", "pending", 40) and b.total() == 100
    assert b.hold("a", "pending", 10)  # replacing its own rows frees room
    assert b.hold("a", "adopted", 50) and b.total() == 100
    assert not b.hold("a", "adopted", 51)
    assert b.hold("a", "adopted", 0) and b.total() == 50
    b.release("b")
    assert b.total() == 10 and b.owners() == ["a"]


def test_loads_beyond_the_limit_are_told_the_server_is_busy():
    b = budget.Budget(max_rows=10, max_loads=2)
    with b.loading() as first, b.loading() as second, b.loading() as third:
        assert (first, second, third) == (True, True, False)
    with b.loading() as again:
        assert again, "slots are given back"
    assert b.peak_loads == 2


def test_settings_from_the_environment():
    b = budget.from_env({budget.ENV_MAX_ROWS: "123", budget.ENV_MAX_LOADS: "3"})
    assert (b.max_rows, b.max_loads) == (123, 3)
    d = budget.from_env({budget.ENV_MAX_ROWS: "lots", budget.ENV_MAX_LOADS: "0"})
    assert (d.max_rows, d.max_loads) == (budget.DEFAULT_MAX_ROWS, 1)


def test_a_session_token_collected_releases_its_rows():
    """How ui.data releases a session's rows: a finaliser on a token kept in its state."""
    b = budget.Budget(max_rows=100, max_loads=1)

    class Token:
        pass

    state = {"owner": Token()}
    weakref.finalize(state["owner"], b.release, "s1")
    b.hold("s1", "adopted", 80)
    assert b.room("s2") == 20
    del state  # the session's state dropped by Streamlit
    gc.collect()
    assert b.room("s2") == 100


def test_a_dropped_session_releases_what_it_adopted(monkeypatch):
    """The real wiring in ui.data: ``adopt`` holds the rows under ``session_owner``, whose
    token in the session's state carries the finaliser; when Streamlit drops that state, the
    server-wide budget (``budget.UPLOADS``) forgets the session's rows."""
    from types import SimpleNamespace

    from smartcities.config import Limits
    from smartcities.load import Source, load_sources
    from smartcities.ui import data
    from tests import hostile

    dataset = load_sources([Source(n, b) for n, b in hostile.files()], limits=Limits()).dataset
    state: dict[str, object] = {}  # stands in for st.session_state (no Streamlit runtime)
    monkeypatch.setattr(data, "st", SimpleNamespace(session_state=state))
    monkeypatch.setattr(budget, "UPLOADS", budget.Budget(max_rows=10_000, max_loads=1))
    assert data.adopt(dataset)
    owner = data.session_owner()
    assert owner == data.session_owner(), "one token per session"
    assert budget.UPLOADS.owners() == [owner]
    assert budget.UPLOADS.total() == budget.rows_of(dict(dataset.tables)) > 0
    state[data.UPLOAD_ENGINE_KEY].close()
    state.clear()  # the session dropped by Streamlit
    gc.collect()
    assert budget.UPLOADS.owners() == [] and budget.UPLOADS.total() == 0


def test_concurrent_sessions_never_pass_the_budget():
    b = budget.Budget(max_rows=1_000, max_loads=2)
    accepted: list[int] = []
    lock = threading.Lock()

    def session(i: int) -> None:
        with b.loading(wait_s=5) as free:
            if not free:
                return
            time.sleep(0.01)  # the load
            if b.hold(f"s{i}", "pending", 300):
                with lock:
                    accepted.append(i)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(accepted) == 3 and b.total() == 900
    assert b.peak_loads <= 2


def test_messages_say_what_happened_and_what_to_do():
    assert "try again" in budget.BUSY and "Nothing was read" in budget.BUSY
    assert "at most 1,000 more" in budget.full_message(1_000)
    assert "try again later" in budget.full_message(0)


def test_guarded_load_holds_the_rows_or_says_why_not():
    from smartcities.config import Limits
    from smartcities.load import Source
    from tests import hostile

    files = [Source(n, b) for n, b in hostile.files()]
    b = budget.Budget(max_rows=10_000, max_loads=1)
    loaded = budget.guarded_load("me", files, Limits(), registry=b)
    assert not isinstance(loaded, str) and loaded.dataset is not None
    assert b.total() == budget.rows_of(dict(loaded.dataset.tables)) > 0
    with b.loading():
        assert budget.guarded_load("you", files, Limits(), registry=b) == budget.BUSY
    tight = budget.Budget(max_rows=20, max_loads=1)
    refused = budget.guarded_load("me", files, Limits(), registry=tight)
    assert isinstance(refused, str) and "more rows than the server can take now" in refused
    assert tight.total() == 0
