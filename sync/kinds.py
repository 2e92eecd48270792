"""The target kinds Yici can deliver to, by name."""
from __future__ import annotations

import importlib

# name -> module holding a module-level `KIND` object (see sync/kind.py)
KIND_MODULES = {
    "rest": "sync.rest",
    "dingtalk": "sync.dingtalk",
    "wecom": "sync.wecom",
    "feishu": "sync.feishu",
    "xlsx": "sync.xlsx",
}

KIND_TITLES = {
    "rest": "平台接口 (REST)",
    "dingtalk": "钉钉群机器人",
    "wecom": "企业微信群机器人",
    "feishu": "飞书群机器人",
    "xlsx": "Excel 导入文件",
}


class _Kinds(dict):
    """Loads each kind's module on first use, so a headless command stays quick to start."""

    def __missing__(self, name):
        if name not in KIND_MODULES:
            raise KeyError(name)
        kind = importlib.import_module(KIND_MODULES[name]).KIND
        self[name] = kind
        return kind

    def items(self):
        return [(n, self[n]) for n in KIND_MODULES]


KINDS = _Kinds()


def kind_for(name: str):
    """The kind object for `name`, or None when Yici has no such kind."""
    try:
        return KINDS[name]
    except KeyError:
        return None
