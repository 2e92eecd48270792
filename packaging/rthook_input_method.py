"""PyInstaller runtime hook: Chinese input in the frozen app on fcitx desktops (UOS, Kylin).

Those desktops set QT_IM_MODULE=fcitx (or fcitx5). fcitx's Qt plugin is built against the
system's Qt and is not in the bundle, and a missing input-method plugin leaves Qt with no input
method at all: no Chinese typing. fcitx5 also speaks the IBus protocol through the
org.freedesktop.portal.IBus service (its "ibus frontend", there for Flatpak apps), and the
bundle carries Qt's ibus plugin, so ask Qt for that, through the portal. An input method the
bundle does carry (ibus, compose) or YICI_KEEP_IM_MODULE=1 is left alone.
"""

import os
import sys

if sys.platform.startswith("linux") and not os.environ.get("YICI_KEEP_IM_MODULE"):
    _module = os.environ.get("QT_IM_MODULE", "")
    if _module.split(";")[0].strip().lower().startswith("fcitx"):
        os.environ["QT_IM_MODULE"] = "ibus"
        os.environ.setdefault("IBUS_USE_PORTAL", "1")
