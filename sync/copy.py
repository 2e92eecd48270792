"""Kind `copy`: assisted entry into a platform that has no API, even one only on a phone.

A person types the record in; Yici lists the platform's fields in the platform's order with the
values to copy (sync/copy_fields.py), exports its photos to a folder (sync/copy_photos.py) and
keeps who said it was entered, and when. Its deliveries wait as `awaiting_entry` from the
moment they are queued (`by_hand`): the engine never sends them.

Target options:
  fields  one "标签 = 表达式" per line (or separated by ';'), in the platform's order
  folder  where photos are exported for upload (the window and the command line may choose another)
  photo_exif, photo_max_size   the exported photos are clean copies (sync/photo_copies.py): no
          EXIF unless `photo_exif=keep`, downscaled to fit `photo_max_size` (the upload's limit)

`entry(store, delivery)` is what the window's panel and `yici copy` show for one delivery.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from forms.i18n import tr
from forms.store import Delivery, Store
from sync.copy_fields import FieldsProblem, FieldValue, field_values, fields_problem, parse_fields, variables
from sync.kind import ATTENTION, DELIVERED, PERMANENT, PHOTO_OPTIONS, Attempt, Option, Outgoing, TargetConfig
from sync.outgoing import Parcels

AWAITING = "awaiting_entry"  # the engine keeps it as `awaiting_entry`: a person types it in


def _option(target: TargetConfig, name: str) -> str:
    return str((target.options or {}).get(name) or "").strip()


def values_of(item: Outgoing) -> list[FieldValue]:
    """The target's fields for this record, in the platform's order (FieldsProblem when the
    list itself is wrong). A web form's target (kind `browser`) lists its recipe's fields, so a
    person can still type the record in by hand when the browser cannot."""
    if item.target.kind == "browser":
        from sync.browser.kind import copy_fields
        from sync.browser.recipe import RecipeProblem

        try:
            fields = copy_fields(item.target)
        except RecipeProblem as exc:
            raise FieldsProblem([(p.line, p.message) for p in exc.problems]) from None
    else:
        fields = parse_fields(_option(item.target, "fields"))
    return field_values(fields, variables(item.facts(), item.data))


def shown_text(values: list[FieldValue]) -> str:
    """The values as kept with the delivery once entered: one "标签：值" per field, in order."""
    return json.dumps([[v.label, v.text] for v in values], ensure_ascii=False, indent=1)


@dataclass
class Entry:
    """One record, ready to be typed into one platform."""

    delivery: Delivery
    target: TargetConfig
    item: Outgoing
    values: list[FieldValue] = field(default_factory=list)
    problem: str = ""  # the field list itself is wrong (the target's settings)

    @property
    def title(self) -> str:
        """Branch · form · summary-like line naming the record."""
        return " · ".join(p for p in (self.item.branch, self.item.form_title) if p)


def entry(store: Store, delivery: Delivery, parcels: Parcels | None = None) -> Entry:
    """What a person needs to type `delivery` into its platform."""
    target = store.target(delivery.target_id).config()
    source = store.delivery_sources([delivery.id])[delivery.id]
    item = (parcels or Parcels(store)).outgoing(target, {}, delivery, source)
    try:
        return Entry(delivery, target, item, values_of(item))
    except FieldsProblem as exc:
        return Entry(delivery, target, item, [], tr("字段设置有误：{problem}").format(problem=exc))


class CopyKind:
    """Values a person copies into the platform, field by field."""

    name = "copy"
    by_hand = True  # forms/target_kinds.py: deliveries wait for a person from the start
    idempotent = True  # nothing leaves the laptop
    secret_names: tuple[str, ...] = ()
    required_secrets: tuple[str, ...] = ()
    rate_limits: tuple[tuple[int, float], ...] = ()
    options = (Option("fields", check=fields_problem), Option("folder"), *PHOTO_OPTIONS)

    def addresses(self, target: TargetConfig) -> list[str]:
        """None: a person carries the values."""
        return []

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """Everything: copying has no secrets."""
        return self.config_problems(target, {})

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """The field list must be there and right."""
        text = _option(target, "fields")
        if not text:
            return [tr("请填写平台的字段（fields），每行一个：标签 = 表达式，例如 会议类型 = meeting_type")]
        problem = fields_problem(text)
        return [problem] if problem else []

    def send(self, item: Outgoing, http: Any = None) -> Attempt:
        """Nothing is sent: the delivery waits for a person (reached only by an older queue)."""
        problems = self.config_problems(item.target, item.secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        values = values_of(item)
        failing = [v.problem for v in values if v.problem]
        if failing:
            return Attempt(PERMANENT, "；".join(failing))
        return Attempt(AWAITING, tr("等待在平台上录入"), payload=shown_text(values))

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any = None) -> Attempt:
        """Check the field list; nothing is sent anywhere."""
        problems = self.config_problems(target, secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        count = len(parse_fields(_option(target, "fields")))
        return Attempt(DELIVERED, tr("字段设置无误，共 {count} 个字段").format(count=count))


KIND = CopyKind()

__all__ = ["AWAITING", "CopyKind", "Entry", "KIND", "entry", "shown_text", "values_of"]
