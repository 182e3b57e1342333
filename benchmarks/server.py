"""Start and stop a Streamlit server for the benchmark, and read its memory from ``/proc``.

Why a separate module: run.py must *always* stop what it started, including when Chromium or
a page times out, so the server lives in a context manager that kills its process group in a
``finally``. Memory is read from ``/proc`` (Linux only, like the rest of the harness) because the
figure asked for is the resident set of the server *including* any children it may spawn.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIM_DIR = Path(__file__).resolve().parent / "shim"


def free_port() -> int:
    """A free TCP port on localhost (the OS picks one; tiny race accepted, as in the tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``streamlit run`` process and where to reach it."""

    proc: subprocess.Popen[bytes]
    url: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""


def _descendants(pid: int) -> list[int]:
    """The process and all its descendants, via /proc/<pid>/task/*/children."""
    found = [pid]
    i = 0
    while i < len(found):
        base = Path(f"/proc/{found[i]}/task")
        i += 1
        try:
            tasks = list(base.iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                text = (task / "children").read_text()
            except OSError:
                continue
            found.extend(int(c) for c in text.split())
    return list(dict.fromkeys(found))


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of a process and its descendants, in MB (MiB)."""
    return sum(_status_kb(p, "VmRSS") for p in _descendants(pid)) / 1024


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process itself, in MB (MiB)."""
    return _status_kb(pid, "VmHWM") / 1024


def _wait_healthy(server: Server, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"the Streamlit server exited with code {server.proc.returncode}:\n"
                + server.log_tail()
            )
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(
        f"the Streamlit server did not answer /_stcore/health within {timeout_s:.0f} s:\n"
        + server.log_tail()
    )


def stop(server: Server) -> None:
    """Terminate the server's process group; kill it if it does not stop within 10 s."""
    if server.proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=10)


@contextlib.contextmanager
def running(
    script: Path,
    *,
    env: dict[str, str] | None = None,
    log_path: Path,
    shim: bool = False,
    start_timeout_s: float = 90,
) -> Iterator[Server]:
    """Run ``streamlit run <script>`` headless on a free port for the duration of the block.

    The server gets its own process group (so stopping it stops anything it spawned) and its
    output goes to ``log_path``, which run.py points at when something fails. ``shim`` puts
    ``benchmarks/shim`` first on PYTHONPATH (see its docstring).
    """
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
    ]
    full_env = {**os.environ, **(env or {})}
    paths = [str(ROOT)]
    if shim:
        paths.insert(0, str(SHIM_DIR))
    if full_env.get("PYTHONPATH"):
        paths.append(full_env["PYTHONPATH"])
    full_env["PYTHONPATH"] = os.pathsep.join(paths)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(proc, f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_healthy(server, start_timeout_s)
        yield server
    finally:
        stop(server)
