"""Stores built from data folders, kept in a cache folder and keyed by what went into them.

The key is a hash of the folder's files (names, sizes, SHA-256), the code that validates them
(:func:`~smartcities.store.build.code_version`), the store format, the loader limits and the
kind and label: the same folder served again, by this process or another, reuses the store;
a changed file, rule or limit builds a new one. A build runs in a background thread
(:class:`BuildJob`) so the page can draw a progress bar while it waits.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from smartcities.config import Limits
from smartcities.store import FORMAT_VERSION

if TYPE_CHECKING:
    from smartcities.store.build import BuildResult


def content_key(folder: Path, *, kind: str, label: str | None, limits: Limits) -> str:
    # The build module (and the loader behind it) is imported only when a key or a build is
    # needed: a process serving a store never loads the validation code.
    from smartcities.store.build import code_version, provenance

    spec = {
        "files": provenance(folder) if folder.exists() else [],
        "code": code_version(),
        "format": FORMAT_VERSION,
        "limits": repr(limits),
        "kind": kind,
        "label": label,
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:24]


def cached_store(cache: Path, folder: Path, *, kind: str, label: str | None) -> Path:
    """Where the store for this folder's current content lives (built or not)."""
    limits = Limits.from_env()
    return cache / f"{content_key(folder, kind=kind, label=label, limits=limits)}.duckdb"


@dataclass
class BuildJob:
    """One build in a background thread; any number of waiters read its progress."""

    source: Path
    out: Path
    kind: str
    label: str | None
    fraction: float = 0.0
    text: str = "Starting"
    result: BuildResult | None = None
    error: str | None = None
    _done: threading.Event = field(default_factory=threading.Event)

    def start(self) -> BuildJob:
        threading.Thread(target=self._run, name="smartcities-store-build", daemon=True).start()
        return self

    def _run(self) -> None:
        from smartcities.store.build import build_store

        try:
            self.result = build_store(
                self.source,
                self.out,
                kind=self.kind,
                label=self.label,
                on_progress=self._progress,
            )
        except Exception as exc:  # noqa: BLE001 - reported on the page, never a traceback
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._done.set()

    def _progress(self, fraction: float, text: str) -> None:
        self.fraction, self.text = fraction, text

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def done(self) -> bool:
        return self._done.is_set()
