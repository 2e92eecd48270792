"""Paper: what Yici prints, as HTML for Qt's rich text (no Qt here: forms/ stays Qt-free).

A record prints as one 记录本 page (record_page.py) in its form's layout — a Jinja2 HTML template
beside the form file (`sanhui-yike.yaml` → `sanhui-yike.print.html`), or the generic layout for a
form without one (layouts.py). A branch's 台账 for a period is one document (book.py): cover,
contents, every final record, summary pages. desktop/paper/ turns a `Paper` into a PDF or sends it
to a printer, adding what belongs on every page (the running head, page numbers, the 草稿 mark).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# In the HTML, where a page number goes once the renderer knows it: PAGE_OF.format(anchor=...)
# stands in a contents line for the page on which `<a name="anchor">` falls.
PAGE_OF = "[[page:{anchor}]]"


@dataclass
class Paper:
    """One document to print.

    `html`: a whole HTML document in the subset Qt's QTextDocument renders (tables, <img>, CSS
    font/margin/border/page-break-before). `title`: the PDF's title. `running_head`: printed at
    the top of every page (the branch name; for a book also the period). `draft`: a 草稿 mark
    across every page. `images`: each <img src> in the HTML → the file it shows, or a function
    giving its bytes (a stored photo, decrypted only when drawn; the renderer downscales them).
    `anchors`: names whose page numbers fill PAGE_OF marks.
    """

    html: str
    title: str
    running_head: str
    draft: bool = False
    images: dict[str, Path | Callable[[], bytes]] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)
