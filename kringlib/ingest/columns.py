"""An export's columns gathered a block at a time, each distinct cell text parsed once.

A column of two million cells holds perhaps a few thousand distinct texts (log-in ids,
days, durations): each block's cells are dictionary-encoded (:func:`pandas.factorize`),
so reading keeps one small integer per cell, and each distinct text is trimmed and
parsed once by the same function a single cell would use. A text that does not parse
is reported on every line that holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np
import pandas as pd

from kringlib.ingest.findings import Problem
from kringlib.ingest.table import clean

FLOAT, DAY, OBJECT = "float", "day", "object"
"""What a parsed column becomes: float64 (NaN: missing), datetime64[ns] days, or objects."""


class Column:
    """One column's cells, dictionary-encoded as they are read."""

    def __init__(self):
        self._index: dict[object, int] = {}
        self._codes: list[np.ndarray] = []

    def extend(self, cells: Sequence) -> None:
        """Add a block of cells (raw, as read)."""
        codes, uniques = pd.factorize(np.asarray(cells, dtype=object))
        index = self._index
        known = chain(uniques, [None])  # code -1, a missing cell, takes the last place
        remap = np.fromiter((index.setdefault(u, len(index)) for u in known), np.int32)
        self._codes.append(remap[codes])

    def texts(self) -> list:
        """Each distinct cell once, trimmed (empty: None)."""
        return [clean(value) for value in self._index]

    def parse(
        self, parse: Callable, kind: str, lines: np.ndarray
    ) -> tuple[np.ndarray, list[tuple[int, Problem]]]:
        """The column parsed as ``kind`` and (line, problem) of each cell that does not
        parse (its value is missing); the cells are forgotten."""
        parsed, bad = [], {}
        for code, text in enumerate(self.texts()):
            try:
                parsed.append(parse(text))
            except Problem as problem:
                parsed.append(None)
                bad[code] = problem
        codes = np.concatenate(self._codes) if self._codes else np.empty(0, np.int32)
        self._codes, self._index = [], {}
        failed = np.zeros(len(parsed), bool)
        failed[list(bad)] = True
        rows = np.flatnonzero(failed[codes])  # one pass, however many texts fail
        problems = [(int(lines[row]), bad[codes[row]]) for row in rows]
        return _typed(parsed, kind)[codes], problems


def _typed(parsed: list, kind: str) -> np.ndarray:
    if kind == FLOAT:
        return np.array([np.nan if v is None else v for v in parsed], dtype="float64")
    if kind == DAY:
        return pd.to_datetime(pd.Series(parsed, dtype=object)).to_numpy("datetime64[ns]")
    values = np.empty(len(parsed), dtype=object)
    values[:] = parsed
    return values
