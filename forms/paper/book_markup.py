"""The HTML pieces a 台账 is built from: escaped text, section headings, ruled tables, page marks.

Everything a record or a person typed goes through `text()`, which escapes it (a record's text
never becomes markup) and lets it wrap: a line break becomes <br/>, and an unbroken run of
latin letters longer than a table cell (a pasted address, a long number) gets invisible break
points, since QTextDocument would widen the table past the page edge rather than break it. The
markup stays inside what QTextDocument renders: tables for layout, borders on tables and cells,
font sizes, `page-break-before: always`; no floats, no nowrap.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from forms.paper import PAGE_OF

# A run of this many characters without a space is broken every RUN characters with a
# zero-width space (shows nothing, lets the line break); Chinese text breaks by itself.
RUN = 24
_LONG_RUN = re.compile(r"[^\s\u2e80-\u9fff\uff00-\uffef]{" + str(RUN + 1) + ",}")
ZERO_WIDTH_SPACE = "\u200b"

BOOK_STYLE = """
body { font-size: 11pt; }
h1.book { font-size: 26pt; font-weight: bold; text-align: center; }
h2.book { font-size: 16pt; font-weight: bold; margin-top: 0; margin-bottom: 10px; }
h3.book { font-size: 13pt; font-weight: bold; margin-top: 14px; margin-bottom: 6px; }
p.note { font-size: 9.5pt; }
table.grid { border-collapse: collapse; }
table.grid th { font-weight: bold; background-color: #eeeeee; }
"""


def text(value: object) -> str:
    """A value as inert, wrappable HTML text (None is empty)."""
    if value is None:
        return ""
    raw = str(value)
    raw = _LONG_RUN.sub(lambda m: ZERO_WIDTH_SPACE.join(_chunks(m.group(0))), raw)
    escaped = html.escape(raw, quote=True)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")


def _chunks(run: str) -> list[str]:
    return [run[i : i + RUN] for i in range(0, len(run), RUN)]


def anchor(name: str) -> str:
    """An invisible named place; the renderer finds its page for the PAGE_OF marks."""
    return f'<a name="{html.escape(name, quote=True)}"></a>'


def page_of(name: str) -> str:
    """Where the page number of the anchor `name` goes once the renderer knows it."""
    return PAGE_OF.format(anchor=name)


def section(name: str, title: str, *, new_page: bool = True) -> str:
    """A section heading that starts a page and carries the anchor `name`; `title` is escaped."""
    style = ' style="page-break-before: always"' if new_page else ""
    return f'<h2 class="book"{style}>{anchor(name)}{text(title)}</h2>\n'


def heading(title: str) -> str:
    """A smaller heading inside a section; `title` is escaped."""
    return f'<h3 class="book">{text(title)}</h3>\n'


def note(markup: str) -> str:
    """A paragraph in small print (`markup` is already HTML)."""
    return f'<p class="note">{markup}</p>\n'


def grid(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[int | None] = (),
    align: Sequence[str] = (),
    *,
    show_header: bool = True,
) -> str:
    """A ruled table across the page. `header` is plain text (escaped here) and says how many
    columns there are; each row's cells are already HTML (escape with `text()`). `widths` are
    percentages, `align` per column. Widths are what a cell gets: text breaks to fit it."""
    cols = len(header)
    widths = list(widths) + [None] * (cols - len(widths))
    align = list(align) + ["left"] * (cols - len(align))
    head = "".join(f'<th{_width(widths[i])} align="{align[i]}">{text(h)}</th>' for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = list(row) + [""] * (cols - len(row))
        body.append(
            "<tr>"
            + "".join(
                f'<td{"" if show_header else _width(widths[i])} align="{align[i]}">{c}</td>'
                for i, c in enumerate(cells)
            )
            + "</tr>"
        )
    top = f"<thead><tr>{head}</tr></thead>\n" if show_header else ""
    return (
        '<table class="grid" border="1" cellspacing="0" cellpadding="4" width="100%">'
        + top
        + "\n".join(body)
        + "</table>\n"
    )


def _width(percent: int | None) -> str:
    return f' width="{percent}%"' if percent else ""


def document(title: str, body: str, styles: Iterable[str] = ()) -> str:
    """A whole HTML document: the book's style, the styles the record pages brought, the body."""
    style = "\n".join([BOOK_STYLE, *styles])
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"/>'
        f"<title>{text(title)}</title><style>{style}</style></head>\n<body>\n{body}</body></html>\n"
    )
