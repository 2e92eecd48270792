"""The records table's summary column, cut where it says least.

A summary reads "name · type · 8人" (forms/engine/summary.py). When the column is too narrow, Qt
would cut one place of the whole line; two meetings whose names differ only at the start
("11月…" / "12月…") or only at the end ("…（第一党小组）" / "…（第二党小组）") would then look the
same. Here the name gives up its middle, keeping both of its ends, before anything else is cut.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate

SEPARATOR = " · "


def shown_summary(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` as it fits in `width` pixels. The name (the first part) gives up its middle, keeping
    both its ends; what follows it (the meeting type, the head count) stays whole while the name
    keeps at least twelve characters, then only the last part (the head count) does."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    name, sep, rest = text.partition(SEPARATOR)
    least = metrics.horizontalAdvance("中" * 12)
    for tail in (rest, rest.rpartition(SEPARATOR)[2]) if sep else ():
        room = width - metrics.horizontalAdvance(sep + tail)
        if room >= least:
            return metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room) + sep + tail
    return metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, width)


class SummaryDelegate(QStyledItemDelegate):
    """Draws a summary cell with `shown_summary` (its tooltip keeps the whole line)."""

    PADDING = 8  # the style's text margins inside a cell

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        width = option.rect.width() - self.PADDING
        option.text = shown_summary(option.text, QFontMetrics(option.font), width)

    def shown_text(self, text: str, metrics: QFontMetrics, width: int) -> str:
        """What this column shows of `text` in `width` pixels (the look test asks)."""
        return shown_summary(text, metrics, width - self.PADDING)
