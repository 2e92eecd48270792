"""`photos`: a record's photos as cards (photo_card.py), each standing upright with when it was
taken and its warnings beside it; added from files, by drag and drop or 从手机文件夹选 (a phone
on a USB cable, a memory card). A file that is not a photo says why and nothing is attached.

Attaching reads each photo once (forms/photo_items.attach_photo); the time warnings follow the
record's time as it is typed (the editor calls `set_record_time`), and "used before" comes from
the saved item, looked up again in the store while the record is a draft. Thumbnails are made
off the main thread (photo_work.py), so a record of twenty phone photos opens at once.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from desktop.editor.attachments_widget import AttachmentsWidget
from desktop.editor.photo_card import PhotoCard, photo_notes
from desktop.editor.photo_work import PhotoWork, stored_image
from forms.photo_checks import USE_KINDS, use_warning
from forms.photo_items import NotAPhoto, attach_photo

MAX_USES_SHOWN = 3  # records named in "used before" warnings per photo


class PhotosWidget(AttachmentsWidget):
    """`photos`: one card per photo; 添加照片…, 从手机文件夹选…, drop, 查看大图, 移除."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.phone_button = QPushButton(self.tr("从手机文件夹选…"), self)
        self.phone_button.setToolTip(
            self.tr("手机用数据线连到电脑，或插上存储卡，选它的照片文件夹（如 DCIM）")
        )
        self.phone_button.clicked.connect(lambda: self.pick_from_phone())
        self.buttons.addWidget(self.phone_button)
        self.cards_box = QWidget(self)
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(4)
        self.box.addWidget(self.cards_box)
        self._finish_layout()
        self.cards: dict[str, PhotoCard] = {}
        self._pictures: dict[str, QPixmap | None] = {}  # sha256 -> thumbnail (None: cannot show)
        self._work = PhotoWork(self)
        self._work.done.connect(self._picture_ready)
        self._work.failed.connect(lambda sha, _message: self._picture_ready(sha, None))
        self._when: Any = env.record_time()
        self._refresh()

    def _add_label(self) -> str:
        return self.tr("添加照片…")

    def _filter(self) -> str:
        return self.tr("照片 (*.jpg *.jpeg *.heic *.heif *.png);;所有文件 (*)")

    # -- attaching ------------------------------------------------------------------------------
    def _attach(self, uuid: str, path: Path) -> dict:
        return attach_photo(self.env.store, uuid, path, path.name)

    def _problem(self, path: Path, exc: Exception) -> str:
        if isinstance(exc, NotAPhoto):
            return self.tr("{reason}没有添加。").format(reason=exc.message)
        return super()._problem(path, exc)

    def _with_notes(self, uuid: str, item: dict[str, Any]) -> dict[str, Any]:
        return self._with_uses(item, self._uses([item["sha256"]], uuid))

    def _uses(self, shas: list[str], uuid: str | None) -> dict[str, list[dict]]:
        """The "used before" warnings of these photos: other final records holding them."""
        found: dict[str, list[dict]] = {}
        if self.env.store is None or not shas:
            return found
        try:
            uses = self.env.store.photo_uses(shas, uuid or "")
        except Exception:  # the check never stands in the way of attaching
            return found
        for use in uses:
            kept = found.setdefault(use.sha256, [])
            if len(kept) < MAX_USES_SHOWN:
                kept.append(use_warning(use).as_dict())
        return found

    @staticmethod
    def _with_uses(item: dict, uses: dict[str, list[dict]]) -> dict:
        kept = item.get("warnings") or []
        others = [w for w in kept if isinstance(w, dict) and w.get("kind") not in USE_KINDS]
        warnings = others + uses.get(item["sha256"], [])
        item = {k: v for k, v in item.items() if k != "warnings"}
        return {**item, "warnings": warnings} if warnings else item

    def refresh_uses(self) -> None:
        """Look again which other final records hold these photos (a draft opened again, or
        about to be finalized: another record may have been finalized with one of them since)."""
        if self._read_only or not self._items or self.env.uuid() is None:
            return
        uses = self._uses([i["sha256"] for i in self._items], self.env.uuid())
        self._items = [self._with_uses(item, uses) for item in self._items]
        self._show_notes()

    def pick_from_phone(self, folder: Path | None = None) -> None:
        """从手机文件夹选: choose a phone's folder (or take `folder`), tick photos, attach them."""
        from desktop.editor.phone_folder import PhoneFolderDialog  # opened on request only

        paths = PhoneFolderDialog.choose(self, self.env, {i["sha256"] for i in self._items}, folder)
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths) -> int:
        """As for any attachment; a folder (a phone's DCIM dropped here) opens 从手机文件夹选 on it."""
        folders = [Path(p) for p in paths if Path(p).is_dir()]
        if folders and not self._read_only and len(folders) == len(list(paths)):
            self.pick_from_phone(folders[0])
            return 0
        return super().add_paths(paths)

    # -- the cards ------------------------------------------------------------------------------
    def _refresh(self) -> None:
        wanted = [item["sha256"] for item in self._items]
        for sha in list(self.cards):
            if sha not in wanted:
                card = self.cards.pop(sha)
                card.hide()
                card.deleteLater()
        for item in self._items:
            known = self.cards.get(item["sha256"])
            card = known if known is not None else self._new_card(item)
            card.item = item
            card.set_read_only(self._read_only)
        for card in self.cards.values():
            self.cards_layout.removeWidget(card)
        for item in self._items:
            self.cards_layout.addWidget(self.cards[item["sha256"]])
        self.cards_box.setVisible(bool(self._items))
        self.phone_button.setVisible(not self._read_only)
        self._show_notes()
        self.stops_changed.emit()

    def _new_card(self, item: dict) -> PhotoCard:
        card = PhotoCard(item, self.cards_box)
        card.view_clicked.connect(self.view)
        card.remove_clicked.connect(self.remove)
        self.cards[item["sha256"]] = card
        self._load_picture(card)
        return card

    def _show_notes(self) -> None:
        for item in self._items:
            card = self.cards.get(item["sha256"])
            if card is not None:
                card.show_notes(*photo_notes(item, self._when, self.env.photo_hours, self.env.branch))

    def set_record_time(self, when: Any) -> None:
        """The record's time changed (or was first worked out): its photos' time warnings follow."""
        if when != self._when:
            self._when = when
            self._show_notes()

    def _load_picture(self, card: PhotoCard) -> None:
        sha = card.sha256
        if sha in self._pictures:
            card.show_picture(self._pictures[sha])
            return
        store = self.env.store
        if store is None:
            self._picture_ready(sha, None)
            return
        pixels = round(card.side * self.devicePixelRatioF())
        # Decrypted in memory on the worker: a missing or damaged file fails there, said on the card.
        self._work.request(sha, functools.partial(stored_image, store, sha, pixels))

    def _picture_ready(self, sha: str, image) -> None:
        pixmap = None
        if image is not None:
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self._pictures[sha] = pixmap
        card = self.cards.get(sha)
        if card is not None:
            card.show_picture(pixmap)

    def remove(self, sha256: str) -> None:
        """Take one photo off this record (its file stays in the data folder)."""
        if self._read_only:
            return
        self._items = [i for i in self._items if i["sha256"] != sha256]
        self._refresh()
        self._emit()

    def view(self, sha256: str) -> None:
        """The large view of one photo, with the others a click away."""
        from desktop.editor.photo_viewer import PhotoViewer  # opened on request only

        items = list(self._items)
        shas = [i["sha256"] for i in items]
        if sha256 in shas:
            viewer = PhotoViewer(items, shas.index(sha256), self.env, self._when, self)
            viewer.open()

    def messages_for_row(self, messages: list) -> list:
        # Each photo's warnings are on its card already: the row keeps the rest.
        shown = [w for card in self.cards.values() for w in card.warnings]
        return [m for m in messages if not (m.level == "warning" and any(m.text.endswith(w) for w in shown))]

    def focus_widgets(self):
        stops: list[QWidget] = [self.add_button, self.phone_button]
        for item in self._items:
            card = self.cards.get(item["sha256"])
            if card is not None:
                stops += [card.view_button, card.remove_button]
        return stops
