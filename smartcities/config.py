"""Settings: where the data lives and the limits on what the loader will read.

The data folder comes from ``--data-dir`` on the command line (after ``--`` with
``streamlit run``), else the ``SMARTCITIES_DATA_DIR`` environment variable, else the bundled
``data/`` folder. Limits can be set through ``SMARTCITIES_MAX_*`` environment variables.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATA = ROOT / "data"
ENV_DATA_DIR = "SMARTCITIES_DATA_DIR"


@dataclass(frozen=True)
class Limits:
    """Resource bounds checked before a file is read whole."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_rows: int = 2_000_000
    max_decompressed_bytes: int = 200 * 1024 * 1024
    max_files: int = 20
    max_columns: int = 200

    @classmethod
    def from_env(cls) -> Limits:
        def env_int(name: str, default: int) -> int:
            raw = os.environ.get(name)
            try:
                return int(raw) if raw else default
            except ValueError:
                return default

        d = cls()
        return cls(
            max_file_bytes=env_int("SMARTCITIES_MAX_FILE_MB", d.max_file_bytes // 2**20) * 2**20,
            max_rows=env_int("SMARTCITIES_MAX_ROWS", d.max_rows),
            max_decompressed_bytes=env_int(
                "SMARTCITIES_MAX_DECOMPRESSED_MB", d.max_decompressed_bytes // 2**20
            )
            * 2**20,
            max_files=env_int("SMARTCITIES_MAX_FILES", d.max_files),
            max_columns=env_int("SMARTCITIES_MAX_COLUMNS", d.max_columns),
        )


def data_dir(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Path:
    """The configured data folder: command line, then environment, then the bundled data."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", type=Path, default=None)
    args, _ = parser.parse_known_args(argv if argv is not None else [])
    env = environ if environ is not None else os.environ
    if args.data_dir is not None:
        return args.data_dir
    if env.get(ENV_DATA_DIR):
        return Path(env[ENV_DATA_DIR])
    return BUNDLED_DATA


ENV_STORE = "SMARTCITIES_STORE"
ENV_CACHE_DIR = "SMARTCITIES_CACHE_DIR"


def store_path(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """The store to serve (``--store`` or ``SMARTCITIES_STORE``), if one is configured."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store", type=Path, default=None)
    args, _ = parser.parse_known_args(argv if argv is not None else [])
    env = environ if environ is not None else os.environ
    if args.store is not None:
        return args.store
    return Path(env[ENV_STORE]) if env.get(ENV_STORE) else None


def cache_dir(environ: dict[str, str] | None = None) -> Path:
    """Where stores built from data folders are kept (``SMARTCITIES_CACHE_DIR``, else the
    user's cache folder)."""
    env = environ if environ is not None else os.environ
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "smartcities" / "stores"
