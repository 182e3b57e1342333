"""nginx with deploy/'s configuration in a folder of its own, for tests and benchmarks.

Renders ``render.py``'s include for app processes on loopback ports, wraps it in a minimal
main configuration (pid, logs and temp paths inside ``folder``) and runs Debian's nginx with
``-p``/``-c``: nothing under /etc or /var is touched.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import render


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_binary() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Proxy:
    """nginx with deploy/'s configuration, in a folder of its own (no root paths touched)."""

    def __init__(
        self, binary: str, folder: Path, ports: list[int], host: str, affinity: str = "ip"
    ) -> None:
        self.binary, self.folder, self.ports = binary, folder, ports
        self.host, self.affinity = host, affinity
        self.port = _free_port()
        self.log = folder / "access.log"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {folder}/nginx.pid;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n  client_body_temp_path {folder}/body;\n"
            f"  proxy_temp_path {folder}/proxy;\n  fastcgi_temp_path {folder}/fastcgi;\n"
            f"  uwsgi_temp_path {folder}/uwsgi;\n  scgi_temp_path {folder}/scgi;\n"
            f"  include {folder}/smartcities.conf;\n}}\n",
            encoding="utf-8",
        )
        self.render()

    def render(self, down: tuple[int, ...] = ()) -> None:
        text = render.render(
            server_names=[self.host],
            affinity=self.affinity,
            ports=self.ports,
            listen=f"127.0.0.1:{self.port}",
            down=down,
            access_log=str(self.log),
        )
        (self.folder / "smartcities.conf").write_text(text, encoding="utf-8")

    def _nginx(self, *args: str) -> subprocess.CompletedProcess:
        conf = str(self.folder / "nginx.conf")
        err = str(self.folder / "error.log")
        return subprocess.run(
            [self.binary, "-p", str(self.folder), "-c", conf, "-e", err, *args],
            capture_output=True,
            text=True,
            timeout=30,
        )

    def start(self) -> None:
        test = self._nginx("-t")
        assert test.returncode == 0, test.stderr
        started = self._nginx()
        assert started.returncode == 0, started.stderr
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                status, _, _ = self.get("/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("nginx did not start: " + (self.folder / "error.log").read_text())

    def reload(self, down: tuple[int, ...] = ()) -> None:
        self.render(down)
        result = self._nginx("-s", "reload")
        assert result.returncode == 0, result.stderr
        time.sleep(1.0)  # new workers take over; old ones keep their open connections

    def stop(self) -> None:
        self._nginx("-s", "quit")

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        host = host or self.host
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            con.request("GET", path, headers={"Host": f"{host}:{self.port}"})
            r = con.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            con.close()

    def upstreams(self, path: str = "/") -> list[int]:
        """Which app process served each GET of ``path``, in order (from the log; a websocket
        is logged only when it closes, the page itself at once, and ip_hash sends both of a
        client's to one process)."""
        text = self.log.read_text(encoding="utf-8") if self.log.exists() else ""
        return [
            int(m.group(1))
            for line in text.splitlines()
            if f'"GET {path} HTTP' in line
            for m in [re.search(r"upstream=127\.0\.0\.1:(\d+)", line)]
            if m
        ]
