"""Warnings about a record's photos, never blocking: taken long before or after the record's
time (the form's `photo_hours`, 12 by default), taken with no time at all, or the same photo
(the same file, or the same picture resized or recompressed) already in another record, named.

The time warnings are worked out from each photo's item (`taken_at`, `taken_offset`, read when
it was attached: forms/photo_items.py) as the record is typed. Reuse needs the store:
`annotate` writes every warning into the photo's item (`warnings`), so a saved record keeps
them for the hub and the printed 台账. Nothing here reads a photo's pixels or imports Pillow.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.i18n import tr, tr_noop
from forms.model import Form

if TYPE_CHECKING:  # the engine imports this module: it must not open the store's modules
    from forms.store import PhotoUse, Store

DEFAULT_PHOTO_HOURS = 12
TIME_KINDS = ("far", "no_time")  # worked out as the record is typed
USE_KINDS = ("reused", "same_picture")  # found in the store when the record is saved


@dataclass(frozen=True)
class PhotoWarning:
    """One warning about one photo: its kind (TIME_KINDS, USE_KINDS) and its words."""

    kind: str
    text: str
    where: tuple[str, str, str] | None = None  # the other record: day, form, branch

    def as_dict(self) -> dict[str, str]:
        said = {"kind": self.kind, "text": self.text}
        if self.where:
            said.update(zip(("day", "form", "branch"), self.where, strict=True))
        return said


def photo_items(form: Form, data: dict) -> Iterator[tuple[str, dict]]:
    """(field key, item) of every photo in the record, in repeats' rows too."""
    for f in form.walk():
        value = data.get(f.key)
        if f.type == "photos":
            yield from ((f.key, item) for item in value or [] if isinstance(item, dict))
        elif f.type == "repeat" and isinstance(value, list):
            photos = [sub for sub in f.fields if sub.type == "photos"]
            for row in value:
                for sub in photos if isinstance(row, dict) else []:
                    items = row.get(sub.key) or []
                    yield from ((f"{f.key}.{sub.key}", item) for item in items if isinstance(item, dict))


def record_time(form: Form, data: dict) -> dt.datetime | dt.date | None:
    """When the record happened: its first date-and-time field, else its first date field."""
    for wanted in ("datetime", "date"):
        for f in form.walk():
            if f.type == wanted and data.get(f.key):
                try:
                    moment = dt.datetime.fromisoformat(str(data[f.key]))
                except ValueError:
                    continue
                return moment if wanted == "datetime" else moment.date()
    return None


def taken_moment(item: dict) -> dt.datetime | None:
    """The photo's time as this laptop's wall clock (the record's times are): a time written with
    its offset is moved into the laptop's zone, one without is taken as written."""
    try:
        moment = dt.datetime.fromisoformat(str(item.get("taken_at") or "") + (item.get("taken_offset") or ""))
    except ValueError:
        return None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def hours_apart(taken: dt.datetime, when: dt.datetime | dt.date) -> float:
    """Hours between a photo and the record: from its time, or from its day (0 within it)."""
    if isinstance(when, dt.datetime):
        return abs((taken - when).total_seconds()) / 3600
    start = dt.datetime.combine(when, dt.time())
    end = start + dt.timedelta(days=1)
    if start <= taken < end:
        return 0.0
    return min(abs((taken - start).total_seconds()), abs((taken - end).total_seconds())) / 3600


# The words, written as kept with a record (Chinese: the paper and the hub read them) or said in
# the window's language (`say`).
NO_TIME = tr_noop("没有拍摄时间（可能是截图、转发或修改过的图片），请确认是本次拍的")
TAKEN_FAR = tr_noop("拍摄于 {taken}，与记录的时间相差约 {apart}，请核对")
DAYS = tr_noop("{days} 天")
HOURS = tr_noop("{hours} 小时")
WHERE = tr_noop("{day} {form}（{branch}）")
REUSED = tr_noop("这张照片已用于 {where}")
SAME_PICTURE = tr_noop("这张照片与 {where} 中的一张是同一画面（缩放或压缩过）")


def _as_written(text: str) -> str:
    return text


def time_warning(
    item: dict, when: dt.datetime | dt.date | None, hours: int, say: Callable[[str], str] = tr
) -> PhotoWarning | None:
    """A photo with no time, or taken more than `hours` from the record's time. An item whose
    facts were never read (attached before Yici read them: no `taken_at` key) says nothing."""
    if "taken_at" not in item:
        return None
    taken = taken_moment(item)
    if taken is None:
        return PhotoWarning("no_time", say(NO_TIME))
    if when is None:
        return None
    gap = hours_apart(taken, when)
    if gap <= hours:
        return None
    apart = say(DAYS).format(days=round(gap / 24)) if gap >= 48 else say(HOURS).format(hours=round(gap))
    return PhotoWarning(
        "far",
        say(TAKEN_FAR).format(
            taken=str(item.get("taken_at"))[:16].replace("T", " "),
            apart=apart,  # as the phone showed it
        ),
    )


def use_warning(use: PhotoUse, say: Callable[[str], str] = tr) -> PhotoWarning:
    """The photo is already in another record, named by its day, form and branch."""
    return _used(
        "reused" if use.same_bytes else "same_picture", (use.occurred_on, use.form_title, use.branch), say
    )


def _used(kind: str, where: tuple[str, str, str], say: Callable[[str], str]) -> PhotoWarning:
    named = say(WHERE).format(day=where[0], form=where[1], branch=where[2])
    return PhotoWarning(kind, say(REUSED if kind == "reused" else SAME_PICTURE).format(where=named), where)


def annotate(store: Store, form: Form, data: dict, record_uuid: str) -> dict:
    """`data` with each photo's `warnings` (a list of {kind, text}, left out when none) written
    into its item: the time warnings and the other records already using it. `data` itself is
    left as it was."""
    data = copy.deepcopy(data)
    hours = getattr(form, "photo_hours", DEFAULT_PHOTO_HOURS)
    when = record_time(form, data)
    found = list(photo_items(form, data))
    uses: dict[str, list[PhotoUse]] = {}
    for use in store.photo_uses([item["sha256"] for _, item in found if "sha256" in item], record_uuid):
        uses.setdefault(use.sha256, []).append(use)
    for _, item in found:
        # Kept in Chinese, whatever the window speaks: the paper and the hub show them.
        warnings = [w for w in (time_warning(item, when, hours, _as_written),) if w]
        warnings += [use_warning(use, _as_written) for use in uses.get(str(item.get("sha256")), [])[:3]]
        if warnings:
            item["warnings"] = [w.as_dict() for w in warnings]
        else:
            item.pop("warnings", None)
    return data


EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two places in decimal degrees, over the earth's surface (haversine:
    within 0.5 % of the ellipsoid's answer, plenty for "how far from the village")."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def kept_warnings(item: dict, kinds: tuple[str, ...], say: Callable[[str], str] = tr) -> list[str]:
    """The words of the warnings of these kinds an item keeps (`annotate`), said in the window's
    language when the warning says which record it names; else as kept."""
    said = []
    for w in item.get("warnings") or []:
        if not isinstance(w, dict) or w.get("kind") not in kinds:
            continue
        where = tuple(str(w.get(k) or "") for k in ("day", "form", "branch"))
        if w.get("kind") in USE_KINDS and all(where):
            said.append(_used(str(w["kind"]), (where[0], where[1], where[2]), say).text)
        else:
            said.append(str(w.get("text")))
    return said


__all__ = [
    "DEFAULT_PHOTO_HOURS",
    "PhotoWarning",
    "annotate",
    "distance_km",
    "hours_apart",
    "kept_warnings",
    "photo_items",
    "record_time",
    "taken_moment",
    "time_warning",
    "use_warning",
]
