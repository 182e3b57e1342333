"""Text a spreadsheet would run as a formula (OWASP "CSV injection").

One definition for both ends: the loader warns about such cells (:mod:`smartcities.normalise`)
and the CSV and Excel downloads neutralise them (:mod:`smartcities.export`). No imports from
the project, so the loader can use it without depending on the downloads.
"""

from __future__ import annotations

# ASCII and their fullwidth forms (＝ ＋ － ＠): spreadsheets in CJK locales read those as
# formula starts too.
FORMULA_PREFIXES: tuple[str, ...] = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
# The signs among them: followed by a number ("-5", "＋2.5") the text is a number, not a formula.
SIGNS: tuple[str, ...] = ("+", "-", "\uff0b", "\uff0d")
