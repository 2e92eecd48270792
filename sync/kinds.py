"""The target kinds Yici can deliver to, by name, and the installer that tells forms/ about them.

Each kind's module is imported on first use, so a headless command stays quick to start;
`install()` hands forms/target_kinds.py the names, titles and loaders without importing any.
"""

from __future__ import annotations

import functools
import importlib

from forms import target_kinds
from forms.i18n import tr_noop

# name -> module holding a module-level `KIND` object (see sync/kind.py)
KIND_MODULES = {
    "rest": "sync.rest",
    "dingtalk": "sync.dingtalk",
    "wecom": "sync.wecom",
    "feishu": "sync.feishu",
    "xlsx": "sync.xlsx",
    "copy": "sync.copy",
    "browser": "sync.browser.kind",
    "hub": "sync.hub",
}

KIND_TITLES = {
    "rest": tr_noop("平台接口 (REST)"),
    "dingtalk": tr_noop("钉钉群机器人"),
    "wecom": tr_noop("企业微信群机器人"),
    "feishu": tr_noop("飞书群机器人"),
    "xlsx": tr_noop("Excel 导入文件"),
    "copy": tr_noop("手工录入（逐项复制）"),
    "browser": tr_noop("网页表单（浏览器自动填写）"),
    "hub": tr_noop("乡镇平台"),
}


# Kinds a data folder gets by joining, never by filling in a form: the township hub's device
# token comes from `yici hub join` (sync/hub_join.py), nobody types it.
JOINED_KINDS = frozenset({"hub"})


class _Kinds(dict):
    """Loads each kind's module on first use, so a headless command stays quick to start."""

    def __missing__(self, name):
        if name not in KIND_MODULES:
            raise KeyError(name)
        kind = importlib.import_module(KIND_MODULES[name]).KIND
        self[name] = kind
        return kind

    def items(self):
        """(name, kind) of every kind, loading them all (listing pages, tests)."""
        return [(n, self[n]) for n in KIND_MODULES]


KINDS = _Kinds()


def kind_for(name: str):
    """The kind object for `name`, or None when Yici has no such kind."""
    try:
        return KINDS[name]
    except KeyError:
        return None


def _secret_is_set(store, target, name: str) -> bool:
    # Imported here, for start-up speed: the keyring package is loaded only when asked.
    from sync import secrets

    return secrets.secret_is_set(store, target, name)


def install() -> None:
    """Tell forms/ which target kinds exist and how to ask the keyring about their secrets.
    Called once at start by the desktop app and the command line; cheap (loads no kind)."""
    target_kinds.install(
        [
            target_kinds.KindEntry(name, KIND_TITLES[name], functools.partial(KINDS.__getitem__, name))
            for name in KIND_MODULES
        ],
        secret_is_set=_secret_is_set,
    )
