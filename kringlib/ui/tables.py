"""HTML tables for dashboards: header, rows of already formatted cells, numbers right-aligned."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Iterable[int] = (),
    css_class: str = "",
    row_attributes: Iterable[str] | None = None,
) -> str:
    """A ``kr-table``: ``head`` is plain text (escaped here), cells are HTML already escaped.

    ``numeric`` lists the column positions aligned as numbers; ``row_attributes`` gives
    each row extra attributes (such as ``data-agent="AG001"``) for tests and styling.
    """
    numeric = set(numeric)

    def cell(tag: str, position: int, content: str) -> str:
        align = ' class="kr-num"' if position in numeric else ""
        return f"<{tag}{align}>{content}</{tag}>"

    header = "".join(cell("th", k, html.escape(text)) for k, text in enumerate(head))
    rows = list(rows)
    attributes = list(row_attributes) if row_attributes is not None else [""] * len(rows)
    body = "".join(
        f"<tr{' ' + extra if extra else ''}>"
        + "".join(cell("td", k, content) for k, content in enumerate(row))
        + "</tr>"
        for row, extra in zip(rows, attributes, strict=True)
    )
    classes = " ".join(filter(None, ("kr-table", css_class)))
    return f'<table class="{classes}"><tr>{header}</tr>{body}</table>'
