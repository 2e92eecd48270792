"""The fields in which two versions of a record differ, in the form's order, with their labels:
what the conflict dialog and `yici hub conflicts` show side by side (this laptop's version and
the township hub's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.model import Form


@dataclass(frozen=True)
class FieldDifference:
    """One field whose value differs between two versions of a record."""

    key: str
    label: str  # the form's label, or the key when the form does not name it
    mine: Any  # this laptop's value (None when absent)
    theirs: Any  # the other version's value (None when absent)


def differing_fields(form: Form | None, mine: dict, theirs: dict) -> list[FieldDifference]:
    """The fields whose values differ, in the form's order (keys the form does not know last,
    sorted). A field absent from one version counts as empty there; a repeat or a list is
    compared whole."""
    labels: dict[str, str] = {}
    if form is not None:
        for field in form.walk():
            labels.setdefault(field.key, field.label or field.key)
    keys = [k for k in labels if k in mine or k in theirs]
    keys += sorted(k for k in set(mine) | set(theirs) if k not in labels)
    return [
        FieldDifference(key, labels.get(key, key), mine.get(key), theirs.get(key))
        for key in keys
        if mine.get(key) != theirs.get(key)
    ]
