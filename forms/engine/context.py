"""What a form's defaults and expressions may know besides the record: the roster and the clock."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field

from forms.values import iso_minute


@dataclass(frozen=True)
class Person:
    """A roster entry for contexts built without the store (tests, command line)."""

    name: str
    role: str = "党员"


@dataclass
class Context:
    """What a form's defaults and expressions may know besides the record: roster and clock."""

    roster: list = dc_field(default_factory=list)
    today: datetime.date = dc_field(default_factory=datetime.date.today)
    now: datetime.datetime = dc_field(default_factory=datetime.datetime.now)
    last: dict = dc_field(default_factory=dict)

    @classmethod
    def for_names(
        cls, names: Iterable, today: datetime.date | None = None, last: dict | None = None
    ) -> Context:
        """A context whose roster holds these names; an item may be a (name, role) pair."""
        roster = [Person(*n) if isinstance(n, (tuple, list)) else Person(str(n)) for n in names]
        if today is None:
            return cls(roster=roster, last=dict(last or {}))
        now = datetime.datetime.combine(today, datetime.datetime.now().time())
        return cls(roster=roster, today=today, now=now, last=dict(last or {}))

    @property
    def names(self) -> list[str]:
        """The roster's names in roster order."""
        return [n for n in (person_name(p) for p in self.roster) if n]

    def variables(self) -> dict:
        """The CONTEXT_NAMES as expressions see them (dates as ISO text, like field values)."""
        return {
            "roster_count": len(self.names),
            "today": iso_date(self.today),
            "now": iso_minute(self.now),
        }


def person_name(p) -> str:
    """A roster entry's name, whether it is a text, a dict or a store Member."""
    if isinstance(p, str):
        return p
    if isinstance(p, dict):
        return str(p.get("name") or "")
    return str(getattr(p, "name", "") or "")


def person_role(p) -> str:
    """A roster entry's role (书记, 党员 ...), or "" when it has none."""
    if isinstance(p, dict):
        return str(p.get("role") or "")
    return str(getattr(p, "role", "") or "")


def iso_date(d) -> str:
    """A date as 'YYYY-MM-DD' (the shape of date fields)."""
    return d.isoformat() if isinstance(d, datetime.date) else str(d)[:10]
