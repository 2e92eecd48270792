"""What each attached photo says about itself (forms/photos: time, place, camera, its picture's
hash), kept once per file; the other records that already use a photo, by its bytes or as the
same picture resized or recompressed; and a branch's position, for distances.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from forms.i18n import tr
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, guarded
from forms.store.times import timestamp

# Bits two 256-bit picture hashes may differ in and still be the same picture (docs/PHOTOS.md;
# forms.photos.SAME_PICTURE_MAX_DISTANCE, not imported: the store must open without Pillow).
SAME_PICTURE_BITS = 10


@dataclass(frozen=True)
class PhotoUse:
    """Another final record holding `sha256` (this record's photo) or the same picture."""

    sha256: str  # the photo of the record asked about
    record_uuid: str
    occurred_on: str
    form_title: str
    branch: str
    same_bytes: bool  # the very file; else the same picture resized or recompressed


def _hash_bits(text: str) -> int | None:
    try:
        return int(text, 16)
    except (TypeError, ValueError):
        return None


class PhotoFactsMixin(Connection):
    """Store methods for photos' facts and their use across records."""

    @guarded
    def keep_photo_facts(self, sha256: str, facts: dict[str, Any], picture_hash: str) -> None:
        """Keep what a photo says (PhotoFacts.as_dict()) and its picture hash, once per file."""
        with self._write() as db:
            db.execute(
                "INSERT INTO photo_facts(sha256, facts, picture_hash, read_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(sha256) DO UPDATE SET facts = excluded.facts, "
                "picture_hash = excluded.picture_hash, read_at = excluded.read_at",
                [sha256, json.dumps(facts, ensure_ascii=False), picture_hash, timestamp()],
            )

    @guarded
    def photo_facts(self, sha256s: list[str]) -> dict[str, tuple[dict[str, Any], str]]:
        """{sha256: (facts, picture hash)} of those photos whose facts were read."""
        found: dict[str, tuple[dict[str, Any], str]] = {}
        wanted = list(dict.fromkeys(sha256s))
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            for sha, facts, picture in self.db.execute(
                f"SELECT sha256, facts, picture_hash FROM photo_facts WHERE sha256 IN ({marks})", part
            ).fetchall():
                found[sha] = (json.loads(facts), picture)
        return found

    @guarded
    def photo_uses(
        self, sha256s: list[str], record_uuid: str, picture_hashes: dict[str, str] | None = None
    ) -> list[PhotoUse]:
        """Other final records already holding one of these photos: the same file, or the same
        picture (a hash within SAME_PICTURE_BITS). A record counts only while its values still
        name the file (a photo taken out of a draft left its attachment row behind).
        `picture_hashes` ({sha256: hash}) gives the hashes of photos not stored yet (a phone's)."""
        wanted = set(sha256s) | set(picture_hashes or ())
        if not wanted:
            return []
        hashes: dict[str, int] = {}
        known = {sha: text for sha, (_, text) in self.photo_facts(list(wanted)).items()}
        for sha, text in {**(picture_hashes or {}), **known}.items():
            bits = _hash_bits(text)
            if bits is not None:
                hashes[sha] = bits
        # a file in other records -> (this record's photo, the very same file?)
        matches: dict[str, list[tuple[str, bool]]] = {sha: [(sha, True)] for sha in wanted}
        if hashes:
            for other, text in self.db.execute("SELECT sha256, picture_hash FROM photo_facts").fetchall():
                bits = _hash_bits(text)
                if bits is None:
                    continue
                for ours, mine in hashes.items():
                    if other != ours and (bits ^ mine).bit_count() <= SAME_PICTURE_BITS:
                        matches.setdefault(other, []).append((ours, False))
        return self._uses(matches, record_uuid)

    def _uses(self, matches: dict[str, list[tuple[str, bool]]], record_uuid: str) -> list[PhotoUse]:
        uses: list[PhotoUse] = []
        files = list(matches)
        for start in range(0, len(files), 500):
            part = files[start : start + 500]
            marks = ", ".join("?" * len(part))
            rows = self.db.execute(
                "SELECT DISTINCT a.sha256, r.uuid, r.occurred_on, r.data, b.name, "
                "coalesce(v.title, r.form_id) FROM attachments a "
                "JOIN records r ON r.uuid = a.record_uuid JOIN branches b ON b.id = r.branch_id "
                "LEFT JOIN form_versions v ON v.form_id = r.form_id AND v.version = r.form_version "
                f"WHERE a.sha256 IN ({marks}) AND r.status = 'final' AND r.uuid != ? "
                "ORDER BY r.occurred_on, r.id",
                [*part, record_uuid],
            ).fetchall()
            for sha, uuid, day, data, branch, title in rows:
                if sha not in data:  # the file is no longer among the record's values
                    continue
                uses += [PhotoUse(ours, uuid, day or "", title, branch, same) for ours, same in matches[sha]]
        return uses

    @guarded
    def set_branch_position(self, branch_id: int, latitude: float | None, longitude: float | None) -> None:
        """Where the village is (decimal degrees), or None, None to forget it."""
        if (latitude is None) != (longitude is None):
            raise NotAllowed(tr("请同时填写纬度和经度。 / Give both latitude and longitude."))
        if latitude is not None and longitude is not None:
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise NotAllowed(tr("纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间。 / Out of range."))
        with self._write() as db:
            db.execute(
                "UPDATE branches SET latitude = ?, longitude = ? WHERE id = ?",
                [latitude, longitude, branch_id],
            )
