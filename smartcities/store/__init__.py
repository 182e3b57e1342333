"""The compiled data store: validate a data set once, serve it read-only from many processes.

:mod:`smartcities.store.build` reads, normalises, validates and cross-checks a folder (or zip)
with the loader's rules and writes one DuckDB file; :mod:`smartcities.store.open` opens it
read-only as a :class:`~smartcities.dataset.Dataset` and a query
:class:`~smartcities.query.Engine`; :mod:`smartcities.store.cache` keeps stores built from
data folders, keyed by the folder's content and the code that validated it.
"""

from __future__ import annotations

FORMAT_VERSION = 1
