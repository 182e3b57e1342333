"""Render deploy/nginx/smartcities.conf.in into an nginx include.

    python deploy/render.py --server-name dashboard.example.gov.in --ports 8601 8602 \
        --listen 80 --out /etc/nginx/conf.d/smartcities.conf
    python deploy/render.py ... --down 8601     # the same, with 8601 out for a restart

Used by the rolling update (deploy/rolling-update.sh) and by tests/browser/test_deploy.py.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx") / "smartcities.conf.in"
_NAME = re.compile(r"^[A-Za-z0-9.*_-]+$")


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts in the installed Streamlit's index.html, and of the
    app's own one (the script that sets ``<html lang>``, one per interface language)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("streamlit is not installed in this Python")
    index = Path(spec.submodule_search_locations[0]) / "static" / "index.html"
    html = index.read_text(encoding="utf-8")
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from smartcities.i18n import LANGS, lang_script

    return [_sha256(s) for s in scripts] + [_sha256(lang_script(lang)) for lang in LANGS]


def render(
    *,
    server_names: list[str],
    ports: list[int],
    listen: str = "80",
    down: tuple[int, ...] = (),
    access_log: str = "/var/log/nginx/smartcities.access.log",
    max_body_mb: int = 60,
    hsts: bool = False,
    backend_host: str = "127.0.0.1",
    affinity: str = "ip",
) -> str:
    """The nginx include for app processes on ``ports`` (``down``: out for a restart).

    ``affinity``: ``ip`` (ip_hash: a client address stays on one process) or ``cookie`` (a
    random id per browser, for users who share one address behind a NAT or another proxy).
    """
    if affinity not in ("ip", "cookie"):
        raise ValueError("affinity is 'ip' or 'cookie'")
    for name in server_names:
        if not _NAME.match(name):
            raise ValueError(f"not a host name: {name!r}")
    if not ports:
        raise ValueError("at least one app process port is needed")
    servers = "\n".join(
        f"    server {backend_host}:{p} max_fails=1 fail_timeout=5s{' down' if p in down else ''};"
        for p in ports
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {
        "SERVERS": servers,
        "LISTEN": str(listen),
        "SERVER_NAME": " ".join(server_names),
        "ACCESS_LOG": access_log,
        "MAX_BODY_MB": str(max_body_mb),
        "CONNECT_EXTRA": "",
        "BALANCE": (
            "    ip_hash;" if affinity == "ip" else "    hash $smartcities_affinity consistent;"
        ),
        "AFFINITY_COOKIE": (
            "    add_header Set-Cookie $smartcities_set_affinity always;\n"
            if affinity == "cookie"
            else ""
        ),
        "SCRIPT_HASHES": "".join(" " + h for h in inline_script_hashes()),
        "HSTS": (
            '    add_header Strict-Transport-Security "max-age=31536000" always;\n' if hsts else ""
        ),
    }
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise ValueError("unrendered placeholder left in the template")
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--server-name", nargs="+", required=True)
    p.add_argument("--ports", nargs="+", type=int, default=[8601, 8602])
    p.add_argument("--listen", default="80")
    p.add_argument("--down", nargs="*", type=int, default=[])
    p.add_argument("--access-log", default="/var/log/nginx/smartcities.access.log")
    p.add_argument("--max-body-mb", type=int, default=60)
    p.add_argument("--hsts", action="store_true", help="only when served over HTTPS")
    p.add_argument("--affinity", choices=("ip", "cookie"), default="ip")
    p.add_argument("--out", type=Path, default=None)
    a = p.parse_args(argv)
    text = render(
        server_names=a.server_name,
        ports=a.ports,
        listen=a.listen,
        down=tuple(a.down),
        access_log=a.access_log,
        max_body_mb=a.max_body_mb,
        hsts=a.hsts,
        affinity=a.affinity,
    )
    if a.out is None:
        sys.stdout.write(text)
    else:
        tmp = a.out.with_name(a.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
