"""Kind `browser` end to end: Yici's own DevTools client drives a real headless Chromium through
the stand-in platform (tests/sync/standin_platform.py) with the worked-example recipes of
docs/recipes/, on a real store with the account in the keyring."""

from __future__ import annotations

import pytest

from tests.sync.browser_setup import ScriptedPerson, browser_target, meeting_with_photos, run_entries
from tests.sync.engine_setup import village  # noqa: F401 - fixture
from tests.sync.headless import needs_chromium
from tests.sync.standin_platform import StandinPlatform

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
    proofs = village.store.proofs(d.id)
    assert [p.kind for p in proofs] == ["before", "after"]
    for proof in proofs:
        assert village.store.attachment_path(proof.sha256).read_bytes().startswith(b"\x89PNG")

    # Run again: nothing waits; the platform still holds one record.
    again = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium2")
    assert again.entered == 0 and len(standin.meetings) == 1
