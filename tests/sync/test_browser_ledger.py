"""The ledger of web-form deliveries (forms/store/browser_entries.py) on a real store, without a
browser: a run marks a delivery `sending` before the form can be submitted; its endings keep
their screenshots and audit line in one step; a run cut off is recovered by the next run only
(never by a sync, which could take a run in progress for a leftover)."""

from __future__ import annotations

import pytest

from forms.store import NotAllowed
from sync.engine import Deliverer
from tests.sync.browser_setup import PHOTO, recipe_for
from tests.sync.engine_setup import OPERATOR, village  # noqa: F401 - fixture
from tests.sync.standin_platform import StandinPlatform


@pytest.fixture
def target(village):
    platform = StandinPlatform()
    platform.close()  # only its address is needed: nothing is opened here
    options = {"recipe": recipe_for(platform, "standin-auto.yaml"), "allow_plain_http": "yes"}
    return village.store.add_target("县系统", "browser", options=options)


def test_endings_keep_their_screenshots_and_audit_line(village, target):
    store = village.store
    first, second = village.final(1), village.final(2)
    one, two = sorted(store.deliveries(), key=lambda d: d.id)
    assert (one.state, two.state) == ("awaiting_entry", "awaiting_entry")
    with pytest.raises(NotAllowed):
        store.finish_browser_entry(one.id, OPERATOR, "entered", "x")  # never started
    assert store.start_browser_entry(one.id).state == "sending"
    with pytest.raises(NotAllowed):
        store.start_browser_entry(one.id)  # one run at a time per delivery
    done = store.finish_browser_entry(
        one.id,
        OPERATOR,
        "entered",
        "已在平台录入",
        payload='[["会议名称", "第1次支部委员会"]]',
        proofs=[("before", PHOTO, "http://dj.example/meetings/new?token=abc"), ("after", PHOTO + b"1", "")],
    )
    assert done.state == "delivered" and done.delivered_at and "第1次" in done.payload
    before, after = store.proofs(one.id)
    assert (before.kind, before.url) == ("before", "http://dj.example/meetings/new")  # no query kept
    assert store.attachment_bytes(before.sha256) == PHOTO
    (line,) = [e for e in store.audit(first.uuid) if e.action == "entered"]
    assert line.detail["proofs"] == [before.sha256, after.sha256] and line.detail["by"] == "browser"

    found = store.finish_browser_entry(two.id, OPERATOR, "found", "平台上已有", proofs=[("found", PHOTO, "")])
    assert found.state == "delivered"
    assert [e.action for e in store.audit(second.uuid)][-1] == "found_entered"


def test_a_cut_off_run_is_recovered_by_the_next_run_never_by_a_sync(village, target):
    store = village.store
    record = village.final(1)
    (d,) = store.deliveries()
    store.start_browser_entry(d.id)
    summary = Deliverer(store).run()  # a sync meanwhile: the run's `sending` is not its leftover
    assert summary is not None and store.delivery(d.id).state == "sending"
    assert store.recover_browser_entries(target.id, retry_safe=True) == (1, 0)
    assert store.delivery(d.id).state == "awaiting_entry"
    store.start_browser_entry(d.id)
    assert store.recover_browser_entries(target.id, retry_safe=False) == (0, 1)
    cut = store.delivery(d.id)
    assert cut.state == "uncertain" and "请到平台上核对" in cut.message
    assert [e.detail["now"] for e in store.audit(record.uuid) if e.action == "entry_cut_off"] == [
        "awaiting_entry",
        "uncertain",
    ]
    assert store.mark_delivered(d.id, OPERATOR).state == "delivered"  # the person found it there


def test_the_copy_panel_lists_the_recipes_fields_for_typing_by_hand(village, target):
    from sync.copy import entry

    village.final(1, held_at="2026-11-05T09:30")
    (d,) = village.store.deliveries()
    values = entry(village.store, d).values
    assert [v.label for v in values][:3] == ["会议名称", "content", "会议类型"]
    assert values[0].text == "第1次支部委员会" and values[2].text == "支部委员会"
    assert [v.text for v in values if v.label == "召开日期"] == ["2026-11-05"]
