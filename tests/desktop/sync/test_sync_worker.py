"""The background sync: delivers off the main thread, reports status, one run at a time, stops."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from desktop.sync_state import ATTENTION, BUSY, OFFLINE, OK, UNSET, SyncState, status_of
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import closed_port_url


def wait_idle(qtbot, c, runs: int = 1) -> None:
    qtbot.waitUntil(lambda: c.runs >= runs and not c.running, timeout=15000)


def test_worker_delivers_a_final_record_without_blocking_the_main_thread(
    qtbot, session, controller, rest_target, final_record
):
    with PlatformServer(slow_seconds=1.0) as server:
        rest_target(server.url)
        uuid = final_record()
        server.flaky("slow")
        c = controller()
        ticks = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(20)
        with qtbot.waitSignal(c.deliveries_changed, timeout=15000, check_params_cb=lambda *a: c.runs >= 1):
            c.start()
            assert c.running  # the run goes on in the worker; start() came straight back
        timer.stop()
        # The main thread kept ticking through the platform's one-second answer.
        assert len(ticks) >= 20
        assert len(server.records) == 1
        payload = next(iter(server.records.values())).payload
        assert payload["uuid"] == uuid
    [delivery] = session.store.deliveries(record_uuid=uuid)
    assert delivery.state == "delivered"
    assert c.status == ("全部已送达", OK)


def test_status_when_the_platform_cannot_be_reached(qtbot, session, controller, rest_target, final_record):
    rest_target(closed_port_url("").rstrip("/"))
    final_record()
    c = controller()
    texts = []
    c.status_changed.connect(lambda text, level: texts.append((text, level)))
    c.start()
    wait_idle(qtbot, c)
    assert ("正在同步…", BUSY) in texts
    assert c.status == ("离线 · 1 条待发送", OFFLINE)


def test_status_needs_attention_with_a_wrong_token(qtbot, session, controller, rest_target, final_record):
    with PlatformServer() as server:
        rest_target(server.url, token="wrong-token-123")
        final_record()
        c = controller()
        c.start()
        wait_idle(qtbot, c)
    text, level = c.status
    assert level == ATTENTION
    assert text.startswith("需要处理：市党建平台")
    assert "1 条待发送" in text
    assert c.state.attention[0][0] == "市党建平台"


def test_status_without_targets_and_when_network_comes_back(
    qtbot, session, controller, rest_target, final_record
):
    c = controller()
    c.start()
    wait_idle(qtbot, c)
    assert c.status == ("未配置推送平台", UNSET)
    with PlatformServer() as server:
        rest_target(server.url)
        final_record()
        c.watch.set_online(False)
        assert c.status == ("离线 · 1 条待发送", OFFLINE)
        runs = c.runs
        qtbot.wait(100)
        assert c.runs == runs  # going offline does not start a run
        c.watch.set_online(True)  # back online: a run starts by itself
        wait_idle(qtbot, c, runs + 1)
        assert len(server.records) == 1
    assert c.status == ("全部已送达", OK)


def test_no_platform_set_up_builds_no_engine_until_one_is_added(
    qtbot, session, controller, rest_target, final_record
):
    """With no platform a run has nothing to do: the engine (HTTP, TLS, keyring) is not built,
    and it is built by the first run after a platform was added."""
    c = controller()
    c.start()
    wait_idle(qtbot, c)
    assert c._worker is not None and c._worker._deliverer is None
    assert c.last_summary is not None and not c.last_summary.targets
    with PlatformServer() as server:
        rest_target(server.url)
        final_record()
        c.sync_now()
        wait_idle(qtbot, c, 2)
        assert c._worker._deliverer is not None
        assert len(server.records) == 1


def test_sync_now_during_a_run_queues_exactly_one_more(qtbot, session, controller, rest_target, final_record):
    with PlatformServer(slow_seconds=0.8) as server:
        rest_target(server.url)
        final_record()
        server.flaky("slow")
        c = controller()
        started = []
        # Listen before start(): the first run is dispatched inside start() and its worker may
        # report before a listener connected afterwards would hear it.
        c._run.connect(lambda manual: started.append(manual))
        c.start()
        assert c.running
        c.sync_now()
        c.sync_now()
        c.request(manual=False)
        wait_idle(qtbot, c, runs=2)
        qtbot.wait(300)
        assert c.runs == 2
        assert started == [0, 1]  # the queued run is manual: a person asked
        assert len(server.records) == 1


def test_finalizing_a_record_starts_a_run(qtbot, session, controller, rest_target, final_record, monkeypatch):
    import desktop.sync_worker as sync_worker

    monkeypatch.setattr(sync_worker, "KICK_DELAY_MS", 10)
    with PlatformServer() as server:
        rest_target(server.url)
        c = controller()
        c.start()
        wait_idle(qtbot, c)
        final_record()
        qtbot.waitUntil(lambda: len(server.records) == 1, timeout=10000)
        wait_idle(qtbot, c, runs=2)
    assert c.status == ("全部已送达", OK)


def test_stop_joins_the_worker_thread(qtbot, session, controller, rest_target, final_record):
    with PlatformServer(slow_seconds=0.8) as server:
        rest_target(server.url)
        final_record()
        final_record()
        server.flaky("slow")
        c = controller()
        c.start()
        thread = c._thread
        qtbot.waitUntil(lambda: server.request_count == 1, timeout=5000)  # a request in flight
        assert c.stop() is True
        assert thread.isFinished()
        # The stop aborted the request in flight (sent again later under its Idempotency-Key)
        # and ended the run: the second record was never asked for.
        assert server.request_count == 1
        c.sync_now()  # stopped: triggers are ignored
        qtbot.wait(1000)
        assert server.request_count == 1 and len(server.records) <= 1


def test_worker_exception_becomes_a_signal_and_a_status(qtbot, session, controller, caplog):
    class Broken:
        def __init__(self, store):
            pass

        def recover(self):
            return 0, 0

        def run(self, **kwargs):
            raise RuntimeError("磁盘坏了")

    session.store.add_target("群机器人", "dingtalk")
    c = controller(deliverer_factory=Broken)
    with qtbot.waitSignal(c.run_failed, timeout=5000) as blocker:
        c.start()
    assert "磁盘坏了" in blocker.args[0]
    wait_idle(qtbot, c)
    text, level = c.status
    assert level == ATTENTION and text.startswith("同步出错：") and "磁盘坏了" in text
    assert any("sync run failed" in r.message for r in caplog.records)


def test_status_texts_in_order_of_urgency():
    assert status_of(SyncState(targets=1, pending=2)) == ("2 条待发送", OK)
    assert status_of(SyncState(targets=1, uncertain=3, pending=1)) == ("3 条可能已发送，请确认", ATTENTION)
    assert status_of(SyncState(targets=1, offline=True)) == ("离线", OFFLINE)
    assert status_of(SyncState(targets=2, attention=[("甲", "x"), ("乙", "y")])) == (
        "需要处理：甲、乙",
        ATTENTION,
    )
    assert status_of(SyncState(targets=1, awaiting_upload=4))[0] == "4 条待上传导入文件"
    assert status_of(SyncState(targets=1, running=True, uncertain=1)) == ("正在同步…", BUSY)
    assert status_of(SyncState(targets=0, running=True)) == ("未配置推送平台", UNSET)
