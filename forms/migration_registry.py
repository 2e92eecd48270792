"""The registry of schema steps: each step function registers itself, in the order its module
defines it (forms/migrations.py the first seven, forms/migrations_later.py from m008 on), and
runs its statements one by one inside the step's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "yici"
STEPS: list[str] = []  # names of the steps, in order
FUNCTIONS: list[Callable] = []


def _step(fn):
    STEPS.append(fn.__name__)
    FUNCTIONS.append(fn)
    return fn


def _run(db: Database, statements: list[str]) -> None:
    for sql in statements:
        db.execute(sql)
