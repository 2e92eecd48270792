"""Entering records into a web-form platform from the window: the run dialog drives a real headless
Chromium through the stand-in platform on a thread of its own while the person answers in the
dialog (继续 after a captcha, 停止), and the window's lists follow the ledger."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import desktop.browser_person as browser_person
from desktop.browser_run_dialog import BrowserRunDialog
from desktop.copy_panel import EntriesDialog
from desktop.delivery_panel import DeliveryPanel
from desktop.window_size import kept_under
from sync.browser.run import BROWSER_LOCK
from sync.lock import try_lock
from tests.desktop.sync.browser_window import headless, standin, web_form_target  # noqa: F401 - fixture
from tests.sync.headless import needs_chromium

RUN_MS = 120_000  # a whole run in headless Chromium on a slow shared machine


def ended(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=RUN_MS)


def paused(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.pause_panel.isVisibleTo(dialog), timeout=RUN_MS)


def click(qtbot, button) -> None:
    assert button.isVisibleTo(button.window()) and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@needs_chromium
def test_the_waiting_list_runs_the_browser_and_shows_the_record_entered(
    qtbot, session, final_record, standin, tmp_path
):
    target = web_form_target(session, standin, "standin-auto.yaml")
    copy = session.store.add_target("手机端系统", "copy", options={"fields": "会议名称 = title"})
    uuid = final_record(title="十一月支部委员会（浏览器录入）")
    entries = EntriesDialog(session)
    qtbot.addWidget(entries)
    assert entries.table.rowCount() == 2  # one for the web form, one to copy by hand
    button = entries.browser_button
    assert button.isVisibleTo(entries) and button.menu() is None  # one web-form platform: one click
    button.open_browser = headless(tmp_path / "chromium")
    click(qtbot, button)
    dialog = button.dialog
    assert dialog is not None and dialog.target.id == target.id
    assert "十一月支部委员会（浏览器录入）" in dialog.log.toPlainText()  # what it will enter, first
    click(qtbot, dialog.start_button)
    ended(qtbot, dialog)

    assert dialog.report.entered == 1 and not dialog.report.problem, dialog.log.toPlainText()
    assert "已录入 1 条" in dialog.outcome.text()
    assert "正在填写" in dialog.log.toPlainText()  # the run's lines, as they were said
    assert [m.values["title"] for m in standin.meetings] == ["十一月支部委员会（浏览器录入）"]
    # The list beside the button read the ledger again: only the copy platform's row is left.
    assert entries.table.rowCount() == 1 and entries.table.item(0, 0).text() == copy.name
    assert not button.isVisibleTo(entries)
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    assert panel.select_target(target.name)
    assert panel.table.item(panel.table.currentRow(), 2).text() == "已送达"
    details = panel.view_selected()
    assert details is not None and details.proofs is not None
    assert [b.text().split("\n")[0] for b in details.proofs.buttons] == ["提交前", "提交后"]
    assert not dialog.start_button.isVisibleTo(dialog)  # nothing left to enter


@needs_chromium
def test_a_pause_waits_for_continue_and_stop_leaves_the_record_waiting(
    qtbot, session, final_record, standin, tmp_path
):
    target = web_form_target(session, standin, "standin-check-first.yaml")
    final_record()
    dialog = BrowserRunDialog(session, target.id, open_browser=headless(tmp_path / "chromium"))
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.start_button)
    paused(qtbot, dialog)  # the recipe's captcha pause, before logging in
    assert "验证码" in dialog.pause_text.text()
    assert dialog.continue_button.isVisibleTo(dialog) and dialog.running
    # A bar above every window at the bottom of the screen while the person is in the browser.
    assert dialog.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert not dialog.log.isVisibleTo(dialog) and not dialog.intro.isVisibleTo(dialog)
    assert kept_under(dialog) == ""
    room = dialog.screen().availableGeometry()
    assert dialog.geometry().bottom() > room.center().y() and room.contains(dialog.geometry())
    click(qtbot, dialog.continue_button)
    assert not dialog.pause_panel.isVisibleTo(dialog)
    # Logged in and filled: now the person checks the form and presses 保存 in the browser.
    qtbot.waitUntil(lambda: "已填好" in dialog.now.text(), timeout=RUN_MS)
    assert dialog.stop_button.isVisibleTo(dialog)
    click(qtbot, dialog.stop_button)
    ended(qtbot, dialog)

    assert standin.meetings == []
    [d] = session.store.deliveries(target_id=target.id)
    assert d.state == "awaiting_entry"  # not submitted: it waits for the next run
    assert dialog.report.left == 1 and "未录入 1 条" in dialog.outcome.text()
    assert session.store.target(target.id).attention is None  # stopping is not the platform's fault
    assert dialog.start_button.isVisibleTo(dialog)  # it can be run again
    assert not dialog.windowFlags() & Qt.WindowType.WindowStaysOnTopHint  # the whole dialog again
    assert dialog.log.isVisibleTo(dialog) and "没有提交" in dialog.log.toPlainText()
    assert kept_under(dialog) == "browser-run"  # its place is kept again, never the bar's


@needs_chromium
def test_closing_in_the_middle_asks_then_stops_cleanly(
    qtbot, session, final_record, standin, tmp_path, monkeypatch
):
    asked = []
    monkeypatch.setattr(browser_person, "ask", lambda _parent, _title, text: asked.append(text) or True)
    target = web_form_target(session, standin, "standin-check-first.yaml")
    final_record()
    dialog = BrowserRunDialog(session, target.id, open_browser=headless(tmp_path / "chromium"))
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.start_button)
    paused(qtbot, dialog)
    dialog.close()
    assert asked and "停止" in asked[0]
    assert dialog.isVisible()  # until the run has stopped and closed the browser
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=RUN_MS)
    assert not dialog.running
    [d] = session.store.deliveries(target_id=target.id)
    assert d.state == "awaiting_entry" and standin.meetings == []
    assert "没有完成登录" in dialog.report.problem  # the pause was answered 停止


@needs_chromium
def test_one_record_from_its_deliveries_is_entered_alone(qtbot, session, final_record, standin, tmp_path):
    target = web_form_target(session, standin, "standin-auto.yaml")
    uuid = final_record(title="只录这一条")
    other = final_record(title="下次再录")
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    assert panel.select_target(target.name)
    entry = panel.enter_selected()  # the values to copy by hand, or ...
    assert entry is not None and entry.browser_button.isVisibleTo(entry)
    entry.open_browser = headless(tmp_path / "chromium")
    click(qtbot, entry.browser_button)  # ... Yici types it in
    run = entry.run_dialog
    assert "只录这一条" in run.log.toPlainText() and "下次再录" not in run.log.toPlainText()
    click(qtbot, run.start_button)
    ended(qtbot, run)
    assert [m.values["title"] for m in standin.meetings] == ["只录这一条"]
    assert "已送达" in entry.status.text() and not entry.entered_button.isEnabled()
    [waiting] = session.store.entries_waiting()
    assert waiting.record_uuid == other


def test_no_browser_on_the_laptop_is_said_with_what_to_do(
    qtbot, session, final_record, standin, tmp_path, monkeypatch
):
    monkeypatch.delenv("YICI_BROWSER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = web_form_target(session, standin, "standin-auto.yaml")
    final_record()
    dialog = BrowserRunDialog(session, target.id)  # the cadre's own browser: there is none
    qtbot.addWidget(dialog)
    dialog.start()
    ended(qtbot, dialog)
    said = dialog.outcome.text()
    assert "找不到可用的浏览器" in said and "YICI_BROWSER" in said
    assert "Traceback" not in said
    [d] = session.store.deliveries(target_id=target.id)
    assert d.state == "awaiting_entry"


def test_another_run_holding_the_browser_is_said_plainly(qtbot, session, final_record, standin):
    target = web_form_target(session, standin, "standin-auto.yaml")
    final_record()
    held = try_lock(session.data_dir, BROWSER_LOCK)  # as a `yici browser run` in a terminal would
    assert held is not None
    with held:
        dialog = BrowserRunDialog(session, target.id)
        qtbot.addWidget(dialog)
        dialog.start()
        ended(qtbot, dialog)
    assert "另一个窗口或命令正在浏览器中录入" in dialog.outcome.text()
    assert dialog.start_button.isVisibleTo(dialog) or not dialog.isVisible()


def test_several_web_form_platforms_waiting_get_a_menu(qtbot, session, final_record, standin):
    first = web_form_target(session, standin, "standin-auto.yaml", name="县党员教育管理系统")
    second = web_form_target(session, standin, "standin-check-first.yaml", name="县基层治理平台")
    final_record()
    final_record(title="第二次会议")
    entries = EntriesDialog(session)
    qtbot.addWidget(entries)
    menu = entries.browser_button.menu()
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert texts == ["县党员教育管理系统（2 条）", "县基层治理平台（2 条）"]
    menu.actions()[1].trigger()
    dialog = entries.browser_button.dialog
    assert dialog is not None and dialog.target.id == second.id != first.id
    assert dialog.windowTitle() == "在浏览器中录入 — 县基层治理平台"


@pytest.fixture
def page(qtbot, session):
    from desktop.targets_dialog import TargetsDialog

    dialog = TargetsDialog(session)
    qtbot.addWidget(dialog)
    return dialog


def test_the_targets_page_offers_a_run_for_a_web_form_platform_with_records_waiting(
    qtbot, session, final_record, standin, page
):
    target = web_form_target(session, standin, "standin-auto.yaml")
    page.refresh()
    assert page.select(target.name)
    assert page.browser_button.isVisibleTo(page) and not page.browser_button.isEnabled()
    final_record()
    page.refresh()
    assert page.browser_button.isEnabled()
    click(qtbot, page.browser_button)
    assert page.browser_button.dialog is not None
    assert page.browser_button.dialog.target.id == target.id
    page.browser_button.dialog.reject()
    session.store.add_target("手机端系统", "copy", options={"fields": "会议名称 = title"})
    page.refresh()
    assert page.select("手机端系统") and not page.browser_button.isVisibleTo(page)
