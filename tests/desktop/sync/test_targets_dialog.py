"""The targets page: add, secrets into the keyring only, refusal without one, test, remove,
confirm an Excel upload."""

from __future__ import annotations

import pytest

import desktop.targets_dialog as targets_dialog
from desktop.checklist import checked_values, set_checked
from desktop.secret_dialog import SecretDialog
from desktop.targets_dialog import TargetsDialog
from sync.secrets import NO_KEYRING_MESSAGE, get_secret, set_secret
from tests.desktop.sync.conftest import TOKEN
from tests.helpers import keyring_name
from tests.sync.rest_server import PlatformServer


@pytest.fixture
def answer_yes(monkeypatch):
    monkeypatch.setattr(targets_dialog, "ask", lambda *a: True)


@pytest.fixture
def page(qtbot, session):
    dialog = TargetsDialog(session)
    qtbot.addWidget(dialog)
    return dialog


def add_rest(page, url: str, name: str = "县党建云平台"):
    form = page.add_target()
    form.name.setText(name)
    form.kind.setCurrentIndex(form.kind.findData("rest"))
    form.url.setText(url + "/api/records")
    form.set_option("auth", "bearer")
    set_checked(form.forms, ["sanhui-yike"])
    assert form.save(), form.error.text()
    return form


def test_add_a_target_with_filters_and_options(qtbot, session, page):
    form = add_rest(page, "https://dj.example.gov.cn")
    target = session.store.target("县党建云平台")
    assert (target.kind, target.url) == ("rest", "https://dj.example.gov.cn/api/records")
    assert target.forms == ["sanhui-yike"] and target.branches == []
    assert target.options == {"auth": "bearer"}
    assert page.table.rowCount() == 1
    assert [page.table.item(0, c).text() for c in range(3)] == ["县党建云平台", "平台接口 (REST)", "正常"]
    assert "填写密钥" in page.result.text()  # the next step is said out loud
    assert "认证方式" in form.options.item(0, 2).text()  # each option row carries its hint


def test_form_refuses_what_cannot_work(qtbot, session, page):
    form = page.add_target()
    form.kind.setCurrentIndex(form.kind.findData("rest"))
    form.url.setText("http://dj.example.gov.cn/api")
    form.template.setPlainText("{{ record.title ")
    assert not form.save()
    text = form.error.text()
    assert "请填写平台名称" in text and "https://" in text and "模板有错误" in text
    assert "✖" in form.template_result.text()
    assert session.store.targets() == []


def test_form_refuses_a_token_in_the_address_or_the_options(qtbot, session, page):
    form = page.add_target()
    form.name.setText("县党建云平台")
    form.kind.setCurrentIndex(form.kind.findData("rest"))
    form.url.setText("https://dj.example.gov.cn/api/records?access_token=SUPERSECRET123")
    form.set_option("token", "BEARERSECRET456")
    assert not form.save()
    assert "access_token" in form.error.text() and "“token”是密钥" in form.error.text()
    assert session.store.targets() == []
    db = (session.data_dir / "yici.db").read_bytes()
    assert b"SUPERSECRET123" not in db and b"BEARERSECRET456" not in db


def test_edit_keeps_kind_and_clears_attention(qtbot, session, page):
    target = session.store.add_target("支部工作群", "dingtalk")
    session.store.set_target_attention(target.id, "钉钉机器人的 Webhook 地址缺少令牌部分")
    page.refresh()
    assert page.table.item(0, 2).text().startswith("需要处理：")
    form = page.edit_selected()
    assert not form.kind.isEnabled()
    form.set_option("keyword", "党建")
    assert form.save()
    target = session.store.target("支部工作群")
    assert target.options == {"keyword": "党建"} and target.attention is None
    assert page.table.item(0, 2).text() == "正常"
    assert checked_values(form.forms) == []


def test_secret_goes_to_the_keyring_and_never_to_the_database(qtbot, session, page, memory_keyring):
    add_rest(page, "https://dj.example.gov.cn")
    target = session.store.target("县党建云平台")
    dialog = page.enter_secret()
    qtbot.addWidget(dialog)
    assert list(dialog.fields) == ["token"]  # bearer auth: only the token is asked for
    assert dialog.fields["token"].echoMode() == dialog.fields["token"].EchoMode.Password
    dialog.fields["token"].setText(TOKEN)
    assert dialog.save()
    assert memory_keyring.entries[("yici", keyring_name(session.store, target, "token"))] == TOKEN
    session.store.db.conn.commit()
    for path in session.data_dir.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert "已保存到系统钥匙串" in page.result.text()
    # Opening it again shows that a token is there, masked, never the token itself.
    again = SecretDialog(session.store, session.store.target(target.id))
    qtbot.addWidget(again)
    assert again.fields["token"].placeholderText().startswith("已保存")
    assert TOKEN not in again.fields["token"].placeholderText()


def test_without_a_keyring_the_secret_dialog_refuses_plainly(qtbot, session, no_keyring):
    target = session.store.add_target("支部工作群", "dingtalk")
    dialog = SecretDialog(session.store, target)
    qtbot.addWidget(dialog)
    assert dialog.error.text() == NO_KEYRING_MESSAGE
    assert not dialog.save_button.isEnabled()
    assert not dialog.fields["webhook"].isEnabled()
    dialog.fields["webhook"].setText("https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789")
    assert not dialog.save()
    assert dialog.error.text() == NO_KEYRING_MESSAGE
    page = TargetsDialog(session)
    qtbot.addWidget(page)
    assert "没有可用的系统钥匙串" in page.keyring_line.text()


def test_test_button_shows_the_platform_answer(qtbot, session, page):
    with PlatformServer() as server:
        add_rest(page, server.url)
        target = session.store.target("县党建云平台")
        set_secret(session.store, target, "token", TOKEN)
        assert page.test_selected()
        assert not page.test_button.isEnabled()  # one test at a time per target
        qtbot.waitUntil(lambda: "测试成功" in page.result.text(), timeout=10000)
        assert page.test_button.isEnabled()
        set_secret(session.store, target, "token", "wrong-token-456")
        page.test_selected()
        qtbot.waitUntil(lambda: "没有通过" in page.result.text(), timeout=10000)
        assert "wrong-token-456" not in page.result.text()
        assert server.records == {}  # a test creates nothing


def test_remove_deletes_the_target_and_its_secrets(qtbot, session, page, answer_yes, memory_keyring):
    target = session.store.add_target("支部工作群", "dingtalk")
    set_secret(session.store, target, "webhook", "https://oapi.dingtalk.com/robot/send?access_token=abc")
    page.refresh()
    assert page.remove_selected()
    assert session.store.targets() == []
    assert get_secret(session.store, target, "webhook") is None
    assert page.table.rowCount() == 0
    assert "还没有推送平台" in page.detail.text()


def test_confirm_upload_marks_the_batch_delivered(
    qtbot, session, page, controller, final_record, answer_yes, tmp_path
):
    target = session.store.add_target(
        "组织部导入表",
        "xlsx",
        options={"folder": str(tmp_path / "export"), "columns": "会议名称=title; 支部=branch"},
    )
    uuid = final_record()
    c = controller()
    c.start()
    qtbot.waitUntil(lambda: c.runs >= 1 and not c.running, timeout=10000)
    [d] = session.store.deliveries(record_uuid=uuid)
    assert d.state == "awaiting_upload"
    assert c.status == ("1 条待上传导入文件", "attention")
    page.refresh()
    assert page.upload_button.isVisible() or not page.isVisible()
    assert page.confirm_upload()
    qtbot.waitUntil(lambda: session.store.delivery(d.id).state == "delivered", timeout=10000)
    qtbot.waitUntil(lambda: "标记为已送达" in page.result.text(), timeout=5000)
    assert session.store.target(target.id).kind == "xlsx"
    assert not page.confirm_upload()  # nothing left to confirm
    assert "没有待上传" in page.result.text()


def test_a_new_address_in_the_window_asks_then_drops_the_secret(
    qtbot, session, page, monkeypatch, memory_keyring
):
    import desktop.target_form as target_form

    add_rest(page, "https://dj.example.gov.cn")
    target = session.store.target("县党建云平台")
    set_secret(session.store, target, "token", TOKEN)
    questions = []
    monkeypatch.setattr(target_form, "ask", lambda _parent, _title, text: questions.append(text) or False)
    page.table.selectRow(0)
    form = page.edit_selected()
    form.url.setText("https://other.example.cn/api/records")
    assert not form.save()  # the person said no: nothing changed
    assert "https://other.example.cn:443" in questions[0]
    assert session.store.target(target.id).url == "https://dj.example.gov.cn/api/records"
    assert get_secret(session.store, target, "token") == TOKEN

    monkeypatch.setattr(target_form, "ask", lambda *a: True)
    assert form.save()
    moved = session.store.target(target.id)
    assert moved.attention.startswith("平台地址已改变") and TOKEN not in memory_keyring.entries.values()
    page.refresh()
    assert page.table.item(0, 2).text().startswith("需要处理")


def test_plain_http_is_allowed_per_target_and_shown_as_a_warning(qtbot, session, page):
    form = page.add_target()
    form.name.setText("县内网")
    form.kind.setCurrentIndex(form.kind.findData("rest"))
    form.url.setText("http://10.20.30.40/api")
    form.set_option("auth", "bearer")
    assert form.plain_http.isVisibleTo(form)
    assert not form.save() and "allow_plain_http" in form.error.text()
    form.set_option("allow_plain_http", "是")
    assert form.save(), form.error.text()
    page.refresh()
    assert "明文 http" in page.table.item(0, 2).text()
    assert "已允许明文 http" in page.table.item(0, 2).toolTip()


def test_an_unknown_option_is_refused_in_the_window(qtbot, session, page):
    form = page.add_target()
    form.name.setText("群")
    form.kind.setCurrentIndex(form.kind.findData("dingtalk"))
    form.set_option("at_al", "yes")
    assert not form.save() and "at_al" in form.error.text()


def test_editing_a_platform_offers_to_send_the_final_records_it_has_not_had(
    qtbot, session, page, final_record
):
    from forms.store import PENDING

    target = session.store.add_target("支部工作群", "dingtalk", forms=["zhuti-dangri"])
    made = [final_record(), final_record()]  # 三会一课: out of the group's scope for now
    page.refresh()
    page.select("支部工作群")
    form = page.edit_selected()
    assert form.queue_existing.isHidden()  # nothing in scope is missing: no offer
    set_checked(form.forms, ["zhuti-dangri", "sanhui-yike"])  # the scope grows
    assert not form.queue_existing.isHidden() and "2 条" in form.queue_existing.text()
    assert "同时推送已定稿的" in form.queue_existing.text()
    form.queue_existing.setChecked(True)
    assert form.save()
    assert form.queued == 2
    deliveries = session.store.deliveries(target_id=target.id)
    assert sorted(d.record_uuid for d in deliveries) == sorted(made)
    assert {d.state for d in deliveries} == {PENDING}
    page.select("支部工作群")
    again = page.edit_selected()
    assert again.queue_existing.isHidden()  # all of them are on their way now


def test_the_hub_is_not_a_kind_to_add_by_hand_but_its_target_can_be_edited(qtbot, session, page):
    form = page.add_target()
    assert form.kind.findData("hub") == -1  # joined with a code in 设置, never filled in here
    assert form.kind.findData("rest") >= 0
    hub = session.store.add_target("乡镇平台", "hub", url="https://10.1.2.3:8470")
    from desktop.target_form import TargetForm

    edit = TargetForm(session, hub, page)
    qtbot.addWidget(edit)
    assert edit.kind.currentData() == "hub" and not edit.kind.isEnabled()
