"""The 文件 menu's data actions: 备份, 从备份恢复, 导出交接文件, 导入交接文件, 导入部署配置.

Each action calls the same core function as its command (`yici backup`, `restore`, `export`,
`import`, `profile import`: forms/store/backups.py, forms/recovery.py, forms/handover.py,
forms/profile.py) on a thread of its own (desktop/operations.py: progress after 600 ms), then
says plainly what was done (file name, counts, where it is) or, for a refusal, what was wrong and
what to do next. Imports show what the file holds and what will change before anything changes;
the command line's `--accept-changes` is a question here. Restoring lives in restore_dialog.py;
how outcomes are told and questions asked, in file_results.py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop import errors
from desktop.file_chooser import open_file, save_file
from desktop.file_results import confirm, counts_line, explain, file_size, local_time, tell
from desktop.operations import Operation, run_in_background

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from desktop.main_window import MainWindow

log = logging.getLogger("yici.file_menu")


class FileMenu(QObject):
    """The data actions of a main window's 文件 menu, and the dialogs they lead to."""

    @property
    def window(self) -> MainWindow:
        # The window is the parent: no Python reference to it here, which would be a cycle the
        # garbage collector breaks at any moment, deleting the window while Qt still uses it.
        return cast("MainWindow", self.parent())

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.shown: QMessageBox | None = None  # the last result or refusal shown
        self.operation: Operation | None = None  # the work under way, if any
        self.restore_dialog: QDialog | None = None  # 从备份恢复's list, while it is open
        self.backup_action = self._action(
            self.tr("备份(&K)"), self.backup, self.tr("立即把数据备份一份到 backups 文件夹")
        )
        self.restore_action = self._action(
            self.tr("从备份恢复(&E)…"), self.restore, self.tr("用以前的备份替换现在的数据")
        )
        self.export_action = self._action(
            self.tr("导出交接文件(&X)…"),
            self.export_handover,
            self.tr("把全部数据导出为一个文件，用于换电脑或工作交接"),
        )
        self.import_action = self._action(
            self.tr("导入交接文件(&I)…"),
            self.import_handover,
            self.tr("把另一台电脑导出的交接文件合并到本机"),
        )
        self.profile_action = self._action(
            self.tr("导入部署配置(&P)…"), self.import_profile, self.tr("导入县里下发的支部、平台和表单设置")
        )

    def handover_counts(self, counts: dict) -> str:
        """What a handover file holds, from its counts (an export's summary or a file's manifest)."""
        return (
            self.tr(
                "支部 %1 个，名册 %2 人，记录 %3 条（已定稿 %4 条），附件 %5 个，自装表单 %6 个，平台 %7 个。"
            )
            .replace("%1", str(counts.get("branches", "?")))
            .replace("%2", str(counts.get("members", "?")))
            .replace("%3", str(counts.get("records", "?")))
            .replace("%4", str(counts.get("final", "?")))
            .replace("%5", str(counts.get("attachments", "?")))
            .replace("%6", str(counts.get("forms", "?")))
            .replace("%7", str(counts.get("targets", "?")))
        )

    def _action(self, text: str, slot, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_to(self, menu: QMenu, before: QAction | None = None) -> None:
        """Put the actions into `menu` (before `before`), between separators."""
        actions = [self.backup_action, self.restore_action, None, self.export_action, self.import_action]
        for action in [None, *actions, None, self.profile_action]:
            if action is None:
                separator = QAction(self.window)
                separator.setSeparator(True)
                action = separator
            menu.insertAction(before, action) if before is not None else menu.addAction(action)

    # -- helpers -----------------------------------------------------------------------
    @property
    def session(self):
        return self.window.session

    def run(
        self, work, *data: Any, success, progress: str, name: str, store: Any = None, failure=None
    ) -> None:
        """`work` off the main thread (desktop/operations.py); a refusal is told plainly."""
        self.operation = run_in_background(
            self.window,
            work,
            *data,
            store=store,
            success=success,
            failure=failure or self.failed,
            progress=progress,
            name=name,
        )

    def show(self, title: str, text: str, *, problem: bool = False) -> QMessageBox:
        """Show a plain result or refusal (not blocking) and remember it."""
        if self.shown is not None and shiboken6.isValid(self.shown):
            self.shown.deleteLater()  # read and closed by now, or replaced by this one
        self.shown = tell(self.window, title, text, problem=problem)
        return self.shown

    def failed(self, exc: BaseException, title: str | None = None) -> None:
        """A refusal in plain words; an unexpected error goes to the error dialog."""
        text = explain(exc)
        if text is None:
            errors.show_error(self.window, exc)
            return
        self.show(title or self.tr("没有完成"), text, problem=True)

    def _open_file(self, title: str, filter_: str) -> Path | None:
        return open_file(self.window, title, Path.home(), filter_)

    def reload_window(self) -> None:
        """Show the data again after it changed underneath (forms, branches, platforms)."""
        self.session.catalog.reload()
        self.window.attach(self.session)

    # -- 备份 ----------------------------------------------------------------------------
    def backup(self) -> None:
        """文件 → 备份: a manual backup into the data folder's backups folder."""
        from forms.store import manual_backup

        if self.session is None:
            return
        self.run(
            manual_backup,
            success=self._backed_up,
            progress=self.tr("正在备份数据……"),
            name="backup",
            store=self.session.store,
        )

    def _backed_up(self, path: Path) -> None:
        self.show(
            self.tr("备份完成"),
            self.tr("已备份数据。\n文件：%1（%2）\n位置：%3\n\n需要时可用“文件 → 从备份恢复”找回这份数据。")
            .replace("%1", path.name)
            .replace("%2", file_size(path.stat().st_size))
            .replace("%3", str(path.parent)),
        )

    # -- 从备份恢复 ----------------------------------------------------------------------
    def restore(self) -> None:
        """文件 → 从备份恢复…: pick a backup (desktop/restore_flow.py does the rest)."""
        from desktop.restore_dialog import start_restore

        if self.session is not None:
            start_restore(self)

    # -- 导出交接文件 ----------------------------------------------------------------------
    def export_handover(self) -> None:
        """文件 → 导出交接文件…: everything (no secrets) in one zip for another laptop."""
        from desktop.data_key import handover_passphrase
        from forms.handover import export_all
        from forms.store.times import file_stamp

        if self.session is None:
            return
        suggested = Path.home() / f"yici-export-{file_stamp()}.zip"
        chosen = save_file(self.window, self.tr("导出交接文件"), suggested, self.tr("交接文件 (*.zip)"))
        if chosen is None:
            return
        path = chosen if chosen.name.lower().endswith(".zip") else chosen.with_name(chosen.name + ".zip")
        passphrase = handover_passphrase(self.window, new=True)
        if passphrase is None:
            return
        self.run(
            export_all,
            path,
            passphrase,
            success=self._exported,
            progress=self.tr("正在导出全部数据……"),
            name="export",
            store=self.session.store,
        )

    def _exported(self, summary) -> None:
        self.show(
            self.tr("导出完成"),
            self.tr(
                "已导出全部数据。\n文件：%1（%2）\n位置：%3\n\n%4\n\n"
                "文件已用你设置的口令加密，不含密钥。请把口令另外告诉接收的人（不要和文件放在一起）。"
                "在新电脑上用“文件 → 导入交接文件”导入。"
            )
            .replace("%1", summary.path.name)
            .replace("%2", file_size(summary.path.stat().st_size))
            .replace("%3", str(summary.path.parent))
            .replace("%4", self.handover_counts(summary.counts)),
        )

    # -- 导入交接文件 ----------------------------------------------------------------------
    def import_handover(self) -> None:
        """文件 → 导入交接文件…: what the file holds first, then (if the person agrees) merge it."""
        from forms.handover_file import read_manifest

        if self.session is None:
            return
        path = self._open_file(self.tr("导入交接文件"), self.tr("交接文件 (*.zip)"))
        if path is None:
            return
        self.run(
            read_manifest,
            path,
            success=lambda manifest: self._confirm_import(path, manifest),
            progress=self.tr("正在读取交接文件……"),
            name="read-handover",
        )

    def _confirm_import(self, path: Path, manifest: dict) -> None:
        from desktop.data_key import handover_passphrase

        holds = self.handover_counts(manifest.get("counts") or {})
        text = (
            self.tr("文件：%1\n导出时间：%2（一次 %3）\n其中有：%4")
            .replace("%1", path.name)
            .replace("%2", local_time(manifest.get("exported_at")))
            .replace("%3", str(manifest.get("app_version", "?")))
            .replace("%4", holds)
        )
        what_happens = self.tr(
            "导入会把这些数据合并到本机：本机已有的不会重复，原电脑上已送达的记录不会再次发送，"
            "新的推送平台要核对并录入密钥后才会推送。导入前会先自动备份本机数据。"
        )
        if not confirm(self.window, self.tr("导入交接文件"), text, self.tr("导入"), what_happens):
            return
        operator = self.session.operator_or_login()
        passphrase = handover_passphrase(self.window, new=False) if manifest.get("cipher") else ""
        if passphrase is None:
            return
        self.run(
            _import_handover,
            path,
            operator,
            passphrase,
            success=lambda result: self._imported(path, result),
            progress=self.tr("正在导入交接文件……"),
            name="import",
            store=self.session,
        )

    def _imported(self, path: Path, result) -> None:
        summary, secrets = result
        self.reload_window()
        if summary.changed:
            lines = [self.tr("已导入 %1。").replace("%1", path.name)]
            if summary.added:
                lines.append(self.tr("新增：%1").replace("%1", counts_line(summary.added)))
            if summary.updated:
                lines.append(self.tr("更新：%1").replace("%1", counts_line(summary.updated)))
            lines.append(self.tr("导入前的数据已备份在 backups 文件夹中。"))
        else:
            lines = [self.tr("没有变化：%1 中的数据本机都已经有了。").replace("%1", path.name)]
        lines += [self.tr("注意：%1").replace("%1", warning) for warning in summary.warnings]
        lines += self._secret_lines(secrets)
        self.show(self.tr("导入交接文件"), "\n".join(lines))

    def _secret_lines(self, secrets: list[tuple[str, list[str]]]) -> list[str]:
        if not secrets:
            return []
        names = "\n".join(f"· {target}：{'、'.join(names)}" for target, names in secrets)
        return [
            "",
            self.tr(
                "下面的推送平台还需要核对并录入密钥（文件中不含密钥），录入前记录会保存在本机等待发送：\n%1\n"
                "请在“设置 → 推送平台”里选中平台，点“填写密钥…”。"
            ).replace("%1", names),
        ]

    # -- 导入部署配置 ----------------------------------------------------------------------
    def import_profile(self) -> None:
        """文件 → 导入部署配置…: read and check the file, show what it sets and what it would
        change in existing platforms, and import only once the person agreed."""
        if self.session is None:
            return
        path = self._open_file(self.tr("导入部署配置"), self.tr("部署配置 (*.yaml *.yml)"))
        if path is None:
            return
        self.run(
            _read_profile,
            path,
            success=lambda read: self._confirm_profile(path, *read),
            progress=self.tr("正在读取部署配置……"),
            name="read-profile",
            store=self.session.store,
        )

    def _confirm_profile(self, path: Path, profile, changes: list) -> None:
        holds = (
            self.tr("支部 %1 个，推送平台 %2 个，表单 %3 个，设置 %4 项。")
            .replace("%1", str(len(profile.branches)))
            .replace("%2", str(len(profile.targets)))
            .replace("%3", str(len(profile.forms)))
            .replace("%4", str(len(profile.settings)))
        )
        text = self.tr("文件：%1\n其中有：%2").replace("%1", path.name).replace("%2", holds)
        if changes:
            details = self.tr(
                "这个配置文件会修改本机已有的平台：\n%1\n\n确认要按配置文件修改吗？选“取消”则什么都不导入。"
            )
            details = details.replace("%1", "\n".join(f"· {change}" for change in changes))
            yes = self.tr("修改并导入")
        else:
            details = self.tr(
                "已有的支部、名册和平台只会补充，不会删除；本机自己选的设置（姓名、字号）保持不变。"
            )
            yes = self.tr("导入")
        if not confirm(self.window, self.tr("导入部署配置"), text, yes, details):
            return
        self.run(
            _import_profile,
            profile,
            bool(changes),
            success=lambda report: self._profile_imported(path, report),
            progress=self.tr("正在导入部署配置……"),
            name="import-profile",
            store=self.session,
        )

    def _profile_imported(self, path: Path, report) -> None:
        self.reload_window()
        if report.changed:
            lines = [self.tr("已导入部署配置：%1").replace("%1", path.name)]
            lines += [self.tr("新增：%1").replace("%1", label) for label in report.added]
            lines += [self.tr("更新：%1").replace("%1", label) for label in report.updated]
        else:
            lines = [
                self.tr("没有变化：%1 中的 %2 项与本机一致。")
                .replace("%1", path.name)
                .replace("%2", str(len(report.unchanged)))
            ]
        lines += self._secret_lines(report.secrets)
        self.show(self.tr("导入部署配置"), "\n".join(lines))


# -- the work, on its own thread: the core functions the commands call ----------------------


def _import_handover(session, path: Path, operator: str, passphrase: str):
    """`yici import`'s work: merge the file; which new platforms still need secrets."""
    from forms.handover import import_all
    from forms.profile import missing_secrets, secrets_needed

    summary = import_all(session.store, session.catalog, path, operator, passphrase or None)
    secrets = []
    for target in session.store.targets():
        if target.name in summary.new_targets:
            missing = missing_secrets(session.store, target, secrets_needed(session.store, target))
            if missing:
                secrets.append((target.name, missing))
    return summary, secrets


def _read_profile(store, path: Path):
    """The profile read and checked, and the changes it would make to existing platforms."""
    from forms.profile import read_profile, target_changes

    profile = read_profile(path)
    return profile, target_changes(store, profile)


def _import_profile(session, profile, accept_changes: bool):
    """`yici profile import`'s work (with --accept-changes when the person agreed to them)."""
    from desktop.target_work import tidy_keyring
    from forms.profile import import_profile

    report = import_profile(session.store, session.catalog, profile=profile, accept_changes=accept_changes)
    tidy_keyring(session.store)  # secrets made for an address the profile changed
    return report
