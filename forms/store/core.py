"""`Store`: the Yici database of one data folder, assembled from one part per concern."""

from __future__ import annotations

from pathlib import Path

from forms.store.attachments import AttachmentsMixin
from forms.store.audit import AuditMixin
from forms.store.branches import BranchesMixin
from forms.store.browser_entries import BrowserEntriesMixin
from forms.store.copies import CopiesMixin
from forms.store.deliveries import DeliveriesMixin
from forms.store.form_versions import FormVersionsMixin
from forms.store.hub_branches import HubBranchesMixin
from forms.store.hub_conflicts import HubConflictsMixin
from forms.store.hub_revisions import HubRevisionsMixin, queue_hub_void
from forms.store.merge import MergeMixin
from forms.store.photo_facts import PhotoFactsMixin
from forms.store.records import RecordsMixin
from forms.store.search import SearchMixin
from forms.store.sending import SendingMixin
from forms.store.settings import SettingsMixin
from forms.store.targets import TargetsMixin, queue_deliveries


class Store(
    SettingsMixin,
    FormVersionsMixin,
    BranchesMixin,
    RecordsMixin,
    SearchMixin,
    AttachmentsMixin,
    AuditMixin,
    TargetsMixin,
    SendingMixin,
    DeliveriesMixin,
    MergeMixin,
    CopiesMixin,
    HubBranchesMixin,
    HubRevisionsMixin,
    HubConflictsMixin,
    BrowserEntriesMixin,
    PhotoFactsMixin,
):
    """The Yici database in one data folder. Open with `Store.open(data_dir)`; close when done.

    One connection, used by one thread at a time (calls are serialised by a lock); every public
    method turns SQLite's errors into `StoreError`s with a Chinese message. Making a record
    final queues its deliveries in the same transaction (an `on_final_hooks` entry).
    """

    def __init__(self, data_dir: str | Path, *, create: bool = True):
        super().__init__(data_dir, create=create)
        self.on_final_hooks.append(queue_deliveries)
        self.on_void_hooks.append(queue_hub_void)
