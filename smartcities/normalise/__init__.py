"""Normalising raw tables: header names, Indian numbers, day-first dates, city and state names.

The package is split by concern; this module only names its entry point (:func:`normalise`,
with :class:`Context`, :class:`Normalised` and :class:`MissingColumns`):

- :mod:`.synonyms` the reviewed spellings (``data/synonyms/*.csv``), read once;
- :mod:`.headers` header → contract column and metric names; :mod:`.detect` which table a
  file holds and which required columns (from the schema) it lacks;
- :mod:`.parse` one cell: placeholders, numbers, dates, category values;
- :mod:`.places` the one city resolver and the alias warning;
- :mod:`.context` what normalising one file carries, and the cap on repeated row issues;
- :mod:`.columns` whole columns: text, numbers, dates, cities, states;
- :mod:`.tables` what each table needs beyond that; :mod:`.frame` the steps in order.
"""

from smartcities.normalise.context import Context
from smartcities.normalise.frame import MissingColumns, Normalised, normalise

__all__ = ["Context", "MissingColumns", "Normalised", "normalise"]
