"""Opening the record editor (DESIGN §10), beside a bare QDialog holding the same widgets.

Not part of the default test run. Run as a script (exit code 1 when a target is missed):
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_editor.py
or through pytest: .venv/bin/pytest tests/benchmarks/bench_editor.py -s

Figures (warm: the editor's modules are imported and one editor was opened and closed before):
- opening the editor for a new 三会一课 record from the main window (`new_record`), shown and
  painted: median ≤ 150 ms;
- the same, beside a bare QDialog built in the same run from the same widget tree (the same Qt
  classes, texts, visibility and nesting, with plain box layouts), shown and painted: ≤ 1.5×.
Runs are interleaved (Yici, bare, Yici, bare, ...) so a busy moment on the machine hits both.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 15
FORM = "sanhui-yike"
TARGET_MS = 150
TARGET_RATIO = 1.5


def _qt_base(widget) -> type:
    """The PySide6 class a widget is (or derives from): what a bare dialog would use."""
    for cls in type(widget).__mro__:
        if cls.__module__.startswith("PySide6."):
            return cls
    raise TypeError(type(widget))


def widget_tree(widget) -> list:
    """[(Qt class, text, visible, children)] of the widgets a programmer made under `widget`;
    Qt's own parts (scroll bars, viewports, a combo box's list, a spin box's line edit) are
    left to the Qt classes that make them."""
    from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QScrollArea

    tree = []
    children = [c for c in widget.children() if c.isWidgetType() and not c.objectName().startswith("qt_")]
    if isinstance(widget, QScrollArea) and widget.widget() is not None:
        children = [widget.widget()]
    for child in children:
        if child.isWindow():
            continue
        cls = _qt_base(child)
        text = child.text() if hasattr(child, "text") and callable(child.text) else None
        title = child.title() if hasattr(child, "title") and callable(child.title) else None
        leaf = isinstance(child, (QComboBox, QAbstractSpinBox)) or (
            isinstance(child, QAbstractScrollArea) and not isinstance(child, QScrollArea)
        )
        kids = [] if leaf else widget_tree(child)
        tree.append((cls, text if isinstance(text, str) else title, child.isVisibleTo(widget), kids))
    return tree


def build_bare(tree, parent) -> None:
    """Make `tree` (from widget_tree) under `parent`, each container with a plain box layout."""
    from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

    layout = QVBoxLayout(parent) if not isinstance(parent, QScrollArea) else None
    for cls, text, visible, kids in tree:
        widget = cls()
        if text and hasattr(widget, "setText"):
            widget.setText(text)
        elif text and hasattr(widget, "setTitle"):
            widget.setTitle(text)
        if isinstance(widget, QScrollArea):
            widget.setWidgetResizable(True)
            inner = QWidget()
            build_bare(kids[0][3] if kids else [], inner)
            widget.setWidget(inner)
        elif kids:
            build_bare(kids, widget)
        if layout is not None:
            layout.addWidget(widget)
        if not visible:
            widget.hide()


def run() -> dict:
    from PySide6.QtWidgets import QApplication, QDialog

    import desktop.app as yici_app
    from desktop.main_window import MainWindow
    from desktop.session import Session
    from sync.kinds import install

    install()
    app = yici_app.application()
    with tempfile.TemporaryDirectory(prefix="yici-bench-") as folder:
        session = Session.open(Path(folder))
        session.operator = "张晓梅"
        branch = session.store.add_branch("红星村党支部")
        for name, role in (("王建国", "书记"), ("欧阳晓明", "委员"), ("阿卜杜热合曼·艾买提江", "党员")):
            session.store.add_member(branch.id, name, role=role)
        yici_app.prepare(app, session)
        window = MainWindow(session)
        window.show()
        QApplication.processEvents()
        size = window.size()

        def open_yici():
            editor = window.new_record(FORM)
            editor.repaint()  # shown and painted
            return editor

        def open_bare():
            dialog = QDialog()
            build_bare(tree, dialog)
            dialog.resize(size)
            dialog.show()
            dialog.repaint()
            return dialog

        def timed(opener) -> float:
            start = time.perf_counter()
            shown = opener()
            QApplication.processEvents()
            elapsed = time.perf_counter() - start
            shown.close()
            shown.deleteLater()
            QApplication.processEvents()
            return elapsed

        first = open_yici()  # cold: imports the editor; its widget tree is the bare one's recipe
        size = first.size()
        tree = widget_tree(first)
        first.close()
        QApplication.processEvents()
        timed(open_bare)
        yici, bare = [], []
        for _ in range(RUNS):
            yici.append(timed(open_yici))
            bare.append(timed(open_bare))
        widgets = count(tree)
        window.close()
        session.close()
    return {"yici": yici, "bare": bare, "widgets": widgets}


def count(tree) -> int:
    return sum(1 + count(kids) for _cls, _text, _visible, kids in tree)


def report(figures: dict) -> list[str]:
    """Print the figures; the targets missed (empty when all are met)."""
    yici, bare = figures["yici"], figures["bare"]
    med_y, med_b = statistics.median(yici), statistics.median(bare)
    spread = lambda xs: f"{min(xs) * 1000:.1f}–{max(xs) * 1000:.1f}"  # noqa: E731
    ratio = med_y / med_b
    print(f"opening the editor for a new {FORM} record (warm, median of {len(yici)}, ms; range)")
    print(f"  Yici editor                  {med_y * 1000:7.1f}  ({spread(yici)})  target ≤ {TARGET_MS} ms")
    print(f"  bare QDialog, same {figures['widgets']} widgets {med_b * 1000:7.1f}  ({spread(bare)})")
    print(f"  ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×)")
    missed = []
    if med_y * 1000 > TARGET_MS:
        missed.append(f"editor open {med_y * 1000:.0f} ms > {TARGET_MS} ms")
    if ratio > TARGET_RATIO:
        missed.append(f"editor open {ratio:.2f}× bare dialog > {TARGET_RATIO}×")
    return missed


def test_bench_editor():
    """pytest entry (benchmarks are not in the default run: tests/benchmarks is ignored)."""
    assert report(run()) == []


if __name__ == "__main__":
    missed = report(run())
    for line in missed:
        print("MISSED:", line)
    sys.exit(1 if missed else 0)
