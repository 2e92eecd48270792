"""How much one YAML file may hold, and the walk over its nodes that holds it to that.

A YAML file people wrote is small; a hostile or broken one may be huge, nested thousands deep, or
hold aliases that multiply into millions of nodes ("billion laughs") or refer to themselves.
`measure` finds that on the composed nodes, following aliases without ever expanding them, and
raises TooMuch naming the node to blame; forms/yaml_lines.py turns it into a Problem with the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from forms.i18n import tr


@dataclass(frozen=True)
class Limits:
    """How much one YAML file may hold. Real files stay far below; beyond it a file is refused
    in milliseconds instead of taking seconds and gigabytes to walk."""

    max_chars: int = 2_000_000
    max_nodes: int = 200_000  # counted as if every alias were written out in full
    max_depth: int = 64  # lists and mappings inside each other, aliases followed


DEFAULT_LIMITS = Limits()  # what compose and read_text hold a file to unless told otherwise


class TooMuch(Exception):
    """Nodes beyond the limits: `blame` is the node whose line to name, `zh` and `en` say why."""

    def __init__(self, blame: Node, zh: str, en: str):
        super().__init__(en)
        self.blame = blame
        self.zh = zh
        self.en = en


def _children(node: Node) -> Iterator[tuple[Node, Node]]:
    """(node whose line to blame, child). An alias has no node of its own, so trouble found
    through one is blamed on the mapping key it is the value of, or on the list holding it."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key, key
            yield key, value
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield node, item


def measure(root: Node, limits: Limits) -> None:
    """Raise TooMuch for nodes that would be too many, too deep or endless once aliases are followed.

    Composing never copies an alias (it shares the anchored node), so the text is cheap to
    compose; it is walking the nodes that would multiply. Each node's size and height are worked
    out once and reused wherever an alias repeats it, so this takes time in proportion to the
    text however many times aliases multiply it.
    """
    size: dict[int, int] = {}  # id(node) -> nodes below it and itself, aliases expanded
    height: dict[int, int] = {}  # id(node) -> levels of lists and mappings, itself included
    on_path: set[int] = set()
    aliased = False

    def refuse(blame: Node, zh: str, en: str) -> None:
        raise TooMuch(blame, zh, en)

    def too_many(blame: Node) -> None:
        if aliased:
            refuse(
                blame,
                tr("别名（*名称）展开后内容太多（超过 {max_nodes:,} 项），请不要层层引用别名").format(
                    max_nodes=limits.max_nodes
                ),
                f"aliases expand to too many nodes (over {limits.max_nodes:,})",
            )
        refuse(
            blame,
            tr("内容太多（超过 {max_nodes:,} 项）").format(max_nodes=limits.max_nodes),
            f"too many nodes (over {limits.max_nodes:,})",
        )

    def too_deep(blame: Node) -> None:
        refuse(
            blame,
            tr("嵌套太深（超过 {max_depth} 层）").format(max_depth=limits.max_depth),
            f"nested too deeply (over {limits.max_depth} levels)",
        )

    if not isinstance(root, (MappingNode, SequenceNode)):
        return
    # Frames are [node, its children, count so far, tallest child so far]; a loop, not recursion,
    # so no nesting can exhaust Python's stack.
    stack: list[list[Any]] = [[root, _children(root), 1, 0]]
    on_path.add(id(root))
    total = 1
    while stack:
        frame = stack[-1]
        for blame, child in frame[1]:
            if not isinstance(child, (MappingNode, SequenceNode)):
                frame[2] += 1
                total += 1
                if total > limits.max_nodes:
                    too_many(blame)
                continue
            cid = id(child)
            if cid in on_path:
                refuse(
                    blame,
                    tr("别名（*名称）引用了包含它自己的内容，会无限展开"),
                    "an alias refers to a node that contains it",
                )
            if cid in size:
                # Met before: only an alias can bring the same node back.
                aliased = True
                frame[2] += size[cid]
                frame[3] = max(frame[3], height[cid])
                total += size[cid]
                if total > limits.max_nodes:
                    too_many(blame)
                if len(stack) + height[cid] > limits.max_depth:
                    too_deep(blame)
                continue
            if len(stack) >= limits.max_depth:
                too_deep(child)
            total += 1
            if total > limits.max_nodes:
                too_many(child)
            on_path.add(cid)
            stack.append([child, _children(child), 1, 0])
            break
        else:
            node, _, count, tallest = stack.pop()
            on_path.discard(id(node))
            size[id(node)] = count
            height[id(node)] = tallest + 1
            if stack:
                stack[-1][2] += count
                stack[-1][3] = max(stack[-1][3], tallest + 1)
