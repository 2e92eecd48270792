"""The overview's table body written as HTML directly: 2,000 branches are 24,000 cells, and a
template loop over them took longer than everything else the page does. Names are escaped here
as the templates escape them (markupsafe)."""

from __future__ import annotations

from markupsafe import Markup, escape

from hub.township.overview import BEFORE, STATES, Overview

# What a cell says, by state (the page's legend explains them); a class per state for its colour.
WORDS = {"done": "完成", "due": "待办", "overdue": "逾期", "before": "未计"}


def grid_body(view: Overview, rows: list, query: str) -> Markup:
    """<tr>s of the overview: the branch's name (a link to its page), a cell per column (a link to
    its records there), its overdue count. `query`: what each link adds (&year=…&form=…)."""
    out = []
    several = view.several
    for row in rows:
        link = f"branches/{escape(row.uid)}"
        cells = []
        for column, rank in enumerate(row.ranks):
            if rank < BEFORE:
                cells.append("<td></td>")
                continue
            state = STATES[rank]
            counted = row.counted[column]
            text = f"{row.done[column]}/{counted}" if several and counted else WORDS[state]
            cells.append(f'<td class="s-{state}"><a href="{link}?c={column}{query}">{text}</a></td>')
        overdue = f"<b>{row.overdue}</b>" if row.overdue else "0"
        out.append(
            f'<tr><th class="name"><a href="{link}?year={view.year}">{escape(row.name)}</a></th>'
            f'{"".join(cells)}<td class="count">{overdue}</td></tr>\n'
        )
    return Markup("".join(out))
