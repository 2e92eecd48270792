"""Joining the real hub from the settings window, and a real conflict between two laptops settled
in the conflict dialog: the same join and the same resolution as the command line's, with the
window's words."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import pytest  # noqa: E402

from desktop.hub_conflict_dialog import HubConflictDialog  # noqa: E402
from desktop.hub_join_dialog import HubJoinDialog  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings_dialog import SettingsDialog  # noqa: E402
from sync.hub_client import TOKEN  # noqa: E402
from sync.secrets import get_secret  # noqa: E402
from tests.hub.conftest import enrolled  # noqa: E402
from tests.hub.laptop import BRANCH, OPERATOR, hub_count, laptop_at, meeting  # noqa: E402


@pytest.fixture
def session(tmp_path, memory_keyring):
    s = Session.open(tmp_path / "data")
    s.operator = OPERATOR
    s.store.add_branch(BRANCH)
    yield s
    s.close()


def join_from_window(qtbot, session, url: str, code: str) -> tuple[SettingsDialog, HubJoinDialog]:
    settings = SettingsDialog(session)
    qtbot.addWidget(settings)
    assert settings.hub_label.text() == "未加入" and settings.hub_button.text() == "加入乡镇平台…"
    dialog = settings.open_hub_join()
    assert dialog.name_edit.text() == f"{OPERATOR}的电脑"  # a name the township will recognise
    dialog.url_edit.setText(url)
    dialog.code_edit.setText(code)
    dialog.join_button.click()
    assert dialog.operation is not None
    assert dialog.operation.wait(20000)  # the join ended and its outcome reached the dialog
    return settings, dialog


def test_joining_from_the_settings_window(qtbot, hub, session):
    code = enrolled(hub.database, "张干事的电脑", [BRANCH, "东风村党支部"])
    settings, dialog = join_from_window(qtbot, session, hub.url, code)
    assert dialog.joined is not None, dialog.answer.text()
    assert "已加入乡镇平台" in dialog.answer.text() and BRANCH in dialog.answer.text()
    assert not dialog.join_button.isVisible() and dialog.close_button.text() == "完成"
    dialog.close_button.click()
    # The settings window says where this laptop stands now.
    assert settings.hub_label.text().startswith(f"已加入 {hub.url}")
    assert "张干事的电脑" in settings.hub_label.text() and settings.hub_button.text() == "重新加入…"
    target = session.store.hub_target()
    token = get_secret(session.store, target, TOKEN)
    assert token and token.encode() not in session.store.path.read_bytes()
    assert token not in settings.hub_label.text() + dialog.answer.text()
    assert session.store.find_branch("东风村党支部") is not None


def test_a_wrong_code_is_said_in_the_dialog_and_what_was_typed_stays(qtbot, hub, session):
    settings, dialog = join_from_window(qtbot, session, hub.url, "AAAA-BBBB-CCCC-DDDD")
    assert dialog.joined is None
    assert "登记码" in dialog.answer.text() and dialog.answer.isVisible()
    assert dialog.url_edit.text() == hub.url and dialog.code_edit.text() == "AAAA-BBBB-CCCC-DDDD"
    assert dialog.join_button.isEnabled()  # try again with the right one
    assert session.store.hub_target() is None


def test_an_empty_address_is_asked_for_before_anything_is_sent(qtbot, session):
    settings = SettingsDialog(session)
    qtbot.addWidget(settings)
    dialog = settings.open_hub_join()
    dialog.code_edit.setText("K7QX-4MCT-HW9A-R3PD")
    dialog.join_button.click()
    assert dialog.operation is None and "地址" in dialog.answer.text()
    dialog.url_edit.setText("http://10.1.2.3:8470")
    assert dialog.plain_box.isVisibleTo(dialog)  # plain http must be allowed on purpose
    dialog.url_edit.setText("https://10.1.2.3:8470")
    assert not dialog.plain_box.isVisibleTo(dialog)


def test_a_real_conflict_settled_in_the_window(qtbot, hub, session, tmp_path):
    """Two laptops correct the same record; the second is refused (409) and its person takes a
    merge in the dialog; the hub then holds the merged revision on top of the first laptop's."""
    other = laptop_at(tmp_path / "other")
    try:
        other.join(hub, "李四的电脑")
        first = other.final(1)
        other.sync()
        # This laptop joins and takes the branch's records over from the hub.
        code = enrolled(hub.database, "张干事的电脑", [BRANCH])
        from sync.hub_handover import handover
        from sync.hub_join import join

        join(session.store, hub.url, code, http=other.http, operator=OPERATOR)
        handover(session.store, other.http, BRANCH, OPERATOR)
        other.correct(first.uuid, place="党群服务中心")
        other.sync()
        mine = session.store.record(first.uuid)
        session.records.correct(first.uuid, {**mine.data, "title": "第1次支部委员会（补记）"}, OPERATOR)
        from sync.engine import Deliverer

        Deliverer(session.store, http=other.http).run(manual=True)
        assert len(session.store.hub_conflicts()) == 1
        dialog = HubConflictDialog(session)
        qtbot.addWidget(dialog)
        labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        assert labels == ["会议名称", "会议地点"], labels
        dialog.choose(labels.index("会议地点"), 2)  # the other laptop's place, my title
        dialog.merge_button.click()
        assert session.store.hub_conflicts() == []
        # The refused revision is replaced by the person's choice: nothing is left failed.
        hub_target = session.store.hub_target()
        states = {
            d.revision: str(d.state)
            for d in session.store.deliveries(record_uuid=first.uuid, target_id=hub_target.id)
        }
        assert states[2] == "superseded", states
        Deliverer(session.store, http=other.http).run(manual=True)
        latest = hub_count(hub, "record_revisions", "uuid = %s", (first.uuid,))
        assert latest == 3  # the first laptop's two, then the merge on top
        from tests.hub.conftest import sql

        data = sql(
            hub.database,
            "SELECT data FROM record_revisions WHERE uuid = %s ORDER BY revision DESC LIMIT 1",
            [first.uuid],
        )[0][0]
        assert data["place"] == "党群服务中心" and data["title"] == "第1次支部委员会（补记）"
        assert meeting(1)["title"] != data["title"]
    finally:
        other.close()


def test_a_form_the_township_publishes_appears_in_the_window_after_a_sync(qtbot, hub, session):
    from desktop.main_window import MainWindow
    from sync.hub_join import join
    from tests.forms.paper.test_layouts import CUSTOM
    from tests.hub.conftest import sql

    code = enrolled(hub.database, "张干事的电脑", [BRANCH])
    join(session.store, hub.url, code, operator=OPERATOR)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.start_background()
    titles = lambda: [a.text() for a in window.new_menu.actions()]  # noqa: E731
    qtbot.waitUntil(lambda: window.sync.runs >= 1 and not window.sync.running, timeout=20000)
    assert "村民代表会议" not in titles()
    sql(
        hub.database,
        "INSERT INTO forms(id, version, source, print_layout, change) "
        "VALUES ('cunmin-huiyi', 1, %s, NULL, nextval('hub_changes'))",
        (CUSTOM,),
    )
    window.sync.sync_now()
    qtbot.waitUntil(lambda: window.sync.runs >= 2 and not window.sync.running, timeout=20000)
    assert "村民代表会议" in titles(), titles()
    window.sync.stop()
