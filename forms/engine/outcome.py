"""What validating a record answers: the cleaned values and a message for each thing to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A message for one field (key path such as "problems[2].description"; "" = whole form)."""

    field: str
    level: str
    text: str


@dataclass
class Outcome:
    """Cleaned values plus every message found."""

    values: dict
    messages: list[Message]

    @property
    def errors(self) -> list[Message]:
        """Messages that block finalizing."""
        return [m for m in self.messages if m.level == "error"]

    @property
    def warnings(self) -> list[Message]:
        """Messages worth a look that do not block finalizing."""
        return [m for m in self.messages if m.level == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks finalizing (warnings allowed)."""
        return not self.errors

    def for_field(self, key: str) -> list[Message]:
        """Messages addressed to exactly this key path."""
        return [m for m in self.messages if m.field == key]
