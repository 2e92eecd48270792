"""What a person sees cut: walk a shown window and list every visible text narrower (or lower) than
it needs, and every button a person cannot reach on the screen.

Checked: labels, push/tool buttons, check boxes, radio buttons, combo boxes (their shown text),
tab and group-box titles, list/table/tree items and table headers. A table cell may be elided on
purpose when its tooltip holds the full text. Widgets inside a scroll area may lie outside the
screen (the person scrolls to them); the scroll area itself may not.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListView,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QWidget,
)

ROWS_CHECKED = 200  # items per view: enough for any roster or page shown at once
# Fractional scaling (150%) rounds sizes: one pixel of a line's empty descent is not a cut.
HEIGHT_SLACK = 1
FRAME = 40  # room a window manager's title bar takes (a bare X server has none)
ROOM_USED = 0.85  # a window whose list or form scrolls takes at least this much of the screen


@dataclass(frozen=True)
class Problem:
    """One thing a person would see wrong: `what` happened to `text` in `widget` of `window`."""

    window: str
    widget: str
    text: str
    what: str
    needed: int
    given: int

    def __str__(self) -> str:
        sizes = f" (needs {self.needed}, has {self.given})" if self.needed or self.given else ""
        return f"[{self.window}] {self.widget} “{self.text}”: {self.what}{sizes}"


def _name(widget: QWidget) -> str:
    name = type(widget).__name__
    if widget.objectName():
        name += f"#{widget.objectName()}"
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if parent.objectName() or isinstance(parent, QGroupBox):
            label = parent.objectName() or parent.title()  # type: ignore[attr-defined]
            return f"{name} in {type(parent).__name__}({label})"
        parent = parent.parentWidget()
    return name


def _window_name(window: QWidget) -> str:
    title = window.windowTitle() or type(window).__name__
    return f"{type(window).__name__} “{title}” {window.width()}x{window.height()}"


def _plain(text: str) -> str:
    """Button text as shown: '&&' is an ampersand, a single '&' marks the mnemonic."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _text_width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def problems(window: QWidget) -> list[Problem]:
    """Everything cut or out of reach in the shown top-level `window` (and its children)."""
    found: list[Problem] = []
    where = _window_name(window)
    screen = window.screen() or QApplication.primaryScreen()
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    if not room.contains(frame):
        found.append(
            Problem(where, "window", window.windowTitle(), "window outside the screen", frame.width(), 0)
        )
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or widget.window() is not window:
            continue
        for problem in _widget_problems(widget):
            found.append(Problem(where, _name(widget), *problem))
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QHeaderView):
            found += [Problem(where, _name(widget), *p) for p in _room_unused(widget, window, room)]
        if isinstance(widget, (QAbstractButton, QAbstractScrollArea)) and not _in_scroll_area(widget):
            rect = _global_rect(widget)
            if not room.contains(rect):
                text = _plain(widget.text()) if isinstance(widget, QAbstractButton) else ""
                found.append(
                    Problem(where, _name(widget), text, f"outside the screen at {rect.getRect()}", 0, 0)
                )
    return found


def _room_unused(area: QAbstractScrollArea, window: QWidget, room: QRect) -> list[tuple[str, str, int, int]]:
    """A list or form that scrolls while its window could grow to show it all: the window did
    not grow with the text (a roster showing 3 of 6 people on an empty screen)."""
    cut = []
    for bar, window_size, room_size, what in (
        (area.verticalScrollBar(), window.frameGeometry().height(), room.height(), "lower"),
        (area.horizontalScrollBar(), window.frameGeometry().width(), room.width(), "narrower"),
    ):
        if not bar.isVisible() or bar.maximum() <= 0:
            continue
        hidden = bar.maximum()
        vertical = bar is area.verticalScrollBar()
        if isinstance(area, QTableView):  # its scroll bars count rows and columns
            header = area.verticalHeader() if vertical else area.horizontalHeader()
            hidden = header.length() - (area.viewport().height() if vertical else area.viewport().width())
        elif isinstance(area, QAbstractItemView) and vertical:
            if area.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
                hidden *= max(area.sizeHintForRow(0), 1)
        # All of it would fit, or the window leaves much of the screen unused.
        if window_size + hidden <= room_size - FRAME or window_size < ROOM_USED * room_size:
            name = area.accessibleName() or ""
            cut.append(
                (
                    name,
                    f"scrolls though its window could be {what} than the screen",
                    window_size + hidden,
                    window_size,
                )
            )
    return cut


def _widget_problems(widget: QWidget) -> list[tuple[str, str, int, int]]:
    """(text, what, needed, given) for each cut text of one widget."""
    if isinstance(widget, QLabel):
        return _label(widget)
    if isinstance(widget, QAbstractButton):
        return _button(widget)
    if isinstance(widget, QComboBox):
        return _combo(widget)
    if isinstance(widget, QTabBar):
        cut = []
        for i in range(widget.count()):
            need, have = widget.tabSizeHint(i).width(), widget.tabRect(i).width()
            if need > have:
                cut.append((widget.tabText(i), "tab title cut", need, have))
        return cut
    if isinstance(widget, QGroupBox) and widget.title():
        need = QFontMetrics(widget.font()).horizontalAdvance(_plain(widget.title())) + 16
        return [(widget.title(), "group title cut", need, widget.width())] if need > widget.width() else []
    if isinstance(widget, QHeaderView):
        return _header(widget)
    if isinstance(widget, QAbstractItemView):
        return _items(widget)
    return []


def _fits(text: str, need: QSize, have: QSize) -> list[tuple[str, str, int, int]]:
    if not text:
        return []
    if need.width() > have.width():
        return [(text, "text cut (too narrow)", need.width(), have.width())]
    if need.height() > have.height() + HEIGHT_SLACK:
        return [(text, "text cut (too low)", need.height(), have.height())]
    return []


def _label(label: QLabel) -> list[tuple[str, str, int, int]]:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return []
    if label.wordWrap():
        # Wrapped text grows downwards: it is cut when the label is lower than the lines need.
        need = label.heightForWidth(label.width())
        if need > label.height() + HEIGHT_SLACK:
            return [(text, "wrapped text cut (too low)", need, label.height())]
        return []
    return _fits(text, label.sizeHint(), label.size())


def _button(button: QAbstractButton) -> list[tuple[str, str, int, int]]:
    # The size hint is the text, icon, indicator and the stylesheet's padding: what Qt draws in.
    # (Yici always has its stylesheet, so no style minimum of 80 pixels inflates the hint.)
    return _fits(_plain(button.text()), button.sizeHint(), button.size())


def _combo(combo: QComboBox) -> list[tuple[str, str, int, int]]:
    text = combo.currentText()
    if not text:
        return []
    need = QFontMetrics(combo.font()).horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.editable = combo.isEditable()
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    have = field.width() - (4 if combo.isEditable() else 0)  # a line edit's own text margins
    return [(text, "combo text cut", need, have)] if need > have else []


def _view_option(view: QAbstractItemView) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    option.fontMetrics = QFontMetrics(view.font())
    option.decorationSize = view.iconSize() if view.iconSize().isValid() else QSize(16, 16)
    option.showDecorationSelected = True
    option.features = QStyleOptionViewItem.ViewItemFeature.WrapText if _wraps(view) else option.features
    return option


def _text_room(view: QAbstractItemView, base: QStyleOptionViewItem, index, text: str) -> tuple[int, int]:
    """(width the text needs, width of the rect the style draws it in) for one item."""
    option = QStyleOptionViewItem(base)
    option.text = text
    features = QStyleOptionViewItem.ViewItemFeature.HasDisplay
    check = index.data(Qt.ItemDataRole.CheckStateRole)
    if check is not None:
        features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        option.checkState = Qt.CheckState(check) if isinstance(check, int) else check
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:
        features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
    option.features = features
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font if font is not None else view.font())
    style = view.style()
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    left = room.left()
    if check is not None:
        # A stylesheet's bigger tick box pushes the text right, the text rect does not know it.
        tick = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
        left = max(left, tick.right() + 1 + margin)
    return _text_width(metrics, text) + 2 * margin, room.right() + 1 - left


def _wraps(view: QAbstractItemView) -> bool:
    return bool(getattr(view, "wordWrap", lambda: False)()) and not isinstance(view, QListView)


def _items(view: QAbstractItemView) -> list[tuple[str, str, int, int]]:
    model = view.model()
    if model is None:
        return []
    delegate = view.itemDelegate()
    option = _view_option(view)
    cut: list[tuple[str, str, int, int]] = []
    table = isinstance(view, QTableView)
    wraps = _wraps(view)
    shown_rows: dict[tuple, tuple] = {}
    root = view.rootIndex()
    columns = 1 if isinstance(view, QListView) else model.columnCount(root)
    for row in range(min(model.rowCount(root), ROWS_CHECKED)):
        for column in range(columns):
            if table and view.isColumnHidden(column):  # type: ignore[attr-defined]
                continue
            index = model.index(row, column, root)
            text = model.data(index, Qt.ItemDataRole.DisplayRole)
            if text is None or str(text) == "":
                continue
            text = str(text)
            rect = view.visualRect(index)
            if table:
                row_key = (row,)
                full, shown = shown_rows.get(row_key, ((), ()))
                column_delegate = view.itemDelegateForColumn(column)
                if hasattr(column_delegate, "shown_text"):  # a column that cuts its own way
                    seen_text = column_delegate.shown_text(text, option.fontMetrics, rect.width())
                else:
                    seen_text = option.fontMetrics.elidedText(text, view.textElideMode(), rect.width() - 8)
                shown_rows[row_key] = (full + (text,), shown + (seen_text,))
            if table and rect.isEmpty():
                continue  # a row scrolled out of a table: its column width is checked on shown rows
            option.rect = rect  # wrapped text is measured at the width it has
            need = delegate.sizeHint(option, index)
            # The delegate's size hint can miss a stylesheet's bigger tick box, which painting
            # takes from the text: so the text is measured against the rect it is drawn in.
            need_w, have_w = _text_room(view, option, index, text)
            if wraps and need.height() > rect.height() and not rect.isEmpty():
                cut.append((text, "wrapped item text cut (too low)", need.height(), rect.height()))
            elif not wraps and need_w > have_w:
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if table and tip is not None and text.rstrip("…") in str(tip) and len(str(tip)) >= len(text):
                    continue  # elided on purpose, the full text a hover away
                cut.append((text, "item text cut (too narrow)", need_w, have_w))
            elif need.width() > rect.width():
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if table and tip is not None and text.rstrip("…") in str(tip) and len(str(tip)) >= len(text):
                    continue  # elided on purpose, the full text a hover away
                cut.append((text, "item text cut (too narrow)", need.width(), rect.width()))
            elif need.height() > rect.height() and not table:
                cut.append((text, "item text cut (too low)", need.height(), rect.height()))
    looks: dict[tuple, tuple] = {}
    for full, shown in shown_rows.values():
        other = looks.setdefault(shown, full)
        if other != full:
            cut.append((" | ".join(shown), "two different rows look the same", 0, 0))
    return cut


def _header(header: QHeaderView) -> list[tuple[str, str, int, int]]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    cut = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        need = metrics.horizontalAdvance(str(text)) + 2 * margin
        have = header.sectionSize(section)
        if need > have:
            cut.append((str(text), "column title cut", need, have))
    return cut
