"""Adding or changing one target: name, kind, address, which forms and branches, template, options.

Secrets are not entered here: they go to the system keyring through `SecretDialog`
(secret_dialog.py), so nothing in this form is ever a token or a webhook address with a key in it.
What each kind's options mean comes from target_options.py.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.checklist import checked_values, checklist
from desktop.long_option import LongOptionEditor, long_option
from desktop.option_table import OptionTable
from desktop.questions import ask
from desktop.target_options import (
    ERROR_COLOR,
    OK_COLOR,
    OPTION_HINTS,
    TEMPLATE_HINTS,
    translated,
)
from desktop.target_work import tidy_keyring
from desktop.window_size import fit_window
from desktop.words import kind_title
from forms import target_kinds
from forms.secrecy import plain_http_origins
from forms.store import Target, secret_problems
from forms.store.target_guards import origins_of
from forms.target_kinds import TargetConfig
from sync.kinds import JOINED_KINDS, KIND_TITLES, KINDS
from sync.messages import check_template


class TargetForm(QDialog):
    """Add a target (`target=None`) or edit one; `saved_target` holds the result after saving."""

    def __init__(self, session, target=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.target = target
        self.saved_target: Target | None = None
        self.queued = 0
        self.setWindowTitle(
            self.tr("添加推送平台")
            if target is None
            else self.tr("修改推送平台 — {name}").format(name=target.name)
        )

        self.name = QLineEdit(target.name if target else "")
        self.name.setPlaceholderText(self.tr("如：县党建云平台、支部工作群"))
        self.kind = QComboBox()
        for kind in KIND_TITLES:
            if kind not in JOINED_KINDS or (target is not None and target.kind == kind):
                self.kind.addItem(kind_title(kind), kind)
        if target is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(target.kind)))
            self.kind.setEnabled(False)  # a target's kind is fixed; make a new target instead
            self.kind.setToolTip(self.tr("平台类型不能修改；如需更换，请新建一个平台。"))
        self.url = QLineEdit(target.url or "" if target else "")
        self.url.setPlaceholderText("https://平台地址/api/records")
        self.enabled = QCheckBox(self.tr("启用（取消勾选则暂停向这个平台推送）"))
        self.enabled.setChecked(target.enabled if target else True)

        forms = [(f.id, f"{f.title}（{f.id}）") for f in session.catalog.all()]
        known = {value for value, _ in forms}
        forms += [(f, f) for f in (target.forms if target else []) if f not in known]
        self.forms = checklist(forms, set(target.forms) if target else set())
        branches = [(b.name, b.name) for b in session.store.branches()]
        known = {value for value, _ in branches}
        branches += [(b, b) for b in (target.branches if target else []) if b not in known]
        self.branches = checklist(branches, set(target.branches) if target else set())

        self.template = QPlainTextEdit(target.template or "" if target else "")
        self.template.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.template.setMinimumHeight(90)
        self.template_hint = QLabel()
        self.template_hint.setWordWrap(True)
        self.template_hint.setObjectName("hint")
        self.check_button = QPushButton(self.tr("检查模板"))
        self.check_button.clicked.connect(self.check_template)
        self.template_result = QLabel()
        self.template_result.setWordWrap(True)

        # A recipe or a field list: too long for a cell, it has an editor of its own.
        self.long_option = LongOptionEditor()
        self.long_option.set_kind(self.current_kind())
        self.long_label = QLabel()
        self.options = OptionTable(self.current_kind)
        self.add_option = QToolButton()
        self.add_option.setText(self.tr("添加选项"))
        self.add_option.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_option.setMenu(QMenu(self.add_option))
        self.remove_option = QPushButton(self.tr("删除选项"))
        self.remove_option.clicked.connect(self.options.remove_selected)
        for key, value in target.options.items() if target else []:
            self.set_option(key, value)

        # Adding or editing alike: final records in the chosen scope this platform has not had
        # (it was added after them, or its scope just grew). The count follows the ticks.
        self.queue_existing = QCheckBox()
        # What the offer covers, wrapped under it: a check box never wraps, and at 特大 in
        # English the whole sentence on it made the window wider than a 1024 screen.
        self.queue_scope = QLabel()
        self.queue_scope.setObjectName("hint")
        self.queue_scope.setWordWrap(True)
        self.missing = 0
        self.forms.itemChanged.connect(self._count_missing)
        self.branches.itemChanged.connect(self._count_missing)
        self._count_missing()

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        self.plain_http = QLabel()  # a warning while the address is plain http
        self.plain_http.setWordWrap(True)
        self.plain_http.setStyleSheet(f"color: {ERROR_COLOR};")
        self.plain_http.hide()
        self.url.textChanged.connect(self._show_plain_http)
        self.options.itemChanged.connect(self._show_plain_http)
        self.long_option.edit.textChanged.connect(self._show_plain_http)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        self.layout_ = form = QFormLayout()
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("接口地址"), self.url)
        form.addRow("", self.plain_http)
        form.addRow("", self.enabled)
        scope = QHBoxLayout()
        for title, widget in (
            (self.tr("表单（都不勾选 = 全部表单）"), self.forms),
            (self.tr("支部（都不勾选 = 全部支部）"), self.branches),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(widget)
            scope.addLayout(column)
        form.addRow(self.tr("范围"), scope)
        template_box = QVBoxLayout()
        template_box.addWidget(self.template_hint)
        template_box.addWidget(self.template)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.template_result, 1)
        template_box.addLayout(check_row)
        self._template_row = form.rowCount()
        form.addRow(self.tr("模板"), template_box)
        form.addRow(self.long_label, self.long_option)
        options_box = QVBoxLayout()
        options_box.addWidget(self.options)
        option_buttons = QHBoxLayout()
        option_buttons.addWidget(self.add_option)
        option_buttons.addWidget(self.remove_option)
        option_buttons.addStretch(1)
        options_box.addLayout(option_buttons)
        form.addRow(self.tr("选项"), options_box)
        box = QVBoxLayout(self)
        box.addLayout(form)
        queue_row = QHBoxLayout()
        queue_row.addWidget(self.queue_existing)
        queue_row.addWidget(self.queue_scope, 1)
        box.addLayout(queue_row)
        box.addWidget(self.error)
        box.addWidget(buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._show_plain_http()
        fit_window(self, "target-form", 760, 720)

    # -- pieces -----------------------------------------------------------------------------------
    def current_kind(self) -> str:
        """The chosen kind ('rest', 'dingtalk', …)."""
        return self.kind.currentData()

    def _count_missing(self, *_args) -> None:
        try:
            self.missing = self.session.store.missing_finals(
                self.target.id if self.target is not None else None,
                checked_values(self.forms),
                checked_values(self.branches),
            )
        except Exception:  # noqa: BLE001 - only an offer on a checkbox
            self.missing = 0
        self.queue_existing.setText(self.tr("同时推送已定稿的 {n} 条记录").format(n=self.missing))
        self.queue_scope.setText(
            self.tr("按上面的表单和支部范围。")
            if self.target is None
            else self.tr("这个平台还没有收到它们；按上面的表单和支部范围。")
        )
        self.queue_existing.setVisible(self.missing > 0)
        self.queue_scope.setVisible(self.missing > 0)

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.layout_.setRowVisible(self.url, kind == "rest")
        has_template = kind in TEMPLATE_HINTS
        self.layout_.setRowVisible(self._template_row, has_template)
        self.template_hint.setText(translated(TEMPLATE_HINTS.get(kind, "")))
        self.long_option.set_kind(kind)
        self.long_label.setText(self.tr("配方") if kind == "browser" else self.tr("字段"))
        self.layout_.setRowVisible(self.long_option, long_option(kind) is not None)
        menu = self.add_option.menu()
        menu.clear()
        for key, hint in OPTION_HINTS.get(kind, []):
            if key == long_option(kind):
                continue
            hint = translated(hint)
            action = menu.addAction(f"{key} — {hint[:28]}{'…' if len(hint) > 28 else ''}")
            action.triggered.connect(lambda _=False, k=key: self.add_option_row(k))
        menu.addSeparator()
        menu.addAction(self.tr("其他选项…")).triggered.connect(lambda: self.add_option_row(""))
        self.options.show_hints()

    def set_option(self, key: str, value: str) -> None:
        """Set an option (a row, added when the key is new; the long option in its editor)."""
        if key == long_option(self.current_kind()):
            self.long_option.set_text(value)
        else:
            self.options.set_option(key, value)

    def add_option_row(self, key: str = "") -> int:
        """Add an option row for `key` (empty: the person types the name); its row number."""
        return self.options.add_row(key)

    def option_values(self) -> dict[str, str]:
        """The options as typed (rows without a name are left out)."""
        key, text = long_option(self.current_kind()), self.long_option.text()
        return {**self.options.values(), **({key: text} if key and text else {})}

    def _addresses(self) -> list[str]:
        """Where this platform's records and secrets would go, as typed."""
        kind = self.current_kind()
        if kind == "rest":
            return [self.url.text().strip()]
        if kind != "browser":
            return []
        return KINDS[kind].addresses(TargetConfig(0, "", kind, options=self.option_values()))

    def _show_plain_http(self, *_args) -> None:
        plain = plain_http_origins(self._addresses())
        allowed = target_kinds.allows_plain_http(self.option_values())
        self.plain_http.setText(
            self.tr("⚠ 已允许明文 http：记录和密钥在网络上不加密传输，只应在县内网等可信网络中使用。")
            if allowed
            else self.tr(
                "⚠ 明文 http：记录和令牌会在网络上不加密传输。请改用 https://；"
                "如果这个平台只有 http（如县内网），请添加选项 allow_plain_http，值填“是”。"
            )
        )
        self.layout_.setRowVisible(self.plain_http, bool(plain))

    def check_template(self) -> bool:
        """Compile the template; show the problem or that it is fine."""
        problem = check_template(self.template.toPlainText().strip() or None)
        if problem:
            self.template_result.setText(f'<span style="color:{ERROR_COLOR}">✖ {problem}</span>')
        else:
            self.template_result.setText(f'<span style="color:{OK_COLOR}">✔ {self.tr("模板没有问题")}</span>')
        return problem is None

    # -- saving -----------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """What stops saving, in Chinese."""
        problems = []
        kind = self.current_kind()
        if not self.name.text().strip():
            problems.append(self.tr("请填写平台名称。"))
        url = self.url.text().strip()
        if kind == "rest" and not url.lower().startswith(("https://", "http://")):
            problems.append(self.tr("请填写接口地址，以 https:// 开头。"))
        options = self.option_values()
        if plain_http_origins(self._addresses()) and not target_kinds.allows_plain_http(options):
            problems.append(
                self.tr(
                    "配方中的网址必须用 https://，以免账号和密码在网络上明文传输；"
                    "如果这个平台只有 http（如县内网），请添加选项 allow_plain_http，值填“是”。"
                )
                if kind == "browser"
                else self.tr(
                    "接口地址必须用 https://，以免记录和令牌在网络上明文传输；"
                    "如果这个平台只有 http（如县内网），请添加选项 allow_plain_http，值填“是”。"
                )
            )
        # The one check of option names and values (the command line and profiles use it too);
        # the long option's problems are listed under its editor, line by line.
        key = long_option(kind)
        problems += target_kinds.option_problems(kind, {k: v for k, v in options.items() if k != key})
        if key and self.long_option.check():
            problems.append(
                self.tr("{what}有错误，请按上面列出的行改正。").format(what=self.long_label.text())
            )
        keys = self.options.names()
        if len(keys) != len(set(keys)):
            problems.append(self.tr("有重复的选项名，请删掉多余的一行。"))
        if kind in TEMPLATE_HINTS and not self.check_template():
            problems.append(self.tr("模板有错误，请先改正（见模板下方的说明）。"))
        if kind == "xlsx" and not self.option_values().get("folder"):
            problems.append(self.tr("Excel 导入文件需要导出文件夹：请添加选项 folder。"))
        # A token in the address or the options would be stored in plain text: keyring only.
        problems += secret_problems(url if kind == "rest" else None, self.option_values())
        return problems

    def save(self) -> bool:
        """Check and save; the dialog closes on success, otherwise it says what to fix."""
        problems = self.problems()
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return False
        kind = self.current_kind()
        fields = dict(
            url=self.url.text().strip() if kind == "rest" else None,
            forms=checked_values(self.forms),
            branches=checked_values(self.branches),
            template=(self.template.toPlainText().strip() or None) if kind in TEMPLATE_HINTS else None,
            options=self.option_values(),
            enabled=self.enabled.isChecked(),
        )
        store = self.session.store
        try:
            if self.target is None:
                added = self.saved_target = store.add_target(self.name.text().strip(), kind, **fields)
                if not self.queue_existing.isHidden() and self.queue_existing.isChecked():
                    self.queued = store.queue_existing(added.id, self.session.operator_or_login())
            else:
                if self._moves(fields) and not ask(
                    self,
                    self.tr("发送地址改变"),
                    self.tr(
                        "发送地址将从 {before} 改为 {after}。为安全起见，为原地址保存的密钥会被删除，"
                        "保存后需要重新填写密钥，在此之前这个平台暂停发送。确定保存吗？"
                    ).format(
                        before=origins_of(self.target.config()) or self.tr("（无）"),
                        after=self._origins_after(fields) or self.tr("（无）"),
                    ),
                ):
                    return False
                self.saved_target = store.update_target(
                    self.target.id, name=self.name.text().strip(), **fields
                )
                if not self.queue_existing.isHidden() and self.queue_existing.isChecked():
                    self.queued = store.queue_existing(self.target.id, self.session.operator_or_login())
                if self.saved_target.uid != self.target.uid:
                    tidy_keyring(store)  # the secrets made for the old address
        except Exception as exc:  # noqa: BLE001 - NotAllowed (a duplicate name...) is for the user
            self.error.setText(str(exc).split(" / ")[0])
            self.error.show()
            return False
        self.accept()
        return True

    def _origins_after(self, fields: dict) -> str | None:
        assert self.target is not None
        config = replace(self.target.config(), url=fields["url"], options=dict(fields["options"]))
        return origins_of(config)

    def _moves(self, fields: dict) -> bool:
        """Does saving change where this target (which has secrets) sends?"""
        if self.target is None:
            return False
        # As it is now: a secret may have been entered since this form was opened.
        if not self.session.store.target(self.target.id).secret_origin:
            return False
        return origins_of(self.target.config()) != self._origins_after(fields)
