"""A web-form platform on the targets page: its recipe in an editor of its own (read from a UTF-8
file, checked with every problem's line, a click on a problem goes to the line), its account and
password into the keyring only; a copy platform's field list in the same editor; every option of
every kind explained and every secret named in the person's words."""

from __future__ import annotations

import pytest

import desktop.long_option as long_option
from desktop.secret_dialog import SecretDialog
from desktop.target_form import TargetForm
from desktop.target_options import SECRET_LABELS, option_hint, secret_label
from desktop.targets_dialog import TargetsDialog
from sync.kinds import KIND_MODULES, KINDS
from sync.secrets import get_secret
from tests.helpers import keyring_name
from tests.sync.browser_setup import RECIPES

RECIPE = (RECIPES / "standin-check-first.yaml").read_text(encoding="utf-8")


@pytest.fixture
def page(qtbot, session):
    dialog = TargetsDialog(session)
    qtbot.addWidget(dialog)
    return dialog


def web_form(page, name: str = "县党员教育管理系统") -> TargetForm:
    form = page.add_target()
    form.name.setText(name)
    form.kind.setCurrentIndex(form.kind.findData("browser"))
    return form


def test_a_recipe_read_from_a_file_is_saved_as_written(qtbot, session, page, tmp_path, monkeypatch):
    form = web_form(page)
    assert form.kind.currentText() == "网页表单（浏览器自动填写）"
    assert form.long_option.isVisibleTo(form) and form.long_label.text() == "配方"
    assert not form.url.isVisibleTo(form) and not form.template.isVisibleTo(form)
    assert "YAML" in form.long_option.hint.text()
    menu = [a.text() for a in form.add_option.menu().actions()]
    assert any(t.startswith("allow_plain_http") for t in menu)
    assert not any(t.startswith("recipe") for t in menu)  # it has its editor
    path = tmp_path / "县系统配方.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + RECIPE.replace("\n", "\r\n").encode())  # Notepad: BOM, CRLF
    monkeypatch.setattr(long_option, "choose_text_file", lambda *_a: path)
    assert form.long_option.read_from_file()
    assert form.long_option.edit.toPlainText() == RECIPE
    assert "没有发现问题" in form.long_option.result.text()
    form.set_option("allow_plain_http", "是")
    assert form.save(), form.error.text()
    target = session.store.target("县党员教育管理系统")
    assert target.kind == "browser" and target.options == {"recipe": RECIPE, "allow_plain_http": "是"}
    assert "账号" in page.result.text() and "密码" in page.result.text()  # the next step, said

    again = TargetForm(session, target, page)
    qtbot.addWidget(again)
    assert again.long_option.edit.toPlainText() == RECIPE
    assert again.options.names() == ["allow_plain_http"]  # the recipe is not squeezed into a cell


def test_recipe_problems_are_listed_by_line_and_lead_to_it(qtbot, session, page):
    lines = RECIPE.splitlines()
    select = next(n for n, line in enumerate(lines, 1) if "type: select" in line)
    broken = RECIPE.replace("type: select", "type: dropdown").replace("submit: 保存", "submit: ''")
    form = web_form(page)
    form.set_option("recipe", broken)
    form.set_option("allow_plain_http", "是")
    assert not form.save()
    assert "配方有错误" in form.error.text()
    problems = [form.long_option.problems.item(i) for i in range(form.long_option.problems.count())]
    assert len(problems) >= 2 and form.long_option.problems.isVisibleTo(form)
    where = next(item for item in problems if "dropdown" in item.text())
    assert f":{select}:" in where.text()
    form.long_option.problems.itemClicked.emit(where)
    assert form.long_option.edit.textCursor().blockNumber() + 1 == select
    assert session.store.targets() == []


def test_an_http_recipe_needs_plain_http_allowed(qtbot, session, page):
    form = web_form(page)
    form.set_option("recipe", RECIPE.replace("127.0.0.1:8701", "10.20.30.40"))  # a county intranet
    assert form.plain_http.isVisibleTo(form)  # the recipe's addresses are plain http
    assert not form.save() and "配方中的网址必须用 https://" in form.error.text()
    form.set_option("allow_plain_http", "是")
    assert "已允许明文 http" in form.plain_http.text()
    assert form.save(), form.error.text()
    form = web_form(page, "县基层治理平台")
    form.set_option("recipe", RECIPE.replace("http://127.0.0.1:8701", "https://dj.example.gov.cn"))
    assert not form.plain_http.isVisibleTo(form)
    assert form.save(), form.error.text()


def test_a_file_that_is_not_utf8_is_refused_and_the_text_stays(qtbot, session, page, tmp_path):
    form = web_form(page)
    form.set_option("recipe", RECIPE)
    path = tmp_path / "gbk.yaml"
    path.write_bytes("start_url: 网址".encode("gbk"))
    assert not form.long_option.read(path)
    assert "UTF-8" in form.long_option.result.text() and "gbk.yaml" in form.long_option.result.text()
    assert form.long_option.edit.toPlainText() == RECIPE


def test_each_kind_keeps_its_own_long_text_while_the_kind_is_chosen(qtbot, session, page):
    form = page.add_target()
    form.kind.setCurrentIndex(form.kind.findData("copy"))
    assert form.long_label.text() == "字段"
    fields = "会议名称 = title\n召开日期 = held_at[:10]"
    form.set_option("fields", fields)
    form.kind.setCurrentIndex(form.kind.findData("browser"))
    assert form.long_option.edit.toPlainText() == ""
    form.kind.setCurrentIndex(form.kind.findData("dingtalk"))
    assert not form.long_option.isVisibleTo(form) and "fields" not in form.option_values()
    form.kind.setCurrentIndex(form.kind.findData("copy"))
    form.name.setText("手机端系统")
    assert form.save(), form.error.text()
    assert session.store.target("手机端系统").options == {"fields": fields}


def test_the_account_and_password_go_to_the_keyring(qtbot, session, page, memory_keyring):
    target = session.store.add_target(
        "县党员教育管理系统", "browser", options={"recipe": RECIPE, "allow_plain_http": "是"}
    )
    dialog = SecretDialog(session.store, target, page)
    qtbot.addWidget(dialog)
    assert list(dialog.fields) == ["user", "password"]
    assert [secret_label(n) for n in dialog.fields] == ["账号", "密码"]
    assert "127.0.0.1:8701" in dialog.bound.text()  # bound to the recipe's platform
    dialog.fields["user"].setText("xiangzhen01")
    dialog.fields["password"].setText("Dj#2026-长坪")
    assert dialog.save()
    assert get_secret(session.store, target, "password") == "Dj#2026-长坪"
    kept = {user: value for (_service, user), value in memory_keyring.entries.items()}
    assert kept[keyring_name(session.store, target, "user")] == "xiangzhen01"
    assert "Dj#2026" not in (session.data_dir / "yici.db").read_bytes().decode("utf-8", "replace")


def test_every_option_is_explained_and_every_secret_named():
    for kind in KIND_MODULES:
        for option in KINDS[kind].options:
            assert option_hint(kind, option.name), f"{kind}.{option.name} has no hint"
        for name in KINDS[kind].secret_names:
            assert name in SECRET_LABELS, f"{kind} secret {name} has no label"
