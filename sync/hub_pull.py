"""What the township publishes, brought down to the laptop (docs/HUB.md, `GET /api/v1/pull`):
branches (by their hub uid, renames included), rosters (the township's replaces the laptop's),
cadence overrides, forms with their print layouts (installed as `yici forms add` does), and the
non-secret settings of platforms (targets made or updated without secrets: a person enters
those here, and a secret is never overwritten). The cursor is kept after everything was applied,
so a pull cut off anywhere is simply done again.

A pull runs at the start of every sync when the data folder has joined a hub (sync/engine.py);
a failed one is reported and never stops delivery to the other targets. An answer with
`"reset": true` (the hub was restored from a backup) brings everything again, and every record
the hub should have is queued for it once more: the hub says "already" for what it still has.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms import target_kinds
from forms.i18n import tr
from forms.store import NotAllowed, NotFound, Store, StoreError, Target, timestamp
from sync import secret_binding
from sync import secrets as keyring_secrets
from sync.hub_client import TOKEN, HubProblem, call, checked

STATE = "hub_state"  # setting: {"target": uid, "cursor": N, "device_id", "device", "joined_at", "pulled_at"}
_TARGET_FIELDS = ("url", "forms", "branches", "template", "options")


@dataclass
class PullReport:
    """What one pull brought."""

    cursor: int = 0
    reset: bool = False
    branches: list[str] = field(default_factory=list)  # branches (with their rosters) taken in
    forms: list[str] = field(default_factory=list)  # "id v2" installed
    targets: list[str] = field(default_factory=list)  # platforms made or updated from the hub
    requeued: int = 0  # records queued again for the hub after a reset
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One Chinese line for the sync summary."""
        parts = [tr("支部 {n} 个").format(n=len(self.branches))] if self.branches else []
        if self.forms:
            parts.append(tr("表单 {forms}").format(forms="、".join(self.forms)))
        if self.targets:
            parts.append(tr("平台设置 {targets}").format(targets="、".join(self.targets)))
        if self.reset:
            parts.append(tr("乡镇平台从备份恢复过，已重新排队 {n} 条记录").format(n=self.requeued))
        said = tr("已从乡镇平台更新：") + "，".join(parts) if parts else tr("乡镇平台没有新的设置")
        return said + "".join(f"；{w}" for w in self.warnings)


def hub_state(store: Store, target: Target) -> dict:
    """This data folder's memory of its hub (cursor, device): only when it is the current hub
    target's (a state left by an earlier join, or carried by a copy, is not)."""
    state = store.get_setting(STATE) or {}
    return state if isinstance(state, dict) and state.get("target") == target.uid else {"target": target.uid}


def token_of(store: Store, target: Target) -> str:
    """The device token from the keyring, once it may go to this address; HubProblem else."""
    try:
        token = keyring_secrets.get_secret(store, target, TOKEN)
    except keyring_secrets.NoKeyring as exc:
        raise HubProblem(exc.message) from exc
    if not token:
        raise HubProblem(tr("本机没有乡镇平台的令牌：请运行 `yici hub join` 重新加入。"))
    from sync.kinds import kind_for  # here: sync.kinds is what loads the hub kind

    unsafe = secret_binding.sending_problem(target, kind_for("hub"), target.config(), {TOKEN: token})
    if unsafe:
        raise HubProblem(unsafe)
    return token


def pull(store: Store, http: Any, *, catalog: Any = None) -> PullReport | None:
    """Bring down what changed since the last pull; None when this data folder joined no hub.
    Raises HubProblem (a 401 also stops the hub's target: it needs attention)."""
    target = store.hub_target()
    if target is None:
        return None
    token = token_of(store, target)
    state = hub_state(store, target)
    ca_file = target.options.get("ca_file") or None
    try:
        answer = call(http, "GET", target.url or "", "/pull", token=token, ca_file=ca_file,
                      params={"since": int(state.get("cursor") or 0)})  # fmt: skip
        body = checked(answer, what=tr("同步设置"))
    except HubProblem as problem:
        if problem.revoked:
            store.set_target_attention(target.id, problem.message)
        raise
    report = PullReport(cursor=int(body.get("cursor") or 0), reset=bool(body.get("reset")))
    _install_forms(store, catalog, body.get("forms") or [], report)
    with store.transaction():
        for entry in body.get("branches") or []:
            try:
                branch, warnings = store.apply_hub_branch(entry)
            except NotAllowed as exc:
                report.warnings.append(str(exc))
                continue
            report.branches.append(branch.name)
            report.warnings += warnings
        names = store.hub_branch_names([str(u) for u in body.get("branch_uids") or []])
        # No branch named: the filter stays (an empty one would take every branch's records).
        scope_changed = bool(names) and sorted(names) != sorted(target.branches)
        if scope_changed:
            store.update_target(target.id, branches=names)
        for entry in body.get("settings") or []:
            _apply_setting(store, entry, report)
        if report.reset:
            report.requeued = store.hub_send_again(target.id)
        if scope_changed or report.reset:
            # In the same transaction as the new scope and the cursor: a pull cut off after them
            # would never queue these records (the next one sees no change).
            store.queue_existing(target.id)  # records of a branch newly given, or the hub never had
        store.set_setting(STATE, {**state, "cursor": report.cursor, "pulled_at": timestamp()})
    return report


def _install_forms(store: Store, catalog: Any, forms: list, report: PullReport) -> None:
    """Install each published form version (with its print layout) into the data folder."""
    if not forms:
        return
    from forms.catalog import Catalog  # here: reading the library costs only when forms come
    from forms.loader import FormProblem
    from forms.paper.layouts import LayoutProblem

    catalog = catalog or Catalog(store.data_dir)
    with tempfile.TemporaryDirectory(prefix="yici-hub-forms-") as work:
        for entry in forms:
            form_id, version = str(entry.get("id") or ""), entry.get("version")
            if (
                not form_id.replace("-", "").isalnum()
                or not isinstance(version, int)
                or not entry.get("source")
            ):
                report.warnings.append(tr("乡镇平台发来的表单“{id}”不完整，没有安装").format(id=form_id[:40]))
                continue
            path = Path(work) / f"{form_id}-v{version}.yaml"
            path.write_text(str(entry["source"]), encoding="utf-8")
            if entry.get("print_layout"):
                path.with_name(f"{form_id}-v{version}.print.html").write_text(
                    str(entry["print_layout"]), "utf-8"
                )
            try:
                catalog.install(path)
            except (FormProblem, LayoutProblem) as exc:
                first = exc.problems[0] if getattr(exc, "problems", None) else exc
                report.warnings.append(
                    tr("乡镇平台发来的表单 {id} 第{version}版没有安装：{problem}").format(
                        id=form_id, version=version, problem=getattr(first, "message", first)
                    )
                )
                continue
            report.forms.append(f"{form_id} v{version}")


def _apply_setting(store: Store, entry: Any, report: PullReport) -> None:
    """A platform the township configured: made here without secrets, or its settings updated."""
    if not isinstance(entry, dict):
        return
    name, kind = str(entry.get("name") or "").strip(), str(entry.get("kind") or "")
    given = entry.get("settings")
    settings: dict = given if isinstance(given, dict) else {}
    if kind == "hub" or not target_kinds.is_kind(kind):
        report.warnings.append(
            tr("平台“{name}”的类型“{kind}”本机不认识，没有添加").format(name=name, kind=kind)
        )
        return
    wanted = {k: settings[k] for k in _TARGET_FIELDS if k in settings}
    try:
        try:
            here = store.target(name)
        except NotFound:
            store.add_target(name, kind, **wanted)
            report.targets.append(name)
            return
        if here.kind != kind:
            report.warnings.append(
                tr("乡镇平台发布的平台“{name}”与本机同名平台类型不同，没有更改").format(name=name)
            )
            return
        changes = {k: v for k, v in wanted.items() if getattr(here, k) != v}
        if changes:
            store.update_target(here.id, **changes)
            report.targets.append(name)
    except (NotAllowed, StoreError, TypeError) as exc:
        report.warnings.append(tr("平台“{name}”的设置没有采用：{exc}").format(name=name, exc=exc))


def pull_for_sync(store: Store, http: Any) -> tuple[str | None, PullReport | None]:
    """The pull at the start of a sync: a line for the summary and the report (the window reads
    its forms and branches again when they changed); never an exception (a failed pull must not
    keep records from the other platforms)."""
    try:
        report = pull(store, http)
    except HubProblem as problem:
        return tr("从乡镇平台更新设置失败：{message}").format(message=problem.message), None
    except Exception as exc:  # noqa: BLE001 - reported, never in the way of delivery
        import logging

        logging.getLogger("yici.sync").exception("pulling from the hub failed")
        return tr("从乡镇平台更新设置时出错：{error_type}").format(error_type=type(exc).__name__), None
    return (report.line(), report) if report is not None else (None, None)


__all__ = ["PullReport", "STATE", "hub_state", "pull", "pull_for_sync", "token_of"]
