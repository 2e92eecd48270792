"""Keep PySide6 from reading the source of every module imported after it (applied on import).

PySide6 watches imports for its `__feature__` switches (snake_case, true_property): each module
imported after PySide6 is asked whether it uses PySide by reading its whole source file
(`inspect.getsource`) and searching it for "PySide6". At start that is some 250 modules, about
35 ms of the time before the records are on screen. Yici never selects a feature, so the answer
only has to be right in kind: here it comes from the module's names (anything it holds that
comes from PySide6 or shiboken6), without reading files. Import this module right after
PySide6 and before Yici's own modules; with a PySide6 that works differently nothing changes.
"""

from __future__ import annotations

import sys
from types import ModuleType

_QT_PACKAGES = ("PySide6", "shiboken6")


def uses_pyside(module: ModuleType) -> bool:
    """Does `module` hold anything from PySide6 (a module, class or function)?"""
    for value in list(vars(module).values()):
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(name, str) and name.startswith(_QT_PACKAGES):
            return True
    return False


def apply() -> bool:
    """Answer PySide6's question from names; True if PySide6 asks it the way this expects."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


apply()
