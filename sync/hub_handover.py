"""A branch's records pulled from the township hub onto this laptop (a handover through the hub:
a cadre away, a new laptop): every revision with its audit lines, and every file, downloaded and
checked against its SHA-256 (docs/HUB.md, `GET /api/v1/records`).

The rules of the handover file (forms/handover.py) hold: records by uuid, histories joined, only
a higher revision replaces this laptop's; what arrives final is queued by this laptop's other
targets as if finalized here. Nothing comes back to the hub: the hub's delivery of what arrived
is marked delivered in the same transaction. A record this laptop changed in its own way (its
history differs from the hub's) is never overwritten: it becomes a conflict for a person to
resolve (`yici hub conflicts`). Taking in the same branch again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from forms.i18n import tr
from forms.store import DELIVERED, AuditEntry, NotFound, Record, Revision, Store, StoreError, timestamp
from sync.hub_client import HubProblem, call, checked
from sync.hub_pull import token_of

PAGE = 500
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class HandoverReport:
    """What a handover took in."""

    branch: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    files: int = 0  # files downloaded
    conflicts: list[str] = field(default_factory=list)  # uuids whose history differs here
    warnings: list[str] = field(default_factory=list)


def _detail(note: str) -> dict:
    try:
        value = json.loads(note) if note.startswith("{") else None
    except ValueError:
        value = None
    return value if isinstance(value, dict) else ({"note": note} if note else {})


class _Handover:
    def __init__(self, store: Store, http: Any, operator: str):
        self.store, self.http, self.operator = store, http, operator
        target = store.hub_target()
        if target is None:
            raise HubProblem(tr("本机还没有加入乡镇平台：请先运行 `yici hub join 地址 --code 登记码`。"))
        self.target = target
        self.token = token_of(store, target)
        self.ca_file = target.options.get("ca_file") or None

    def get(self, path: str, **kwargs: Any) -> Any:
        return call(self.http, "GET", self.target.url or "", path, token=self.token, ca_file=self.ca_file,
                    **kwargs)  # fmt: skip

    def revisions(self, uid: str) -> OrderedDict[str, list[dict]]:
        """The branch's revisions from the hub, grouped by record, oldest first."""
        found: OrderedDict[str, list[dict]] = OrderedDict()
        since = 0
        while True:
            body = checked(
                self.get("/records", params={"branch": uid, "since": since, "limit": PAGE}), what=tr("交接")
            )
            for shape in body.get("revisions") or []:
                found.setdefault(str(shape.get("uuid")), []).append(shape)
            since = int(body.get("cursor") or 0)
            if not body.get("more"):
                return found

    def fetch(self, sha: str, folder: str) -> str:
        """Download a file into `folder`, checked against its SHA-256; its path."""
        if not _SHA256.match(sha):
            raise HubProblem(tr("乡镇平台给出的附件编号不是 SHA-256，没有下载"))
        answer = self.get(f"/attachments/{sha}", stream=True)
        if answer.status_code != 200:
            checked(answer, what=tr("下载附件"))
            raise HubProblem(tr("乡镇平台没有给出附件 {sha}").format(sha=sha[:12]))
        path, digest = os.path.join(folder, sha), hashlib.sha256()
        with open(path, "wb") as out:
            for chunk in answer.iter_content(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha:
            raise HubProblem(
                tr("从乡镇平台下载的附件 {sha} 与它的 SHA-256 不符，没有导入").format(sha=sha[:12])
            )
        return path

    def form_known(self, shape: dict) -> bool:
        """Remember the form version the record was entered with (from the hub's copy)."""
        form_id, version = str(shape["form_id"]), int(shape["form_version"])
        if self.store.stored_form_source(form_id, version) is not None:
            return True
        from forms.catalog import Catalog, UnknownForm
        from forms.loader import FormProblem, parse_form

        try:
            if shape.get("form_source"):
                form = parse_form(str(shape["form_source"]), f"<{form_id} v{version}>")
            else:
                form = Catalog(self.store.data_dir).get(form_id, version)
        except (FormProblem, UnknownForm):
            return False
        self.store.remember_form(form)
        return True

    def take_in(self, chain: list[dict], branch_id: int, report: HandoverReport, folder: str) -> None:
        """One record: added, brought up to the hub's revision, or kept as a conflict."""
        chain.sort(key=lambda s: int(s["revision"]))
        uuid = str(chain[0]["uuid"])
        if [int(s["revision"]) for s in chain] != list(range(1, len(chain) + 1)):
            report.warnings.append(tr("记录 {uuid} 在乡镇平台上的版本不连续，没有导入").format(uuid=uuid[:8]))
            return
        if not self.form_known(chain[0]):
            report.warnings.append(tr("记录 {uuid} 的表单本机没有，没有导入").format(uuid=uuid[:8]))
            return
        finals = [s for s in chain if s["status"] == "final"]
        last = chain[-1]
        here = self.store.record_here(uuid)
        if here is not None:
            history = self.store.history(uuid)
            if not self._same_history(here, history, finals):
                ours = self.store.hub_revision(uuid, here.revision) or {}
                if here.status == "final" and (ours.get("revision"), ours.get("data")) != (
                    last["revision"],
                    last["data"],
                ):
                    self.store.keep_hub_conflict(uuid, here.revision, self.target.id, last)
                    report.conflicts.append(uuid)
                else:
                    report.unchanged += 1
                return
            if len(history) >= len(finals):  # the hub has nothing this laptop lacks
                report.unchanged += 1
                return
            if here.status == "void":  # voided here: a later final revision must not undo that
                report.warnings.append(
                    tr("记录 {uuid} 在本机已作废，乡镇平台上有它之后的更正，没有导入").format(uuid=uuid[:8])
                )
                report.unchanged += 1
                return
        files = {a["sha256"]: a["name"] for s in chain for a in s.get("attachments") or []}
        if not all(isinstance(sha, str) and _SHA256.match(sha) for sha in files):
            # A file here is named by its SHA-256: anything else could name a path anywhere.
            report.warnings.append(tr("记录 {uuid} 的附件编号不是 SHA-256，没有导入").format(uuid=uuid[:8]))
            return
        paths = {}
        for sha in files:
            try:
                self.store.attachment_path(sha)
                paths[sha] = ""  # already here
            except NotFound:
                paths[sha] = self.fetch(sha, folder)
                report.files += 1
        record = self._record(chain, finals, branch_id)
        revisions = [
            Revision(uuid, int(s["revision"]), "final", s["data"], s.get("operator") or "",
                     s.get("finalized_at") or "", "")
            for s in finals
        ]  # fmt: skip
        with self.store.transaction():
            outcome = self.store.merge_record(record, revisions)
            for sha, name in files.items():
                self.store.merge_attachment(uuid, sha, name, paths[sha] or self.store.attachment_path(sha))
            for shape in chain:
                for entry in shape.get("audit") or []:
                    self.store.merge_audit(
                        AuditEntry(0, entry["at"], entry.get("operator") or "", entry["action"], uuid,
                                   int(shape["revision"]), _detail(entry.get("note") or ""))
                    )  # fmt: skip
            if record.status == "final":
                self.store.merge_delivery_fact(
                    uuid, record.revision, self.target.id, DELIVERED,
                    message=tr("从乡镇平台接收（交接），无需发回"),
                    remote_id=f"{uuid}:{last['revision']}", delivered_at=timestamp(),
                )  # fmt: skip
        report.added += outcome == "added"
        report.updated += outcome == "updated"
        report.unchanged += outcome == "unchanged"

    def _same_history(self, here: Record, history: list[Revision], finals: list[dict]) -> bool:
        """Do this laptop's revisions and the hub's agree where both have them (same numbers on
        the hub, same values)? Then one of them is simply ahead of the other."""
        for rev in history[: len(finals)]:
            ours = self.store.hub_revision(here.uuid, rev.revision) or {}
            if ours.get("revision") != rev.revision or rev.data != finals[rev.revision - 1]["data"]:
                return False
        return True

    @staticmethod
    def _record(chain: list[dict], finals: list[dict], branch_id: int) -> Record:
        first, last = chain[0], chain[-1]
        newest = finals[-1] if finals else first
        void = last["status"] == "void"
        return Record(
            str(first["uuid"]), str(first["form_id"]), int(first["form_version"]), branch_id,
            "void" if void else "final", dict(newest["data"]), len(finals), newest.get("operator") or "",
            last.get("occurred_on"), last.get("summary") or "", first.get("finalized_at") or timestamp(),
            last.get("finalized_at") or timestamp(), first.get("finalized_at"),
            last.get("void_reason") if void else None, last.get("finalized_at") if void else None,
        )  # fmt: skip


def handover(store: Store, http: Any, branch: str, operator: str) -> HandoverReport:
    """Take in every record of `branch` (a local name or code) from the hub. HubProblem when the
    hub cannot be asked; StoreError when a record cannot be kept (then that record is left)."""
    found = store.find_branch(branch)
    if found is None or not found.hub_uid:
        raise HubProblem(
            tr(
                "本机没有乡镇平台上的支部“{branch}”：请运行 `yici hub pull`，或请乡镇管理员把它加给这台电脑。"
            ).format(branch=branch)
        )
    work = _Handover(store, http, operator)
    report = HandoverReport(found.name)
    chains = work.revisions(found.hub_uid)
    with tempfile.TemporaryDirectory(prefix="yici-hub-handover-") as folder:
        for chain in chains.values():
            try:
                work.take_in(chain, found.id, report, folder)
            except StoreError as exc:
                report.warnings.append(f"{str(chain[0].get('uuid'))[:8]}：{exc}")
    if report.added or report.updated:
        detail = {"from": "hub", "branch": found.name, "added": report.added, "updated": report.updated}
        store.add_audit("imported", operator, detail=detail)
    return report


__all__ = ["HandoverReport", "handover"]
