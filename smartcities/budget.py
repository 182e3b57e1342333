"""A server-wide budget for uploaded data, shared by every session of the process.

Per-file limits (``config.Limits``) bound one upload, not the server: a 10 MB zip of 1.6
million valid rows passes them and costs about 1.5 GB while it loads, and six sessions doing
it at once took the server to 9.4 GB. So the process keeps one registry:

- at most ``max_loads`` uploads are read and validated at a time; another session gets a
  clear "the server is busy, try again" instead of a third parallel peak;
- the rows held by all sessions (a checked upload waiting to be used, and the one in use)
  stay under ``max_rows``; a load is refused (nothing changes for its session) when it would
  pass it;
- a session's rows are released when it ends (its state is collected) or drops its upload.

Pure Python, no Streamlit: the UI layer names the owner (one token per session) and calls
:meth:`Budget.release` from a finaliser on the session's state.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from smartcities import memory
from smartcities.config import Limits

if TYPE_CHECKING:  # the loader (pandera and the normaliser) is imported when a load runs:
    # a process serving a store never needs it, and importing it cost every launch ~0.5 s.
    from smartcities.load import LoadResult, Source

ENV_MAX_ROWS = "SMARTCITIES_SERVER_MAX_ROWS"
ENV_MAX_LOADS = "SMARTCITIES_MAX_CONCURRENT_LOADS"
# 4 million rows held across sessions is about 0.5 GB in the query engine's store. One load at
# a time: a load keeps a core busy for seconds, and on a two-core server a second parallel
# load left other users' pages waiting (tests/unit/test_budget_memory.py). Both configurable.
DEFAULT_MAX_ROWS = 4_000_000
DEFAULT_MAX_LOADS = 1

BUSY = (
    "The server is busy checking other users' files. Nothing was read; try again in a "
    "minute. Your data in use has not changed."
)


def full_message(room: int) -> str:
    if room <= 0:
        return (
            "The server holds as much uploaded data as it can for all its users right now. "
            "Nothing was read; try again later, or load fewer rows. Your data in use has not "
            "changed."
        )
    return (
        f"These files hold more rows than the server can take now (at most {room:,} more). "
        "Nothing was kept; load fewer rows, or try again later. Your data in use has not "
        "changed."
    )


@dataclass
class Budget:
    """Rows held per owner (``pending`` and ``adopted``) and a limit on concurrent loads."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_loads: int = DEFAULT_MAX_LOADS
    _held: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _loads: threading.Semaphore = field(init=False, repr=False)
    _running: int = field(default=0, repr=False)
    peak_loads: int = field(default=0, repr=False)  # the most loads seen at once (for tests)

    def __post_init__(self) -> None:
        self._loads = threading.BoundedSemaphore(max(self.max_loads, 1))

    @contextmanager
    def loading(self, wait_s: float = 0.0) -> Iterator[bool]:
        """A slot to read files in: yields True, or False at once when all slots are taken
        (the caller says the server is busy; nothing waits in a queue holding memory)."""
        got = self._loads.acquire(timeout=wait_s) if wait_s > 0 else self._loads.acquire(False)
        if got:
            with self._lock:
                self._running += 1
                self.peak_loads = max(self.peak_loads, self._running)
        try:
            yield got
        finally:
            if got:
                with self._lock:
                    self._running -= 1
                self._loads.release()

    def total(self) -> int:
        with self._lock:
            return sum(sum(parts.values()) for parts in self._held.values())

    def room(self, owner: str, replacing: str = "pending") -> int:
        """Rows ``owner`` may still hold as ``replacing`` (its old rows of that kind freed)."""
        with self._lock:
            used = sum(sum(parts.values()) for parts in self._held.values())
            own = self._held.get(owner, {}).get(replacing, 0)
        return self.max_rows - used + own

    def hold(self, owner: str, kind: str, rows: int) -> bool:
        """Set ``owner``'s rows of ``kind`` (``pending`` or ``adopted``); False, and nothing
        changed, when that would pass the server's budget."""
        with self._lock:
            parts = self._held.setdefault(owner, {})
            others = sum(sum(p.values()) for o, p in self._held.items() if o != owner)
            mine = sum(v for k, v in parts.items() if k != kind)
            if rows > 0 and others + mine + rows > self.max_rows:
                if not parts:
                    del self._held[owner]
                return False
            if rows > 0:
                parts[kind] = rows
            else:
                parts.pop(kind, None)
            if not parts:
                del self._held[owner]
            return True

    def release(self, owner: str) -> None:
        """Forget everything ``owner`` holds (its session ended)."""
        with self._lock:
            self._held.pop(owner, None)

    def owners(self) -> list[str]:
        with self._lock:
            return list(self._held)


def from_env(environ: dict[str, str] | None = None) -> Budget:
    env = os.environ if environ is None else environ

    def env_int(name: str, default: int) -> int:
        try:
            return max(int(env.get(name, "") or default), 1)
        except ValueError:
            return default

    return Budget(
        env_int(ENV_MAX_ROWS, DEFAULT_MAX_ROWS), env_int(ENV_MAX_LOADS, DEFAULT_MAX_LOADS)
    )


# The process-wide registry every session of this server shares.
UPLOADS = from_env()


def guarded_load(
    owner: str,
    sources: list[Source],
    limits: Limits,
    *,
    registry: Budget | None = None,
) -> LoadResult | str:
    """Load ``sources`` for ``owner`` within the server's budget; a message when refused.

    At most ``max_loads`` of these run at once (others are told the server is busy, at once);
    the rows a load may produce are capped by the room left, and the result's rows are held
    as ``owner``'s pending upload (replacing its previous one)."""
    registry = UPLOADS if registry is None else registry
    with registry.loading() as free:
        if not free:
            return BUSY
        room = registry.room(owner)
        if room <= 0:
            return full_message(room)
        capped = replace(limits, max_rows=min(limits.max_rows, room))
        from smartcities.load import load_sources

        loaded = load_sources(sources, limits=capped)
    if room < limits.max_rows and any(
        i.message.startswith("refused:") and " rows" in i.message for i in loaded.report.errors
    ):
        # Refused by the room left on the server, not by the file limit: say so.
        del loaded
        memory.release()
        return full_message(room)
    rows = rows_of(dict(loaded.dataset.tables)) if loaded.dataset is not None else 0
    if not registry.hold(owner, "pending", rows):
        del loaded
        memory.release()
        return full_message(registry.room(owner))
    memory.release()
    return loaded


def rows_of(tables: dict[str, object] | None) -> int:
    """Rows of a data set's tables (what a session holds in memory for it)."""
    if not tables:
        return 0
    return sum(len(t) for t in tables.values())  # type: ignore[arg-type]
