"""Photo work off the main thread (desktop/editor/photo_work.py): results reach the window on its
own thread, a window closed mid-job hears nothing more and its thread ends, and nothing keeps
waking the laptop once the work is done."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from desktop.editor.photo_work import PhotoWork


def test_results_arrive_on_the_main_thread_and_the_timer_rests_after(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    work = PhotoWork(owner)
    heard = []
    work.done.connect(lambda key, value: heard.append((key, value, threading.current_thread().name)))
    work.failed.connect(lambda key, message: heard.append((key, message, threading.current_thread().name)))

    def broken():
        raise ValueError("照片损坏")

    work.request("a", lambda: threading.current_thread().name)
    work.request("b", broken)
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=5000)
    main = threading.main_thread().name
    assert {h[0]: h[1:] for h in heard} == {"a": ("yici-photos", main), "b": ("照片损坏", main)}
    qtbot.waitUntil(lambda: not work._hand_out.isActive(), timeout=1000)


def test_a_window_closed_in_the_middle_of_a_job_hears_nothing_and_its_thread_ends(qtbot):
    owner = QWidget()
    work = PhotoWork(owner)
    heard = []
    work.done.connect(lambda *a: heard.append(a))
    started, finish = threading.Event(), threading.Event()

    def slow():
        started.set()
        finish.wait(5)
        return "late"

    work.request("slow", slow)
    assert started.wait(5)
    thread = work._thread
    owner.deleteLater()  # the window goes while the worker is busy
    qtbot.waitUntil(lambda: work._queue.stopped, timeout=5000)
    finish.set()
    thread.join(5)
    assert not thread.is_alive()
    qtbot.wait(100)
    assert heard == []
