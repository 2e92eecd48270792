"""What the status line and the notice banner say about delivery, read from the store's counts.

`read_state` counts deliveries over enabled targets; `status_of` turns a state into one line and a
level (the dot colour). Plain functions of the counts, so they are tested without a thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

# Status levels, for the dot colour and the notice banner. UNSET: no platform is set up, so
# there is nothing to be green about.
OK, OFFLINE, ATTENTION, BUSY, UNSET = "ok", "offline", "attention", "busy", "unset"


@dataclass
class SyncState:
    """Everything the status line and the notice banner show, read from the store."""

    targets: int = 0
    pending: int = 0
    uncertain: int = 0
    failed: int = 0
    awaiting_upload: int = 0
    awaiting_entry: int = 0  # to be typed into a platform by hand (kind `copy`)
    conflicts: int = 0  # records another laptop corrected too: the hub refused ours
    attention: list[tuple[str, str]] = field(default_factory=list)  # (target name, why)
    offline: bool = False
    running: bool = False
    other_process: bool = False  # another Yici was syncing this data folder
    error: str | None = None  # the last run broke unexpectedly

    @property
    def needs_person(self) -> bool:
        """Something only a person can settle: a stopped target, uncertain or failed sends."""
        return bool(
            self.attention
            or self.uncertain
            or self.failed
            or self.awaiting_upload
            or self.awaiting_entry
            or self.error
            or self.conflicts
        )

    @property
    def other_failures(self) -> int:
        """Failed deliveries that are not a conflict with the hub (those have their own words)."""
        return max(0, self.failed - self.conflicts)


def read_state(store) -> SyncState:
    """Counts over enabled targets (removed and disabled ones do not worry anyone)."""
    targets = [t for t in store.targets() if t.enabled]
    names = {t.name for t in targets}
    counts = {name: c for name, c in store.delivery_counts().items() if name in names}
    total = lambda state: sum(c.get(state, 0) for c in counts.values())  # noqa: E731
    return SyncState(
        targets=len(targets),
        pending=total("pending") + total("sending"),
        uncertain=total("uncertain"),
        failed=total("failed"),
        awaiting_upload=total("awaiting_upload"),
        awaiting_entry=total("awaiting_entry"),
        attention=[(t.name, t.attention) for t in targets if t.attention],
        conflicts=len(store.hub_conflicts()) if store.hub_target() is not None else 0,
    )


def status_of(state: SyncState) -> tuple[str, str]:
    """(one line for the status bar, level) for a state; the most urgent thing wins."""
    # Written out in full each time: lupdate only finds literal translate() calls.
    pending = (
        QCoreApplication.translate("SyncController", "{n} 条待发送").format(n=state.pending)
        if state.pending
        else ""
    )
    with_pending = lambda text: f"{text} · {pending}" if pending else text  # noqa: E731
    if not state.targets:  # a run with nothing to send is not worth a "正在同步…" flash
        return QCoreApplication.translate("SyncController", "未配置推送平台"), UNSET
    if state.running:
        return QCoreApplication.translate("SyncController", "正在同步…"), BUSY
    if state.error:
        text = QCoreApplication.translate("SyncController", "同步出错：{error}")
        return with_pending(text.format(error=state.error)), ATTENTION
    if state.attention:
        names = "、".join(name for name, _ in state.attention)
        text = QCoreApplication.translate("SyncController", "需要处理：{names}")
        return with_pending(text.format(names=names)), ATTENTION
    if state.conflicts:
        text = QCoreApplication.translate("SyncController", "{n} 条记录与乡镇平台冲突，请处理")
        return with_pending(text.format(n=state.conflicts)), ATTENTION
    if state.uncertain:
        text = QCoreApplication.translate("SyncController", "{n} 条可能已发送，请确认")
        return text.format(n=state.uncertain), ATTENTION
    if state.other_failures:
        text = QCoreApplication.translate("SyncController", "{n} 条发送失败，请查看")
        return with_pending(text.format(n=state.other_failures)), ATTENTION
    if state.other_process:
        text = QCoreApplication.translate("SyncController", "另一个 Yici 正在同步此数据文件夹")
        return with_pending(text), BUSY
    if state.offline:
        if pending:
            text = QCoreApplication.translate("SyncController", "离线 · {pending}")
            return text.format(pending=pending), OFFLINE
        return QCoreApplication.translate("SyncController", "离线"), OFFLINE
    if state.awaiting_upload:
        text = QCoreApplication.translate("SyncController", "{n} 条待上传导入文件")
        return with_pending(text.format(n=state.awaiting_upload)), ATTENTION
    if state.awaiting_entry:
        text = QCoreApplication.translate("SyncController", "{n} 条待录入")
        return with_pending(text.format(n=state.awaiting_entry)), ATTENTION
    if state.pending:
        return pending, OK
    return QCoreApplication.translate("SyncController", "全部已送达"), OK
