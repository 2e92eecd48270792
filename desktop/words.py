"""The core's Chinese titles (target kinds, delivery states) in the UI language.

Delivery states are marked here for Qt's translation tools (forms/ stays Qt-free; the test in
tests/desktop/test_i18n.py checks the two agree). Target kinds are translated by the core's own
catalog, as messages made in forms/ name them too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.i18n import QT_TRANSLATE_NOOP

_CONTEXT = "Words"

# Exactly the values of forms.store.STATE_TITLES.
MARKED = (
    QT_TRANSLATE_NOOP("Words", "待发送"),
    QT_TRANSLATE_NOOP("Words", "发送中"),
    QT_TRANSLATE_NOOP("Words", "已送达"),
    QT_TRANSLATE_NOOP("Words", "失败"),
    QT_TRANSLATE_NOOP("Words", "可能已发送，请确认"),
    QT_TRANSLATE_NOOP("Words", "待上传导入文件"),
    QT_TRANSLATE_NOOP("Words", "待录入"),
    QT_TRANSLATE_NOOP("Words", "已被更正取代"),
    QT_TRANSLATE_NOOP("Words", "已取消"),
)


def kind_title(kind: str) -> str:
    """'钉钉群机器人' (or its translation) for 'dingtalk'; the kind itself if unknown."""
    from forms.i18n import tr
    from sync.kinds import KIND_TITLES

    title = KIND_TITLES.get(kind)
    return tr(title) if title else kind


def state_title(state: str) -> str:
    """'已送达' (or its translation) for 'delivered'; the state itself if unknown."""
    from forms.store import STATE_TITLES

    title = STATE_TITLES.get(state)
    return QCoreApplication.translate(_CONTEXT, title) if title else state
