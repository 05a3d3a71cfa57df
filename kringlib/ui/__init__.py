"""ipywidgets components and one app per dashboard."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


def _defer_iri_grammar() -> None:
    """Let jsonschema load ``rfc3987_syntax`` only when it first checks an IRI.

    Altair imports jsonschema, which imports ``rfc3987_syntax`` where it is installed, and
    that module builds an IRI grammar as it is imported: 1–3 s and over 20 MB in every
    kernel that draws a chart, though Vega-Lite's schema has no IRI to check. A stand-in
    holds its place until then; the first use imports the real module and answers with
    it, so every check answers as it always did.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    if importlib.util.find_spec("rfc3987_syntax") is None:
        return
    stand_in = types.ModuleType("rfc3987_syntax")

    def real() -> types.ModuleType:
        if sys.modules.get("rfc3987_syntax") is stand_in:
            del sys.modules["rfc3987_syntax"]
        return importlib.import_module("rfc3987_syntax")

    def attribute(name: str):
        if name.startswith("__"):  # the import system's questions are not a use
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.is_valid_syntax = lambda term, value: real().is_valid_syntax(term, value)
    stand_in.__getattr__ = attribute
    sys.modules["rfc3987_syntax"] = stand_in


_defer_iri_grammar()
