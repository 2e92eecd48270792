"""What one sandboxed evaluation may cost, and the account that keeps it to that.

An expression or a template is given `Bounds`: the largest value it may build (about
`max_size` characters when written out), what it may build in all (`budget`: values, loop
steps and output together), the largest integer (`max_digits`) and the time (`seconds`). The
account of the evaluation running on this thread (`current`) is what the sandbox's hooks
(forms/sandbox.py) charge; `weigh` says how large a value would be written out, counting a part
shared by several places once per place, so that a list of itself doubled twenty times weighs
what printing it would cost, not the little memory it takes.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jinja2.runtime import Undefined
from jinja2.utils import Namespace

from forms.i18n import tr


class LimitExceeded(Exception):
    """An evaluation went past its bounds. `zh` says which bound in Chinese, `en` in English;
    `message` is both, for the form's or the template's author."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        self.message = tr("{zh}，请简化表达式或模板 / {en}").format(zh=zh, en=en)
        super().__init__(self.message)


@dataclass(frozen=True)
class Bounds:
    """How much one evaluation may build and how long it may run."""

    max_size: int = 500_000  # one value, written out: about half a million characters
    budget: int = 2_000_000  # everything built in one evaluation: values, loop steps, output
    max_digits: int = 4_300  # Python's own limit for printing an integer
    seconds: float = 1.0


DEFAULT = Bounds()
_REMEMBER_FROM = 256  # values at least this large are charged once, however often handed out
_LOG2_10 = math.log2(10)

TOO_LARGE = ("结果太大（超过 {size:,} 个字符）", "result too large")
TOO_MUCH = ("计算量太大（合计超过 {size:,} 个字符或步骤）", "evaluation builds too much")
TOO_SLOW = ("计算太久（超过 {seconds:g} 秒）", "evaluation took too long")
TOO_LONG_NUMBER = ("数字太大（超过 {digits:,} 位）", "number too large")


def _exceeded(words: tuple[str, str], **numbers: Any) -> LimitExceeded:
    return LimitExceeded(words[0].format(**numbers), words[1])


class Account:
    """One evaluation's spending: what it has built so far and when it must stop."""

    __slots__ = ("bounds", "charged", "deadline", "spent", "weights")

    def __init__(self, bounds: Bounds = DEFAULT):
        self.bounds = bounds
        self.deadline = time.monotonic() + bounds.seconds
        self.spent = 0
        # id -> (value, weight) of containers already weighed; the value is kept so its id
        # cannot be reused by another object while the evaluation runs.
        self.weights: dict[int, tuple[Any, int]] = {}
        # Large values already charged (a record's long text handed out again is not new).
        self.charged: dict[int, Any] = {}

    def tick(self) -> None:
        """Stop the evaluation once its time is up."""
        if time.monotonic() > self.deadline:
            raise _exceeded(TOO_SLOW, seconds=self.bounds.seconds)

    def spend(self, units: int) -> None:
        """Charge `units` (characters built, items made, loop steps) and check the time."""
        self.spent += units
        if self.spent > self.bounds.budget:
            raise _exceeded(TOO_MUCH, size=self.bounds.budget)
        self.tick()

    def refuse_size(self, size: int | float) -> None:
        """Refuse before building a value that would be `size` characters written out."""
        if size > self.bounds.max_size:
            raise _exceeded(TOO_LARGE, size=self.bounds.max_size)

    def refuse_bits(self, bits: int | float) -> None:
        """Refuse before building an integer of `bits` bits."""
        if bits > self.bounds.max_digits * _LOG2_10:
            raise _exceeded(TOO_LONG_NUMBER, digits=self.bounds.max_digits)

    def built(self, value: Any) -> Any:
        """`value` was just made by the evaluation: check its size, charge it, hand it back."""
        if isinstance(value, int) and not isinstance(value, bool):
            self.refuse_bits(value.bit_length())
        self.refuse_size(self.weigh(value))
        units = _fresh(value)
        if units > _REMEMBER_FROM:
            if id(value) in self.charged:
                units = 1
            else:
                self.charged[id(value)] = value
        self.spend(units)
        return value

    def weigh(self, value: Any) -> int:
        """About how many characters `value` takes written out (shared parts counted each time)."""
        if not _is_container(value):
            return _scalar_weight(value)
        known = self.weights.get(id(value))
        if known is not None:
            return known[1]
        return self._weigh_container(value)

    def _weigh_container(self, root: Any) -> int:
        # Depth first without recursion; each container is weighed once (memo by id), so a
        # structure that shares its parts costs only as much as its distinct parts.
        cap = self.bounds.max_size + 1
        local: dict[int, int] = {}  # namespaces change as a template runs: never remembered
        opened: set[int] = set()
        stack = [root]
        while stack:
            obj = stack[-1]
            key = id(obj)
            if key in local or key in self.weights:
                stack.pop()
                continue
            children = _children(obj)
            if key not in opened:
                opened.add(key)
                stack.extend(
                    c
                    for c in children
                    if _is_container(c) and id(c) not in opened and id(c) not in self.weights
                )
                continue
            total = 2 + len(children)  # brackets and separators
            for child in children:
                if not _is_container(child):
                    total += _scalar_weight(child)
                elif id(child) in self.weights:
                    total += self.weights[id(child)][1]
                else:
                    total += local.get(id(child), 1)  # a cycle back to an open container
                if total > cap:
                    total = cap  # saturated: big enough to refuse, small enough to add up
                    break
            stack.pop()
            opened.discard(key)
            if isinstance(obj, Namespace):
                local[key] = total
            else:
                self.weights[key] = (obj, total)
        known = self.weights.get(id(root))
        return known[1] if known is not None else local.get(id(root), 1)


def _is_container(value: Any) -> bool:
    return isinstance(value, (list, tuple, dict, set, frozenset, Namespace)) or type(value).__name__ in (
        "dict_keys",
        "dict_values",
        "dict_items",
    )


def _children(value: Any) -> list:
    if isinstance(value, Namespace):
        attrs = object.__getattribute__(value, "_Namespace__attrs")
        return [*attrs.keys(), *attrs.values()]
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return list(value)


def _scalar_weight(value: Any) -> int:
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return int(value.bit_length() / _LOG2_10) + 2
    if isinstance(value, range):
        return len(value) * 2
    if isinstance(value, Undefined):
        return 0
    if isinstance(value, (float, complex)):
        return 24
    return 16  # dates, loop helpers, macros: short when written out


def _fresh(value: Any) -> int:
    """Units a new value charges: its characters or its items (what it holds was charged when
    it was made)."""
    if isinstance(value, (str, bytes, bytearray, list, tuple, dict, set, frozenset)):
        return len(value) + 1
    return 1


# ---------------------------------------------------------------------------------------------
# The account of the evaluation running on this thread.

_local = threading.local()


def current() -> Account:
    """The account of the evaluation running on this thread; outside one (Jinja folding a
    constant while it compiles), a fresh account for this one step."""
    account = getattr(_local, "account", None)
    return account if account is not None else Account()


@contextmanager
def evaluation(bounds: Bounds = DEFAULT) -> Iterator[Account]:
    """Run one evaluation on an account of its own (nested evaluations get their own too)."""
    previous = getattr(_local, "account", None)
    account = _local.account = Account(bounds)
    try:
        yield account
    finally:
        _local.account = previous


# ---------------------------------------------------------------------------------------------
# Operations whose result can be far larger than what they are given: sized before they run.

_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_DIGITS = re.compile(r"\d+")


def printf_size(account: Account, template: str, args: Any) -> None:
    """`template % args`: refuse `*` widths and widths or results larger than the bounds."""
    values = args if isinstance(args, tuple) else (args,)
    if isinstance(args, dict):
        values = tuple(args.values())
    largest = max((account.weigh(v) for v in values), default=0)
    fields = 0
    for match in _PRINTF.finditer(template):
        width, precision, conversion = match.groups()
        if conversion == "%":
            continue
        if "*" in (width, precision):
            raise LimitExceeded(tr("格式里不能用 * 指定宽度"), "'*' widths are not supported")
        for number in (width, precision):
            if number:
                account.refuse_size(int(number))
        fields += 1
        account.refuse_size(len(template) + fields * max(largest, int(width or 0)))


def format_spec_size(account: Account, spec: str) -> None:
    """A `str.format` field's spec (`{:>30}`, `{:.2f}`): no width or precision beyond the bounds."""
    for number in _DIGITS.findall(spec or ""):
        account.refuse_size(int(number))


def repeat_size(account: Account, left: Any, right: Any) -> None:
    """`left * right`: a text or list repeated, or two integers multiplied."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
            account.refuse_size(max(count, 0) * max(account.weigh(seq), 1))
    if isinstance(left, int) and isinstance(right, int):
        account.refuse_bits(left.bit_length() + right.bit_length())


def power_size(account: Account, base: Any, exponent: Any) -> None:
    """`base ** exponent` for integers: refuse a result with more digits than the bounds."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if exponent > account.bounds.max_digits * _LOG2_10:
            account.refuse_bits(exponent)
        account.refuse_bits(base.bit_length() * exponent)


def joined_size(account: Account, items: list, separator: Any) -> None:
    """`separator.join(items)` (and the `join` filter)."""
    sep = len(separator) if isinstance(separator, (str, bytes)) else 0
    account.refuse_size(sum(account.weigh(i) for i in items) + sep * len(items))


def replaced_size(account: Account, text: Any, old: Any, new: Any, count: Any = None) -> None:
    """`text.replace(old, new, count)` (and the `replace` filter)."""
    if not isinstance(text, (str, bytes)) or not isinstance(old, (str, bytes)):
        return
    if not old:
        found = len(text) + 1
    elif isinstance(text, str):
        found = text.count(old) if isinstance(old, str) else 0
    else:
        found = text.count(old) if isinstance(old, bytes) else 0
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    growth = max(len(new) if isinstance(new, (str, bytes)) else 16, 0) - len(old)
    account.refuse_size(len(text) + found * max(growth, 0))


def lines_of(text: Any) -> int:
    """How many lines a text has (1 for anything that is not text)."""
    return text.count("\n") + 1 if isinstance(text, str) else 1


__all__ = [
    "Account",
    "Bounds",
    "DEFAULT",
    "LimitExceeded",
    "current",
    "evaluation",
    "format_spec_size",
    "joined_size",
    "lines_of",
    "power_size",
    "printf_size",
    "repeat_size",
    "replaced_size",
]
