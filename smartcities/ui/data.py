"""The thin cache layer: which data set is in use, and its shared query engine.

The base data set is served from a compiled store (:mod:`smartcities.store`), opened read-only
once per process and shared by every session: ``--store PATH`` / ``SMARTCITIES_STORE`` names
one; otherwise the configured data folder (``--data-dir`` / ``SMARTCITIES_DATA_DIR``, else the
bundled public record) is built into a store once, in a cache folder keyed by its content, with
a progress bar on the page meanwhile, and reused by later starts. The synthetic sample is
generated in memory. A user's upload lives only in that user's session state, so it never
reaches another session. The engine for a data set is built once and reused on every rerun.
"""

from __future__ import annotations

import sys
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from smartcities import budget, memory
from smartcities.config import BUNDLED_DATA, cache_dir, data_dir, store_path
from smartcities.dataset import PUBLIC, SYNTHETIC, UPLOADED, Dataset
from smartcities.query import Engine
from smartcities.store.cache import BuildJob, cached_store
from smartcities.store.open import StoreError, open_store

OWNER_KEY = "_upload_owner"
UPLOAD_KEY = "uploaded_dataset"
UPLOAD_ENGINE_KEY = "uploaded_engine"
SYNTHETIC_CITIES = 100


@dataclass(frozen=True)
class _Source:
    """What this process serves: a store, and the build that is making it (if any)."""

    store: Path
    job: BuildJob | None
    folder: Path | None


@st.cache_resource(max_entries=1, show_spinner=False)
def _source() -> _Source:
    """Decided once per process: the configured store, or the cached store of the folder."""
    argv = sys.argv[1:]
    store = store_path(argv)
    if store is not None:
        return _Source(store, None, None)
    folder = data_dir(argv)
    bundled = folder.resolve() == BUNDLED_DATA.resolve()
    label = None if bundled else f"Data folder '{folder.name}'"
    path = cached_store(cache_dir(), folder, kind=PUBLIC, label=label)
    if path.is_file():
        return _Source(path, None, folder)
    return _Source(path, BuildJob(folder, path, PUBLIC, label).start(), folder)


def _wait_for_build() -> None:
    """While the store is being built, a progress bar on the page (every session waiting)."""
    job = _source().job
    if job is None or job.done:
        return
    bar = st.progress(0.0, text="Preparing the data (once; later starts reuse it)…")
    while not job.wait(0.3):
        bar.progress(min(job.fraction, 1.0), text=f"Preparing the data (once): {job.text}…")
    bar.empty()


@st.cache_resource(max_entries=1, show_spinner=False)
def _served() -> tuple[Dataset, Engine, str | None]:
    """The base data set and its engine; a store that cannot be used is reported, and the
    bundled public record is served instead."""
    src = _source()
    problem: str | None = None
    if src.job is not None:
        src.job.wait()
        result = src.job.result
        if src.job.error and src.folder is not None:
            # No store could be written (say, a read-only cache folder): validate the folder in
            # this process, as before stores existed, rather than not serving it.
            served = _in_memory(src.folder)
            if served is not None:
                return served
        if src.job.error or result is None or result.store is None:
            if result is not None:
                errors = "; ".join(i.message for i in result.report.errors[:3])
                why = f"{result.report.summary()}: {errors}"
            else:
                why = src.job.error or "the build failed"
            problem = (
                f"The data folder {src.folder} could not be used ({why}). "
                "Showing the bundled public record."
            )
    if problem is None:
        try:
            dataset, engine = open_store(src.store)
            return dataset, engine, None
        except StoreError as exc:
            problem = (
                f"The data store could not be opened ({exc}). Showing the bundled public record."
            )
    from smartcities.load import load_public  # only for the fallback: the loader is heavy

    engine = Engine(load_public())
    memory.release()
    return engine.dataset, engine, problem


def _in_memory(folder: Path) -> tuple[Dataset, Engine, str | None] | None:
    from smartcities.load import load_folder

    bundled = folder.resolve() == BUNDLED_DATA.resolve()
    result = load_folder(folder, label=None if bundled else f"Data folder '{folder.name}'")
    if result.dataset is None:
        return None
    engine = Engine(result.dataset)
    memory.release()
    return result.dataset, engine, None


def public_dataset() -> Dataset:
    _wait_for_build()
    return _served()[0]


def public_engine() -> Engine:
    _wait_for_build()
    return _served()[1]


def configuration_problem() -> str | None:
    """Why the configured data is not the one in use, if it is not."""
    _wait_for_build()
    return _served()[2]


@st.cache_resource(max_entries=2, show_spinner="Generating the synthetic sample…")
def synthetic_dataset(n_cities: int = SYNTHETIC_CITIES) -> Dataset:
    from smartcities.synthetic import synthetic_dataset as generate

    return generate(n_cities)


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
