"""The thin cache layer: which data set is in use, and its shared query engine.

The public record and the synthetic sample are shared read-only resources
(``st.cache_resource``). A user's upload lives only in that user's session state, so it never
reaches another session. The engine for a data set is built once and reused on every rerun.
"""

from __future__ import annotations

import sys
import uuid
import weakref

import streamlit as st

from smartcities import budget, memory
from smartcities.config import BUNDLED_DATA, data_dir
from smartcities.dataset import PUBLIC, SYNTHETIC, UPLOADED, Dataset
from smartcities.load import load_folder, load_public
from smartcities.query import Engine

OWNER_KEY = "_upload_owner"
UPLOAD_KEY = "uploaded_dataset"
UPLOAD_ENGINE_KEY = "uploaded_engine"
SYNTHETIC_CITIES = 100


@st.cache_resource(max_entries=1, show_spinner="Loading the data…")
def _configured() -> tuple[Dataset, str | None]:
    """The base data set: the configured data folder, else the bundled public record.

    A folder that fails to load is reported, and the bundled record is used instead.
    """
    folder = data_dir(sys.argv[1:])
    if folder.resolve() == BUNDLED_DATA.resolve():
        return load_public(), None
    result = load_folder(folder, label=f"Data folder '{folder.name}'")
    memory.release()
    if result.dataset is None:
        problems = "; ".join(i.message for i in result.report.errors[:3])
        return load_public(), (
            f"The data folder {folder} could not be used ({result.report.summary()}: "
            f"{problems}). Showing the bundled public record."
        )
    return result.dataset, None


def public_dataset() -> Dataset:
    return _configured()[0]


def configuration_problem() -> str | None:
    """Why the configured data folder is not the one in use, if it is not."""
    return _configured()[1]


@st.cache_resource(max_entries=2, show_spinner="Generating the synthetic sample…")
def synthetic_dataset(n_cities: int = SYNTHETIC_CITIES) -> Dataset:
    from smartcities.synthetic import synthetic_dataset as generate

    return generate(n_cities)


@st.cache_resource(max_entries=1)
def public_engine() -> Engine:
    engine = Engine(public_dataset())
    memory.release()
    return engine


@st.cache_resource(max_entries=2)
def synthetic_engine(n_cities: int = SYNTHETIC_CITIES) -> Engine:
    return Engine(synthetic_dataset(n_cities))


class _Owner:
    """This session's token in the server-wide upload budget. Kept in session state; when
    Streamlit drops the session (its tab closed, after ``server.disconnectedSessionTTL``),
    the token is collected and a finaliser releases the session's rows."""

    __slots__ = ("__weakref__", "id")

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex


def _released(owner: str) -> None:
    budget.UPLOADS.release(owner)
    memory.release()


def session_owner() -> str:
    """The id this session holds upload rows under (created, with its finaliser, once)."""
    token = st.session_state.get(OWNER_KEY)
    if not isinstance(token, _Owner):
        token = _Owner()
        st.session_state[OWNER_KEY] = token
        weakref.finalize(token, _released, token.id)
    return token.id


def uploaded() -> Dataset | None:
    """The data set this session adopted on the "Your data" page, if any."""
    return st.session_state.get(UPLOAD_KEY)


def adopt(dataset: Dataset, rows: int | None = None) -> bool:
    """Make a validated upload this session's data set (only this session sees it).

    ``rows`` is what it costs in the server-wide budget (default: all its rows); False, and
    nothing changed, when the server cannot hold it now."""
    cost = budget.rows_of(dict(dataset.tables)) if rows is None else rows
    if not budget.UPLOADS.hold(session_owner(), "adopted", cost):
        return False
    old = st.session_state.pop(UPLOAD_ENGINE_KEY, None)
    if old is not None:
        old.close()
    st.session_state[UPLOAD_KEY] = dataset
    st.session_state[UPLOAD_ENGINE_KEY] = Engine(dataset)
    return True


def forget_upload() -> None:
    st.session_state.pop(UPLOAD_KEY, None)
    engine = st.session_state.pop(UPLOAD_ENGINE_KEY, None)
    if engine is not None:
        engine.close()
    budget.UPLOADS.hold(session_owner(), "adopted", 0)


def resolve(kind: str) -> tuple[Dataset, Engine, str | None]:
    """The data set and engine for a ``dataset`` choice, with a warning if it fell back."""
    if kind == SYNTHETIC:
        return synthetic_dataset(), synthetic_engine(), None
    if kind == UPLOADED:
        ds = uploaded()
        if ds is not None:
            return ds, st.session_state[UPLOAD_ENGINE_KEY], None
        return (
            public_dataset(),
            public_engine(),
            "This link asks for uploaded data, but this session has none; showing the public "
            "record. Upload files on the 'Your data' page.",
        )
    assert kind == PUBLIC
    return public_dataset(), public_engine(), None
