"""Make the pictures of the 使用指南 (resources/guide/*.png) from the real windows with sample data.

Run it under a real X server with the WenQuanYi Micro Hei font, e.g.
    xvfb-run -a -s "-screen 0 1024x768x24" env QT_QPA_PLATFORM=xcb .venv/bin/python tools/guide_pictures.py
Each picture is scaled down to at most PICTURE_WIDTH pixels and stored as an 8-bit PNG, so the
guide stays small in the installer (tests/packaging checks it is shipped).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.screenshots import (  # noqa: E402 - after the path is set
    MemoryKeyring,
    sample_data,
    sample_deliveries,
    settle,
    setup_app,
    wait_for_sync,
)

OUT = ROOT / "resources" / "guide"
PICTURE_WIDTH = 560


def save(widget_or_pixmap, name: str, width: int = PICTURE_WIDTH) -> Path:
    """Scale to `width` at most and write an indexed-colour PNG."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPixmap

    pixmap = widget_or_pixmap if isinstance(widget_or_pixmap, QPixmap) else widget_or_pixmap.grab()
    image = pixmap.toImage()
    if image.width() > width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    path = OUT / name
    image.save(str(path), "PNG", 9)
    return path


def main() -> int:
    import keyring
    from PySide6.QtCore import QPoint, QRect

    from desktop.editor.roster_widgets import MembersWidget
    from desktop.main_window import MainWindow, editor_class
    from desktop.session import Session
    from sync.kinds import install

    install()  # forms/ learns the target kinds, as the app does at start
    keyring.set_keyring(MemoryKeyring())
    app, _family = setup_app("standard")
    with tempfile.TemporaryDirectory(prefix="yici-guide-") as folder:
        session = Session.open(Path(folder) / "data")
        ids = sample_data(session)
        ids.update(sample_deliveries(session, ids["branch"]))
        window = MainWindow(session)
        window.resize(1000, 620)
        window.show()
        window.branch_list.select_branch(ids["branch"])
        window.branch_list.compute_all_now()
        wait_for_sync(app, window)
        settle(app)
        made = [save(window, "main-window.png")]

        status = window.statusBar()
        made.append(
            save(
                status.grab(QRect(QPoint(status.width() // 2, 0), status.rect().bottomRight())),
                "sync-status.png",
                420,
            )
        )

        window.menuBar().actions()[0].menu().popup(window.mapToGlobal(QPoint(0, 0)))
        settle(app, 20)
        menu = window.menuBar().actions()[0].menu()
        made.append(save(menu, "file-menu.png", 300))
        menu.close()

        editor = editor_class()(session, uuid=ids["draft"])
        editor.resize(900, 700)
        editor.show()
        settle(app, 20)
        made.append(save(editor.grab(QRect(0, 0, editor.width(), editor.height() * 3 // 5)), "editor.png"))
        members = editor.findChildren(MembersWidget)[0]
        group = members.parentWidget().parentWidget() if members.parentWidget() else members
        made.append(save(group, "attendance.png"))
        editor.close()
        window.close()
        window.shutdown()
        session.close()
    for path in made:
        print(path.relative_to(ROOT), path.stat().st_size)
    print("total", sum(p.stat().st_size for p in made))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
