"""The status-bar widget and the yellow notice banner follow the controller."""

from __future__ import annotations

from desktop.delivery_panel import DeliveriesDialog
from desktop.sync_notice import GREY, LEVEL_COLORS, SyncNotice, SyncStatusWidget
from desktop.targets_dialog import TargetsDialog
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer


def idle(qtbot, c, runs=1):
    qtbot.waitUntil(lambda: c.runs >= runs and not c.running, timeout=10000)


def test_status_widget_shows_text_and_syncs_now(qtbot, session, controller, rest_target, final_record):
    c = controller()
    widget = SyncStatusWidget(c)
    qtbot.addWidget(widget)
    assert widget.text.text() == "未配置推送平台"
    assert widget.color == GREY and GREY in widget.dot.styleSheet()  # nothing to be green about
    c.refresh()
    assert widget.text.text() == "未配置推送平台" and widget.color == GREY
    with PlatformServer() as server:
        rest_target(server.url)
        c.start()
        idle(qtbot, c)
        assert widget.text.text() == "全部已送达" and widget.level == "ok"
        assert widget.color == LEVEL_COLORS["ok"] != GREY
        final_record()
        widget.button.click()  # 立即同步
        idle(qtbot, c, runs=2)
        assert len(server.records) == 1
    assert widget.text.text() == "全部已送达"


def test_notice_hidden_when_all_is_well_and_shown_for_a_wrong_token(
    qtbot, session, controller, rest_target, final_record
):
    c = controller()
    notice = SyncNotice(c, session)
    qtbot.addWidget(notice)
    notice.show()
    with PlatformServer() as server:
        target = rest_target(server.url, token="wrong-token-789")
        final_record()
        c.start()
        idle(qtbot, c)
    assert notice.isVisible()
    assert "市党建平台" in notice.text.text() and "已暂停" in notice.text.text()
    assert "wrong-token-789" not in notice.text.text()
    dialog = notice.view()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, TargetsDialog)
    assert dialog.table.item(0, 2).text().startswith("需要处理：")
    # Fixing the target (any edit clears attention) hides the banner after the next run.
    session.store.update_target(target.id, enabled=False)
    c.refresh()
    assert not notice.isVisible()


def test_notice_for_uncertain_deliveries_opens_the_list(qtbot, session, controller, final_record):
    from sync.secrets import set_secret

    with DingTalkServer() as robot:
        target = session.store.add_target("支部工作群", "dingtalk")
        set_secret(session.store, target, "webhook", robot.webhook)
        uuid = final_record()
        [d] = session.store.deliveries(record_uuid=uuid)
        session.store.mark_sending([d.id])
        c = controller()
        notice = SyncNotice(c, session)
        qtbot.addWidget(notice)
        notice.show()
        c.start()  # the engine's recovery finds it: uncertain
        idle(qtbot, c)
        assert robot.received == 0
    assert c.status == ("1 条可能已发送，请确认", "attention")
    assert "1 条推送可能已经发出" in notice.text.text()
    dialog = notice.view()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, DeliveriesDialog)
    assert dialog.panel.table.rowCount() == 1
