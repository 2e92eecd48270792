"""Handing a laptop's work over: everything in one file (`yici export`), merged on the new
laptop (`yici import`) without duplicating anything and without sending anything twice.

The file is a zip: `manifest.json` (format, app version, counts, the passphrase's salt), `yici.db`
(a consistent snapshot, encrypted with the key the person's passphrase gives), `attachments/
<sha256>` (each sealed with that key) and `forms/*.yaml` (installed forms), see
forms/handover_file.py. It holds no secret: the database has none, they live in the OS keyring.
Import treats the file as typed input from a stranger: size and entry count capped, the
database a sound Yici one (forms/handover_file.py), every record valid for its form version and
no history that differs from this laptop's (forms/record_checks.py); a refusal changes nothing.
It reads the snapshot through the store (an older snapshot is brought up to date on the way, a
newer one is refused) and merges: records by uuid (higher revision wins, histories joined),
branches by name, members by (branch, name), attachments by SHA-256, form versions by (id,
version), audit lines as they were plus one "imported" line, targets by name (missing ones
without secrets, held until a person has checked them). A record that arrives final is queued by
this laptop's own targets, as if finalized here; of the old laptop's deliveries only the facts
come over (delivered, or maybe delivered), so what was delivered stays delivered and nothing
pending there is sent from here on the file's say-so.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from forms.atomic import write_atomically
from forms.catalog import Catalog
from forms.handover_file import EXPORT_FORMAT, EXPORT_SCRYPT_N, MANIFEST, HandoverProblem, open_export
from forms.i18n import tr, tr_noop
from forms.loader import FormProblem, load_form
from forms.record_checks import conflicts_with, record_problems
from forms.store import (
    DB_NAME,
    DELIVERED,
    SENDING,
    UNCERTAIN,
    NotFound,
    Store,
    timestamp,
)
from forms.store.attachments import SHA256, read_file
from forms.store.cipher import read_sealed, seal_to
from forms.store.copies import folder_must_exist
from forms.store.keys import adopt, check_new_passphrase, derive
from forms.store.target_guards import IMPORTED_TARGET_ATTENTION
from forms.store.times import file_stamp
from forms.version import app_version

_PAGE = 500
# Settings that belong to this laptop or data folder, never taken from a file: who types here,
# the data folder's own id (its keyring entries hang on it), and its memory of the township hub.
LOCAL_SETTINGS = frozenset({"operator", "data_folder_id", "hub_state"})
IN_FLIGHT_MESSAGE = tr_noop(
    "导出时这条推送正在发送中，可能已经送达，请确认后选择“重新发送”或“标记为已送达” "
    "(was being sent when exported: may have been delivered)"
)


@dataclass
class ExportSummary:
    """What went into an export file."""

    path: Path
    counts: dict


@dataclass
class ImportSummary:
    """What an import changed: {what: number} for added and updated rows, plus warnings."""

    added: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    new_targets: list[str] = field(default_factory=list)  # imported without their secrets
    manifest: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Did the import add or update anything?"""
        return any(self.added.values()) or any(self.updated.values())

    def add(self, what: str, outcome: str | bool) -> None:
        """Count one merge outcome ('added' or True, 'updated'; others count nothing)."""
        if outcome in ("added", True):
            self.added[what] = self.added.get(what, 0) + 1
        elif outcome == "updated":
            self.updated[what] = self.updated.get(what, 0) + 1


# ------------------------------------------------------------------------------------- export


def _counts(store: Store) -> dict:
    deliveries: dict[str, int] = {}
    for counts in store.delivery_counts().values():
        for state, n in counts.items():
            deliveries[state] = deliveries.get(state, 0) + n
    return {
        "branches": len(store.branches()),
        "members": sum(len(store.members(b.id)) for b in store.branches()),
        "records": store.count_records(),
        "final": store.count_records(status="final"),
        "targets": len(store.targets()),
        "deliveries": deliveries,
    }


def export_all(store: Store, path: str | Path, passphrase: str) -> ExportSummary:
    """Write everything in the data folder (no secrets) to one zip file at `path`, atomically,
    encrypted with `passphrase` (chosen by the person, needed to import it)."""
    check_new_passphrase(passphrase)
    salt = os.urandom(16)
    key = derive(passphrase, salt, EXPORT_SCRYPT_N)
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / f"yici-export-{file_stamp()}.zip"
    folder_must_exist(path, store.data_dir)
    data_dir = store.data_dir
    attachments = sorted(
        p for p in (data_dir / "attachments").glob("*/*") if p.is_file() and SHA256.match(p.name)
    )
    forms = sorted((data_dir / "forms").glob("*.yaml"))
    counts = _counts(store)
    counts.update(attachments=len(attachments), forms=len(forms))
    manifest = {
        "yici_export": EXPORT_FORMAT,
        "app_version": app_version(),
        "exported_at": timestamp(),
        "counts": counts,
        "cipher": {"kdf": "scrypt", "salt": salt.hex(), "n": EXPORT_SCRYPT_N},
    }
    with tempfile.TemporaryDirectory(prefix="yici-export-") as work:
        snapshot = store.copy_to(Path(work) / DB_NAME, key)
        sealed = Path(work) / "sealed"

        def write_zip(partial: Path) -> None:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
                zf.write(snapshot, DB_NAME, compress_type=zipfile.ZIP_STORED)
                for file in attachments:
                    plain = read_file(file, file.name, store.key)
                    sealed.unlink(missing_ok=True)
                    seal_to(sealed, key, iter([plain]))
                    zf.write(sealed, f"attachments/{file.name}", compress_type=zipfile.ZIP_STORED)
                for file in forms:
                    zf.write(file, f"forms/{file.name}")

        write_atomically(path, write_zip, prefix=".export-")
    return ExportSummary(path, counts)


# ------------------------------------------------------------------------------------- import


def import_all(
    store: Store, catalog: Catalog, path: str | Path, operator: str, passphrase: str | None = None
) -> ImportSummary:
    """Merge an export file into this data folder in one transaction, after checking it like typed
    input (see the module docstring); a refusal (HandoverProblem, a wrong `passphrase` too)
    changes nothing. Importing the same file again changes nothing; what was delivered on the
    old laptop is not sent again."""
    path = Path(path).expanduser()
    summary = ImportSummary()
    with tempfile.TemporaryDirectory(prefix="yici-import-") as work_name:
        work = Path(work_name)
        summary.manifest, key = open_export(path, work, passphrase)
        unpacked = work / "unpacked"
        snapshot_dir = work / "snapshot"
        snapshot_dir.mkdir()
        os.replace(unpacked / DB_NAME, snapshot_dir / DB_NAME)
        adopt(snapshot_dir, key or os.urandom(32))  # a plain file of format 1 is encrypted on opening
        # The store brings an older snapshot up to date and refuses a newer one (NewerSchema).
        with Store.open(snapshot_dir) as old:
            _check_records(old, store, path)
            _install_forms(catalog, unpacked / "forms", summary)
            # A copy of this laptop's data first: an import is a merge, and a merge can surprise.
            store.backup("before-import")
            with store.transaction():
                _merge(old, store, Files(unpacked / "attachments", key), summary)
                if summary.changed:
                    store.add_audit(
                        "imported",
                        operator,
                        detail={
                            "file": path.name,
                            "from_version": summary.manifest.get("app_version"),
                            "exported_at": summary.manifest.get("exported_at"),
                            "added": summary.added,
                            "updated": summary.updated,
                        },
                    )
    return summary


def _check_records(old: Store, here: Store, path: Path) -> None:
    """Refuse the file when a record could not have been typed here, or clashes with a record
    this laptop has under the same uuid (forms/record_checks.py)."""
    problems = record_problems(old, here.stored_form_source)
    if not problems:
        problems = conflicts_with(old, here, {b.id: b.name for b in old.branches()})
    if problems:
        raise HandoverProblem(
            tr("导出文件中的记录没有通过检查（像录入时一样按表单检查），没有导入任何数据：{path}。\n").format(
                path=path
            )
            + "\n".join(f"  - {p}" for p in problems)
            + tr(
                "\n请在原电脑上核对后重新导出。"
                " / Records in the file do not pass the checks; nothing was imported."
            )
        )


def _install_forms(catalog: Catalog, folder: Path, summary: ImportSummary) -> None:
    for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        try:
            form = load_form(file)
            known = form.version in catalog.versions(form.id)
            catalog.install(file)
        except FormProblem as exc:
            summary.warnings.append(
                tr("表单文件 {name} 没有安装：{message}（用这个表单录入的记录仍已导入，能正常查看）").format(
                    name=file.name, message=exc.problems[0].message
                )
            )
            continue
        if not known:
            summary.add(tr("表单"), True)


@dataclass
class Files:
    """The export's attachments, unpacked, and the key they are sealed with (None: plain)."""

    folder: Path
    key: bytes | None

    def content(self, sha256: str) -> bytes | None:
        path = self.folder / sha256
        if not path.is_file():
            return None
        return path.read_bytes() if self.key is None else b"".join(read_sealed(path, self.key))


def _merge(old: Store, new: Store, attachments: Files, summary: ImportSummary) -> None:
    for form_id, version, title, source, remembered_at in old.form_versions():
        summary.add(tr("表单版本"), new.merge_form_version(form_id, version, title, source, remembered_at))
    branch_ids = _merge_branches(old, new, summary)
    target_ids = _merge_targets(old, new, summary)
    for key, value in old.all_settings().items():
        if key not in LOCAL_SETTINGS and new.get_setting(key) is None:
            new.set_setting(key, value)
            summary.add(tr("设置"), True)
    offset = 0
    while True:
        page = old.records(limit=_PAGE, offset=offset)
        if not page:
            break
        offset += len(page)
        for record in page:
            _merge_record(old, new, record, branch_ids, target_ids, attachments, summary)
    for entry in old.audit():
        summary.add(tr("操作记录"), new.merge_audit(entry))


def _merge_branches(old: Store, new: Store, summary: ImportSummary) -> dict[int, int]:
    """{old branch id: new branch id}, adding branches and roster members that are missing."""
    ids = {}
    for branch in old.branches():
        here = next((b for b in new.branches() if b.name == branch.name), None)
        if here is None:
            here = new.add_branch(branch.name, code=branch.code, secretary=branch.secretary)
            if branch.cadence:
                here = new.update_branch(here.id, cadence=branch.cadence)
            summary.add(tr("支部"), True)
        ids[branch.id] = here.id
        roster = {m.name for m in new.members(here.id)}
        for member in old.members(branch.id):
            if member.name not in roster:
                new.add_member(here.id, member.name, role=member.role, phone=member.phone)
                summary.add(tr("名册成员"), True)
    return ids


def _merge_targets(old: Store, new: Store, summary: ImportSummary) -> dict[str, int]:
    """{target name: new target id} for the old laptop's targets that are the same platform here
    (same name, kind and address). Missing ones are added without secrets and held until a person
    has looked at them (a file can name any address); one with the same name but another kind
    or address is this laptop's own and gets nothing from the file."""
    live = {t.name: t for t in new.targets()}
    same: dict[str, int] = {}
    for target in old.targets():
        here = live.get(target.name)
        if here is None:
            here = new.add_target(
                target.name,
                target.kind,
                url=target.url,
                forms=target.forms,
                branches=target.branches,
                template=target.template,
                options=target.options,
                enabled=target.enabled,
            )
            new.set_target_attention(here.id, IMPORTED_TARGET_ATTENTION)
            summary.new_targets.append(here.name)
            summary.add(tr("平台"), True)
        elif (here.kind, here.url) != (target.kind, target.url):
            summary.warnings.append(
                tr(
                    "平台“{name}”在两台电脑上的类型或地址不同，按本机的配置推送，原电脑上的推送状态没有导入"
                ).format(name=target.name)
            )
            continue
        same[target.name] = here.id
    return same


def _merge_record(
    old: Store, new: Store, record, branch_ids, target_ids, attachments, summary: ImportSummary
) -> None:
    record.branch_id = branch_ids[record.branch_id]
    summary.add(tr("记录"), new.merge_record(record, old.history(record.uuid)))
    for attachment in old.attachments(record.uuid):
        have = _have_file(new, attachment.sha256)
        source = None if have else attachments.content(attachment.sha256)
        if source is None and not have:
            summary.warnings.append(
                tr("记录 {uuid} 的附件“{name}”不在导出文件中，没有导入").format(
                    uuid=record.uuid[:8], name=attachment.name
                )
            )
            continue
        summary.add(
            tr("附件"), new.merge_attachment(record.uuid, attachment.sha256, attachment.name, source or b"")
        )
    # Deliveries were queued by this laptop's own targets as the record came in (the finalize
    # hooks); from the old laptop only what happened is taken in: delivered, or maybe delivered.
    for delivery in old.deliveries(record_uuid=record.uuid):
        target_id = target_ids.get(delivery.target_name)
        if target_id is None or delivery.state not in (DELIVERED, SENDING, UNCERTAIN):
            continue  # pending, failed or cancelled there: this laptop decides for itself
        if delivery.state == DELIVERED:
            state, message = DELIVERED, ""
        else:
            # In flight when the snapshot was taken, or uncertain there: it may have arrived.
            state, message = UNCERTAIN, IN_FLIGHT_MESSAGE if delivery.state == SENDING else delivery.message
        summary.add(
            tr("推送"),
            new.merge_delivery_fact(
                record.uuid,
                delivery.revision,
                target_id,
                state,
                message=message,
                remote_id=delivery.remote_id,
                delivered_at=delivery.delivered_at,
            ),
        )


def _have_file(store: Store, sha256: str) -> bool:
    try:
        store.attachment_path(sha256)
        return True
    except NotFound:
        return False
