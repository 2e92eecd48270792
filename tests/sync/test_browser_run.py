"""Kind `browser` end to end: Yici's own DevTools client drives a real headless Chromium through
the stand-in platform (tests/sync/standin_platform.py) with the worked-example recipes of
docs/recipes/, on a real store with the account in the keyring."""

from __future__ import annotations

import json

import pytest

from tests.sync.browser_setup import ScriptedPerson, browser_target, meeting_with_photos, run_entries
from tests.sync.engine_setup import village  # noqa: F401 - fixture
from tests.sync.headless import needs_chromium
from tests.sync.standin_platform import Meeting, StandinPlatform

pytestmark = needs_chromium


@pytest.fixture
def standin():
    server = StandinPlatform()
    yield server
    server.close()


def test_auto_submit_enters_every_field_once_with_proof(village, memory_keyring, standin, tmp_path):
    target = browser_target(village, standin, "standin-auto.yaml")
    record = meeting_with_photos(
        village, 1, meeting_type="党课", lecturer="阿卜杜热合曼·艾买提江", course_title="党章"
    )
    (d,) = village.store.deliveries()
    assert d.state == "awaiting_entry"
    person = ScriptedPerson()
    report = run_entries(village, target, person, tmp_path / "chromium")
    assert (report.entered, report.found, report.problem) == (1, 0, ""), (report, person.lines)
    (saved,) = standin.meetings
    assert saved.values["title"] == record.data["title"]
    assert saved.values["meeting_type"] == "04" and saved.values["lecturer"] == "阿卜杜热合曼·艾买提江"
    assert saved.values["held_on"] == "2026-11-01" and saved.values["mode"] == "offline"
    assert (
        saved.values["notified"] == "1"
        and saved.values["content"].replace("\r\n", "\n") == record.data["content"]
    )
    assert len(saved.files) == 2
    done = village.store.delivery(d.id)
    assert done.state == "delivered"
    typed = dict(json.loads(done.payload))  # under the labels the page shows, however found
    assert typed["主要内容"] == record.data["content"] and typed["授课人"] == "阿卜杜热合曼·艾买提江"
    assert typed["会议形式"] == "线下" and typed["会议类型"] == "党课"
    proofs = village.store.proofs(d.id)
    assert [p.kind for p in proofs] == ["before", "after"]
    for proof in proofs:
        assert village.store.attachment_bytes(proof.sha256).startswith(b"\x89PNG")

    # Run again: nothing waits; the platform still holds one record.
    again = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium2")
    assert again.entered == 0 and len(standin.meetings) == 1


def test_by_default_the_person_checks_and_submits_and_who_did_it_is_kept(
    village, memory_keyring, standin, tmp_path
):
    target = browser_target(village, standin, "standin-check-first.yaml")
    record = meeting_with_photos(village, 2, photos=1)
    (d,) = village.store.deliveries()
    person = ScriptedPerson(submit=True)
    report = run_entries(village, target, person, tmp_path / "chromium")
    assert report.entered == 1, (report, person.lines)
    assert person.pauses == ["如有验证码，请在浏览器中输入，然后点“继续”"]  # the captcha pause
    assert any(line.startswith("已填好，请在浏览器中核对") for line in person.lines)
    (saved,) = standin.meetings
    assert saved.values["meeting_type"] == "02" and saved.values["held_on"] == "2026-11-02"
    assert "lecturer" in saved.values and saved.values["lecturer"] == ""  # not shown: not typed
    done = village.store.delivery(d.id)
    assert done.state == "delivered" and "张干事 核对后提交" in done.message
    (line,) = [e for e in village.store.audit(record.uuid) if e.action == "entered"]
    assert line.operator == "张干事" and line.detail["by"] == "browser"
    assert len(line.detail["proofs"]) == 2


def test_a_person_who_stops_leaves_the_record_waiting_and_nothing_entered(
    village, memory_keyring, standin, tmp_path
):
    target = browser_target(village, standin, "standin-check-first.yaml")
    meeting_with_photos(village, 1)
    meeting_with_photos(village, 2)
    person = ScriptedPerson(stop_at="已填好")
    report = run_entries(village, target, person, tmp_path / "chromium")
    assert (report.entered, report.left) == (0, 2) and standin.meetings == []
    assert village.states() == ["awaiting_entry", "awaiting_entry"]
    first = min(village.store.deliveries(), key=lambda d: d.id)
    assert first.message == "没有提交" and [p.kind for p in village.store.proofs(first.id)] == ["before"]
    assert village.store.target(target.id).attention is None  # nothing wrong with the platform


def test_ctrl_c_while_the_person_checks_the_form_makes_it_uncertain_without_a_duplicate_check(
    village, memory_keyring, standin, tmp_path
):
    target = browser_target(village, standin, "standin-check-first.yaml")
    record = meeting_with_photos(village, 1)

    class Interrupting(ScriptedPerson):
        def say(self, text: str) -> None:
            if text.startswith("已填好"):
                raise KeyboardInterrupt  # the person may have pressed submit just before

    with pytest.raises(KeyboardInterrupt):
        run_entries(village, target, Interrupting(), tmp_path / "chromium")
    (d,) = village.store.deliveries()
    assert d.state == "uncertain" and "请到平台上核对" in d.message
    assert "entry_cut_off" in [e.action for e in village.store.audit(record.uuid)]
    assert not (village.data_dir / "browser").exists()
    # The person checked the platform: not there, so it is sent again, and waits for a run.
    assert village.store.resend(d.id, "张干事").state == "awaiting_entry"


def test_a_record_already_on_the_platform_is_not_entered_again(village, memory_keyring, standin, tmp_path):
    target = browser_target(village, standin, "standin-auto.yaml")
    record = meeting_with_photos(village, 3)
    standin.meetings.append(Meeting(1, {"title": record.data["title"], "held_on": "2026-11-03"}))
    report = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium")
    assert (report.found, report.entered) == (1, 0) and len(standin.meetings) == 1
    (d,) = village.store.deliveries()
    assert d.state == "delivered" and [p.kind for p in village.store.proofs(d.id)] == ["found"]
    (line,) = [e for e in village.store.audit(record.uuid) if e.action == "found_entered"]
    assert line.detail["proofs"]


def test_a_renamed_field_stops_the_run_and_names_the_field(village, memory_keyring, tmp_path):
    changed = StandinPlatform(labels={"会议名称": "会议标题"})
    try:
        target = browser_target(village, changed, "standin-auto.yaml")
        meeting_with_photos(village, 1)
        meeting_with_photos(village, 2)
        report = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium")
    finally:
        changed.close()
    assert changed.meetings == [] and report.entered == 0 and report.left == 2
    assert "会议名称" in report.problem and "配方第 13 行" in report.problem, report.problem
    attention = village.store.target(target.id).attention
    assert attention and "会议名称" in attention and "请更新配方" in attention
    assert village.states() == ["awaiting_entry", "awaiting_entry"]


def test_what_the_platform_refuses_is_failed_with_its_words(village, memory_keyring, standin, tmp_path):
    target = browser_target(village, standin, "standin-auto.yaml", **{"value: held_at[:10]": "value: \"''\""})
    meeting_with_photos(village, 1)
    report = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium")
    assert report.refused == 1 and standin.meetings == []
    (d,) = village.store.deliveries()
    assert d.state == "failed" and "会议名称、会议类型和召开日期必须填写" in d.message


def test_the_password_never_reaches_a_screenshot_the_ledger_or_the_log(village, memory_keyring, tmp_path):
    careless = StandinPlatform(shows_password=True)  # its form page prints the password
    try:
        target = browser_target(village, careless, "standin-auto.yaml")
        record = meeting_with_photos(village, 1)
        report = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium")
    finally:
        careless.close()
    assert report.entered == 1
    (d,) = village.store.deliveries()
    proofs = village.store.proofs(d.id)
    assert [p.kind for p in proofs] == ["after"]  # the form page showed it: no screenshot kept
    village.store.close()
    secret = [careless.password.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    for path in village.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s in data for s in secret), path
    assert record.uuid


def test_the_account_is_never_typed_into_another_address(village, memory_keyring, tmp_path):
    elsewhere = StandinPlatform()  # another site, whose login page the platform sends us to
    platform = StandinPlatform(login_elsewhere=elsewhere.url + "/login")
    try:
        target = browser_target(village, platform, "standin-auto.yaml")
        meeting_with_photos(village, 1)
        report = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium")
    finally:
        platform.close()
        elsewhere.close()
    assert "为安全起见没有填写账号和密码" in report.problem
    assert elsewhere.url.split("//")[1] in report.problem
    assert all(not v.user for v in elsewhere.visitors.values()) and elsewhere.posts == []
    assert village.states() == ["awaiting_entry"]


def test_stop_while_filling_never_submits_even_with_auto_submit(village, memory_keyring, standin, tmp_path):
    target = browser_target(village, standin, "standin-auto.yaml")
    meeting_with_photos(village, 1)
    meeting_with_photos(village, 2)
    report = run_entries(village, target, ScriptedPerson(stop_at="正在填写"), tmp_path / "chromium")
    assert standin.meetings == [] and report.entered == 0
    assert village.states() == ["awaiting_entry", "awaiting_entry"]  # the second was not begun
    assert "没有提交" in report.lines[0] and "第1次支部委员会" in report.lines[0]
