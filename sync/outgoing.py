"""Building what goes out: one `Outgoing` per due delivery, from its record revision and form.

A form version's labels and title are parsed once per `Parcels` (one per `Deliverer`), not once
per delivery: a drain sends thousands of records of the same few forms. A record's files reach
every kind through `Outgoing.attachment`, made here for each target by sync/photo_copies.py:
photos as clean copies (no EXIF unless the target keeps it, within its size limit), the stored
files themselves only for the township hub.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from forms.loader import FormProblem, parse_form
from forms.store import Delivery, SourceRow, Store
from sync.kind import Outgoing, TargetConfig
from sync.photo_copies import Copies


class Parcels:
    """Makes the `Outgoing` a kind sends for each delivery; safe to share between targets' threads."""

    def __init__(self, store: Store):
        self.store = store
        self._forms: dict[tuple[str, int], tuple[dict[str, str], str, frozenset[str]] | None] = {}
        self._lock = threading.Lock()
        # The one reader of the stored files; each target gets them through `copies.reader`.
        self.copies = Copies(store.attachment_bytes)

    def outgoing(
        self, config: TargetConfig, secrets: dict[str, str], delivery: Delivery, source: SourceRow
    ) -> Outgoing:
        """Everything the target's kind needs to send this delivery."""
        form = self.form(source.form_id, source.form_version)
        labels, title, multiline = form if form else ({}, source.form_id, None)
        return Outgoing(
            target=config,
            secrets=secrets,
            record_uuid=delivery.record_uuid,
            revision=delivery.revision,
            form_id=source.form_id,
            form_title=title,
            branch=source.branch,
            operator=source.operator,
            status=source.status,
            data=source.data,
            labels=labels,
            is_correction=delivery.revision > 1,
            remote_id=source.remote_id,
            attachment=self.copies.reader(config),
            multiline_keys=multiline,
            full_revision=functools.partial(self._full_revision, delivery.record_uuid, delivery.revision),
        )

    def _full_revision(self, uuid: str, revision: int, hub: int | None) -> dict | None:
        """The revision in the township hub's shape: this delivery's, or (`hub`) the one that
        has that number on the hub (forms/store/hub_revisions.py)."""
        if hub is None:
            return self.store.hub_revision(uuid, revision)
        return self.store.hub_revision(uuid, hub=hub)

    def form(self, form_id: str, version: int) -> tuple[dict[str, str], str, frozenset[str]] | None:
        """(labels, title, longtext keys) of a stored form version, or None when it cannot be read."""
        key = (form_id, version)
        with self._lock:
            if key not in self._forms:
                self._forms[key] = self._parse(form_id, version)
            return self._forms[key]

    def _parse(self, form_id: str, version: int) -> tuple[dict[str, str], str, frozenset[str]] | None:
        source = self.store.stored_form_source(form_id, version)
        try:
            form: Any = parse_form(source, f"{form_id}-v{version}") if source else None
        except FormProblem:
            return None
        if form is None:
            return None
        return {f.key: f.label for f in form.walk()}, form.title, multiline_keys(form.fields)


def multiline_keys(fields, prefix: str = "") -> frozenset[str]:
    """The longtext fields of a form ("key", and "repeat.key" inside repeat rows)."""
    keys: set[str] = set()
    for f in fields:
        if f.type == "group":
            keys |= multiline_keys(f.fields, prefix)
        elif f.type == "repeat":
            keys |= multiline_keys(f.fields, f"{prefix}{f.key}.")
        elif f.type == "longtext":
            keys.add(prefix + f.key)
    return frozenset(keys)


__all__ = ["Parcels", "multiline_keys"]
