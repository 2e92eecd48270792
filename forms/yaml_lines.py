"""Read YAML that people wrote as nodes that remember their lines, so every problem names FILE:LINE.

The one reader for the YAML files Yici takes in (form definitions, deployment profiles).
`compose` turns text into nodes, refusing with one Problem (Chinese and English, with the line)
a syntax error and anything hostile: a file too large, nesting too deep, or aliases that would
multiply into millions of nodes ("billion laughs") or refer to themselves (those limits and the
walk that checks them: forms/yaml_limits.py). `NodeReader` walks the nodes with small helpers
that collect problems rather than raise, so a file is reported whole, every problem at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forms.i18n import bilingual, tr
from forms.yaml_limits import DEFAULT_LIMITS, Limits, TooMuch, measure

# libyaml's SafeLoader composes ten times faster than the pure-Python one; same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL_TAG = "tag:yaml.org,2002:null"

# What a helper is reading, named in a message: one word for both languages (an option name as
# written in the file, e.g. "title") or a (Chinese, English) pair, e.g. ("检查规则", "check").
What = str | tuple[str, str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, at a line (1-based; 0 when no line applies)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class YamlRefused(Exception):
    """Text that cannot be read as YAML at all; `problem` says where and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def line(node: Node | None) -> int:
    """The 1-based line a node starts on; 0 for no node."""
    mark = getattr(node, "start_mark", None)
    return (mark.line + 1) if mark is not None else 0


def is_null(node: Node | None) -> bool:
    """True for an empty value (`key:` with nothing after it, `~`, `null`)."""
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def short(exc: BaseException | str) -> str:
    """An error's text on one line, cut to a length a message can carry."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


# ------------------------------------------------------------------------------------ compose


def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """A YAML file's text (UTF-8, with or without BOM); YamlRefused when it cannot be read, is
    not UTF-8 or is beyond `limits` (then only that much is read, however large the file)."""
    name = str(path)
    most = limits.max_chars * 4  # UTF-8 spends at most 4 bytes on a character
    try:
        with open(path, "rb") as f:
            raw = f.read(most + 1)
    except OSError as exc:
        raise YamlRefused(
            Problem(
                name,
                0,
                _both(
                    tr("无法读取文件：{strerror}，请检查路径").format(strerror=exc.strerror or exc),
                    "cannot read file",
                ),
            )
        ) from None
    if len(raw) > most:
        raise YamlRefused(
            Problem(
                name,
                0,
                _both(
                    tr("文件太大（超过 {max_chars:,} 个字符）；请检查是否选错了文件").format(
                        max_chars=limits.max_chars
                    ),
                    f"file too large (over {limits.max_chars:,} characters)",
                ),
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlRefused(
            Problem(
                name,
                raw.count(b"\n", 0, exc.start) + 1,
                _both(tr("文件不是 UTF-8 编码，请用记事本等另存为 UTF-8"), "file is not UTF-8"),
            )
        ) from None


_INVISIBLE_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}
_LONE_CR = re.compile(r"\r(?!\n)")


def compose(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> Node | None:
    """The root node of `text`, or None when the text holds no document.

    Raises YamlRefused naming the file and line for a syntax error, a character YAML does not
    accept, or text beyond `limits`.
    """
    if len(text) > limits.max_chars:
        raise YamlRefused(
            Problem(
                file,
                text.count("\n", 0, limits.max_chars) + 1,
                _both(
                    tr(
                        "文件太大（超过 {max_chars:,} 个字符），从这一行起超出了上限；请检查是否选错了文件"
                    ).format(max_chars=limits.max_chars),
                    f"file too large (over {limits.max_chars:,} characters)",
                ),
            )
        )
    # YAML also breaks lines at NEL, LS, PS and a lone CR, which editors do not show as new lines:
    # read them as spaces so every line we name is the line the person sees.
    text = _LONE_CR.sub(" ", text.translate(_INVISIBLE_BREAKS))
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = short(f"{exc.context or ''} {exc.problem or ''}")
        raise YamlRefused(
            Problem(
                file,
                mark.line + 1 if mark is not None else 1,
                _both(
                    tr("YAML 格式有误，请检查这一行附近的缩进、冒号、引号和括号（{what}）").format(what=what),
                    f"YAML syntax error: {what}",
                ),
            )
        ) from None
    except yaml.reader.ReaderError as exc:
        at = text.count("\n", 0, max(getattr(exc, "position", 0) or 0, 0)) + 1
        raise YamlRefused(
            Problem(file, at, _both(tr("文件中有不能使用的字符"), f"unacceptable character: {short(exc)}"))
        ) from None
    except Exception as exc:  # noqa: BLE001 - e.g. RecursionError from the pure-Python composer
        raise YamlRefused(
            Problem(file, 1, _both(tr("无法读取 YAML"), f"cannot read YAML: {short(exc)}"))
        ) from None
    if root is not None:
        try:
            measure(root, limits)
        except TooMuch as exc:
            raise YamlRefused(Problem(file, line(exc.blame), _both(exc.zh, exc.en))) from None
    return root


def _both(zh: str, en: str) -> str:
    return bilingual(zh, en)


# ------------------------------------------------------------------------------------- reader


class _Bad:
    def __repr__(self) -> str:
        return "<bad>"


# What `NodeReader.value` returns when YAML cannot build a value (the problem is already noted).
BAD: Any = _Bad()


def _names(what: What) -> tuple[str, str]:
    return (what, what) if isinstance(what, str) else what


def _cat(word: str, rest: str) -> str:
    # Chinese typesetting: a space after a Latin word ("title 不能为空"), none after Chinese.
    return f"{word} {rest}" if word[-1:].isascii() and rest[:1] not in "，。：；" else word + rest


class NodeReader:
    """Walks the composed nodes of one file, collecting Problems with their lines.

    Helpers report what is wrong and return None (or BAD from `value`), so the caller keeps
    going and the person sees every problem at once. Override `say` to phrase messages.
    """

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def say(self, zh: str, en: str | None = None, about: str | None = None) -> str:
        """A message as people read it: Chinese, then English when given; `about` names what
        it concerns (e.g. a field's key)."""
        if about is not None:
            zh, en = (
                tr("“{about}”：{text}").format(about=about, text=zh),
                (f'"{about}": {en}' if en else None),
            )
        return bilingual(zh, en) if en else zh

    def problem(
        self, where: Node | int | None, zh: str, en: str | None = None, about: str | None = None
    ) -> None:
        """Note a problem at a node's line (or at a line number; 0 when no line applies)."""
        at = where if isinstance(where, int) else line(where)
        self.problems.append(Problem(self.file, at, self.say(zh, en, about)))

    def mapping(
        self, node: Node, allowed: tuple[str, ...], what: What, about: str | None = None
    ) -> dict[str, tuple[Node, Node]] | None:
        """key -> (key node, value node) of a mapping; None when `node` is not one. Keys that
        are not text, appear twice or are not in `allowed` are reported and left out."""
        zh, en = _names(what)
        if not isinstance(node, MappingNode):
            self.problem(node, tr("{zh}应为“键: 值”的映射").format(zh=zh), f"{en} must be a mapping", about)
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == NULL_TAG:
                self.problem(
                    key_node,
                    tr("{zh}中有无法识别的键").format(zh=zh),
                    f"{en} has a key that is not text",
                    about,
                )
                continue
            name = key_node.value
            if name in out:
                self.problem(
                    key_node, tr("“{name}”重复出现").format(name=name), f'"{name}" appears twice', about
                )
            elif name not in allowed:
                self.problem(
                    key_node,
                    tr('未知的{zh}选项 "{name}"（可用：{allowed}）').format(
                        zh=zh, name=name, allowed=", ".join(allowed)
                    ),
                    f'unknown {en} option "{name}"',
                    about,
                )
            else:
                out[name] = (key_node, value_node)
        return out

    def sequence(
        self,
        node: Node,
        what: What,
        about: str | None = None,
        *,
        null_ok: bool = False,
        non_empty: bool = False,
    ) -> list[Node] | None:
        """The items of a list; None (reported) when `node` is not one. `null_ok` takes an empty
        value as no items; `non_empty` wants at least one."""
        if null_ok and is_null(node):
            return []
        zh, en = _names(what)
        if not isinstance(node, SequenceNode) or (non_empty and not node.value):
            if non_empty:
                self.problem(
                    node,
                    _cat(zh, tr("应为至少一项的列表（每项以 - 开头）")),
                    f"{en} must be a non-empty list",
                    about,
                )
            else:
                self.problem(node, _cat(zh, tr("应为列表（每项以 - 开头）")), f"{en} must be a list", about)
            return None
        return list(node.value)

    def text(self, node: Node, what: What, about: str | None = None, *, optional: bool = False) -> str | None:
        """A scalar as the text written in the file (so `label: 2026` or `yes` stay text).
        Empty is reported unless `optional`; either way it reads as None."""
        zh, en = _names(what)
        if isinstance(node, ScalarNode):
            if node.tag != NULL_TAG and node.value.strip():
                return node.value
            if not optional:
                self.problem(node, _cat(zh, tr("不能为空")), f"{en} must not be empty", about)
            return None
        self.problem(node, _cat(zh, tr("应为一段文字")), f"{en} must be text", about)
        return None

    def texts(self, node: Node, what: What, about: str | None = None) -> list[str]:
        """A list of texts (an empty value reads as none); bad items are reported and left out."""
        zh, en = _names(what)
        out = []
        for item in self.sequence(node, what, about, null_ok=True) or ():
            text = self.text(item, (tr("{zh}中的一项").format(zh=zh), f"an item of {en}"), about)
            if text is not None:
                out.append(text)
        return out

    def value(self, node: Node, what: What, about: str | None = None) -> Any:
        """The Python value YAML builds from a node, or BAD (reported) when it cannot."""
        try:
            return SafeConstructor().construct_document(node)
        except Exception as exc:  # noqa: BLE001 - unknown tags, bad timestamps, odd keys
            zh, en = _names(what)
            self.problem(
                node,
                _cat(zh, tr("的值无法识别（{exc}）").format(exc=short(exc))),
                f"{en} value cannot be read",
                about,
            )
            return BAD

    def boolean(self, node: Node, what: What, about: str | None = None) -> bool | None:
        """true or false; None (reported) for anything else."""
        v = self.value(node, what, about)
        if isinstance(v, bool):
            return v
        if v is not BAD:
            zh, en = _names(what)
            self.problem(node, _cat(zh, tr("应为 true 或 false")), f"{en} must be true or false", about)
        return None

    def integer(
        self,
        node: Node,
        what: What,
        about: str | None = None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        hint: str = "",
    ) -> int | None:
        """A whole number within the bounds given; None (reported) for anything else. `hint`
        ends the Chinese message, e.g. "例如 1"."""
        v = self.value(node, what, about)
        if (
            isinstance(v, int)
            and not isinstance(v, bool)
            and (minimum is None or v >= minimum)
            and (maximum is None or v <= maximum)
        ):
            return v
        if v is not BAD:
            zh, en = _names(what)
            if minimum is not None and maximum is not None:
                need_zh = tr(" {minimum} 到 {maximum} 之间的整数").format(minimum=minimum, maximum=maximum)
                need_en = f"a whole number from {minimum} to {maximum}"
            elif minimum == 1:
                need_zh, need_en = tr("正整数"), "a positive integer"
            elif minimum == 0:
                need_zh, need_en = tr("非负整数"), "a whole number, 0 or more"
            elif minimum is not None:
                need_zh, need_en = (
                    tr("不小于 {minimum} 的整数").format(minimum=minimum),
                    f"a whole number of at least {minimum}",
                )
            elif maximum is not None:
                need_zh, need_en = (
                    tr("不大于 {maximum} 的整数").format(maximum=maximum),
                    f"a whole number of at most {maximum}",
                )
            else:
                need_zh, need_en = tr("整数"), "a whole number"
            self.problem(
                node,
                _cat(zh, tr("应为{need_zh}").format(need_zh=need_zh)) + (f"，{hint}" if hint else ""),
                f"{en} must be {need_en}",
                about,
            )
        return None
