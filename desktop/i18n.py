"""Language of the window: Simplified Chinese is the source language, English comes from a .qm.

Strings are written in Chinese in the code (`self.tr("新建记录")`), so Chinese needs no
translation file; English loads `resources/i18n/yici_en.qm` with a QTranslator. Qt's own
strings (standard buttons, context menus) come from Qt's bundled `qtbase_*.qm`, completed by
`resources/i18n/qtbase_extra_*.qm` where Qt's own catalog lacks Qt 6's strings. Tables of
strings marked for later translation import `QT_TRANSLATE_NOOP` from here (typed as the str it
returns). The messages made in forms/ and sync/ follow the same language through
forms.i18n.set_language (gettext: the core stays Qt-free).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

if TYPE_CHECKING:
    # Marks `message` for lupdate under `context` and returns it unchanged. PySide6's stub says it
    # returns `object`; declared here as what it is, so tables of marked strings are typed str.
    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # re-exported for desktop/

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"

# Setting value -> name shown in the settings dialog (each in its own language, so a person
# who cannot read the current one still finds theirs).
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

# Keep the installed translators alive: Qt does not own them.
_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, language: str | None) -> bool:
    """Install translators for `language` ('zh_CN' or 'en'); True if Yici's own strings load.

    Chinese always succeeds (it is the source language). Call before building widgets:
    widgets translate their strings when they are created.
    """
    remove_language(app)
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    _core_language(language)
    QLocale.setDefault(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if language == "zh_CN"
        else QLocale(QLocale.Language.English)
    )
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    # Qt 6 strings Qt's own Chinese catalog lacks (the file dialog's "&Look in:", "Folder").
    qt_extra = QTranslator(app)
    if qt_extra.load(f"qtbase_extra_{language}", str(I18N_DIR)):
        app.installTranslator(qt_extra)
        _installed.append(qt_extra)
    if language == "zh_CN":
        return True
    ours = QTranslator(app)
    if not ours.load(f"yici_{language}", str(I18N_DIR)):
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    return True


def remove_language(app: QCoreApplication) -> None:
    """Back to the source language (Chinese) for Yici's strings and the core's messages."""
    _core_language(DEFAULT_LANGUAGE)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    while _installed:
        app.removeTranslator(_installed.pop())


def _core_language(language: str) -> None:
    """The same language for the messages of forms/ and sync/. They start in Chinese, so forms/
    is left unloaded until it must change: nothing of it before the window's first paint."""
    if language == DEFAULT_LANGUAGE and "forms.i18n" not in sys.modules:
        return
    from forms import i18n as core

    core.set_language(language)
