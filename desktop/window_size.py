"""Where windows open on the screen: inside its available area, sized for the text size and the
screen, grown until their lists and forms show everything (or the screen is full), and back where
the person left them last time (kept per window in ui.json; a place that no longer fits the
screen, after a change of monitor or scaling, is forgotten rather than restored off-screen).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QApplication, QTableView, QWidget

from desktop.appearance import FONT_SIZES, keep_window_place, window_place

# Room left for the window manager's frame and title bar, which Qt cannot know before the
# window is first shown.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40
# Screens smaller than this open the main window maximized: anything less wastes the little room.
SMALL_SCREEN = QSize(1280, 800)


def screen_room(window: QWidget) -> QRect:
    """The available area (without panels and docks) of the screen `window` is on or will be."""
    parent = window.parentWidget()
    screen = (parent.screen() if parent is not None else None) or window.screen()
    screen = screen or QApplication.primaryScreen()
    return screen.availableGeometry()


def font_scale(window: QWidget) -> float:
    """How much bigger the window's text is than 标准 (1.0 at 标准)."""
    return max(1.0, window.font().pointSizeF() / FONT_SIZES["standard"])


def fit_window(window: QWidget, key: str, width: int, height: int, *, grow: bool = True) -> None:
    """Size `window` as `width` x `height` at 标准, grown with the text and the window's own
    needs, within the screen; restore the place saved under `key` instead when it still fits.
    With `grow`, a window not restored grows on first show until nothing inside it scrolls."""
    room = screen_room(window)
    if grow:  # also when restored: a list grown since (more rows) is not left scrolling
        _Keeper.grow_on_show(window)
    if not _restore(window, key, room):
        scale = font_scale(window)
        hint = window.sizeHint()
        size = QSize(max(round(width * scale), hint.width()), max(round(height * scale), hint.height()))
        size = _within(size, room)
        layout = window.layout()
        if layout is not None and layout.hasHeightForWidth():
            # Wrapped text is taller in a narrow window: top-level layouts do not ask by themselves.
            size.setHeight(
                max(size.height(), min(window.heightForWidth(size.width()), room.height() - FRAME_HEIGHT))
            )
        window.resize(size)
    _Keeper.keep(window, key)


def kept_under(window: QWidget, key: str | None = None) -> str:
    """The name `window`'s place is kept under; with `key`, keep it under that from now on (""
    keeps none: a dialog that is for a while something else, such as a run's bar)."""
    keeper = _Keeper.of(window)
    if key is not None:
        keeper.key = key
    return keeper.key


def place_main_window(window: QWidget, key: str = "main") -> None:
    """The main window: where it was last time if that fits; else maximized on a small screen
    (1366x768 and the like) and 1280x760 at 标准 (grown with the text) on a big one."""
    room = screen_room(window)
    if not _restore(window, key, room):
        if room.width() < SMALL_SCREEN.width() or room.height() < SMALL_SCREEN.height():
            # Also right where no window manager maximizes (a bare X server, a kiosk).
            window.setGeometry(room)
            states = type(window.windowState())  # Qt.WindowState, without building all of Qt's enums
            window.setWindowState(states.WindowMaximized)
        else:
            scale = font_scale(window)
            window.resize(_within(QSize(round(1280 * scale), round(760 * scale)), room))
            _move_into(window, room, centre=True)
    _Keeper.keep(window, key)


def _within(size: QSize, room: QRect) -> QSize:
    return QSize(
        min(size.width(), room.width() - FRAME_WIDTH), min(size.height(), room.height() - FRAME_HEIGHT)
    )


def _restore(window: QWidget, key: str, room: QRect) -> bool:
    saved = window_place(key)
    if not saved:
        return False
    before = window.geometry()
    if not window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
        return False
    if window.isMaximized() or window.isFullScreen():
        return True
    if room.contains(window.geometry()) and window.width() >= window.minimumSizeHint().width():
        layout = window.layout()
        if layout is not None and layout.hasHeightForWidth():  # the text grew since: so does it
            height = min(max(window.height(), window.heightForWidth(window.width())), room.height())
            window.resize(window.width(), height)
        return True
    window.setGeometry(before)  # saved on another screen or scaling: not restored off-screen
    return False


def _move_into(window: QWidget, room: QRect, *, centre: bool = False) -> None:
    """Move `window` (not resize) so its frame lies inside `room`, or centre it there."""
    frame = window.frameGeometry()
    if centre:
        frame.moveCenter(room.center())
    x = max(room.left(), min(frame.left(), room.right() - frame.width() + 1))
    y = max(room.top(), min(frame.top(), room.bottom() - frame.height() + 1))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)


def _hidden_pixels(area: QAbstractScrollArea, vertical: bool) -> int:
    """How many pixels of the area's content its scroll bar hides."""
    bar = area.verticalScrollBar() if vertical else area.horizontalScrollBar()
    if not bar.isVisible() or bar.maximum() <= 0:
        return 0
    if isinstance(area, QTableView):  # scroll bars count rows and columns there
        header = area.verticalHeader() if vertical else area.horizontalHeader()
        viewport = area.viewport().height() if vertical else area.viewport().width()
        return max(header.length() - viewport, 0) + 2
    hidden = bar.maximum()
    if isinstance(area, QAbstractItemView) and vertical:
        if area.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
            hidden *= max(area.sizeHintForRow(0), 1)
    return hidden + 2


def grow_to_content(window: QWidget) -> None:
    """Grow a shown window until no list, table or form inside it scrolls, within the screen."""
    room = screen_room(window)
    for _ in range(4):  # each growth may wrap text differently: a few rounds settle it
        extra_w = extra_h = 0
        for area in window.findChildren(QAbstractScrollArea):
            if area.isVisible() and area.window() is window:
                if isinstance(area, QAbstractItemView):
                    area.doItemsLayout()  # its scroll bars are otherwise set a moment later
                extra_w = max(extra_w, _hidden_pixels(area, False))
                extra_h = max(extra_h, _hidden_pixels(area, True))
        frame = window.frameGeometry()
        frame_w, frame_h = frame.width() - window.width(), frame.height() - window.height()
        width = min(window.width() + extra_w, room.width() - frame_w)
        height = min(window.height() + extra_h, room.height() - frame_h)
        layout = window.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = max(height, min(window.heightForWidth(width), room.height() - frame_h))
        if (width, height) == (window.width(), window.height()):
            break
        window.resize(max(width, window.width()), max(height, window.height()))
        if layout is not None:
            layout.activate()
    _move_into(window, room)


class _Keeper(QObject):
    """Grows a window on its first show (if asked) and saves its place when it hides."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.key = ""
        self.grow = False
        self._after_show = QTimer(self)
        self._after_show.setSingleShot(True)
        self._after_show.setInterval(0)
        self._after_show.timeout.connect(self._settle)
        window.installEventFilter(self)

    @classmethod
    def of(cls, window: QWidget) -> _Keeper:
        keeper = window.findChild(_Keeper)
        return keeper if keeper is not None else cls(window)

    @classmethod
    def keep(cls, window: QWidget, key: str) -> None:
        cls.of(window).key = key

    @classmethod
    def grow_on_show(cls, window: QWidget) -> None:
        cls.of(window).grow = True

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show:
            self._after_show.start()  # once the window is laid out at its size
        elif kind in (QEvent.Type.Hide, QEvent.Type.Close) and self.key and isinstance(watched, QWidget):
            keep_window_place(self.key, bytes(watched.saveGeometry().toBase64().data()).decode("ascii"))
        return False

    def _settle(self) -> None:
        # The window is the parent: no Python reference to it here, which would make a cycle
        # the garbage collector breaks at any moment, deleting the window under Qt's feet.
        window = self.parent()
        if not isinstance(window, QWidget):
            return
        if self.grow:
            self.grow = False
            grow_to_content(window)
        else:
            _move_into(window, screen_room(window))
