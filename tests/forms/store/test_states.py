"""Delivery states as one enum that still is the string in the database, and a try's outcome as
a dataclass the store reads by name."""

from __future__ import annotations

import json

from forms.model import Form
from forms.store import DELIVERY_STATES, PENDING, STATE_TITLES, DeliveryOutcome, DeliveryState, Store

FORM = Form(id="sanhui-yike", version=1, title="三会一课", fields=(), source="id: sanhui-yike\n")


def test_states_are_the_strings_kept_in_the_database():
    assert [str(s) for s in DELIVERY_STATES] == [
        "pending",
        "sending",
        "delivered",
        "failed",
        "uncertain",
        "awaiting_upload",
        "awaiting_entry",
        "superseded",
        "cancelled",
    ]
    assert DeliveryState("delivered") is DeliveryState.DELIVERED and PENDING == "pending"
    assert json.dumps({"state": DeliveryState.FAILED}) == '{"state": "failed"}'
    assert f"{DeliveryState.UNCERTAIN}" == "uncertain"


def test_every_state_has_a_chinese_title_reachable_by_string_or_member():
    assert set(STATE_TITLES) == set(DELIVERY_STATES)
    assert STATE_TITLES["uncertain"] == DeliveryState.UNCERTAIN.label == "可能已发送，请确认"
    assert DeliveryState.DELIVERED.title() == "Delivered"  # still a str underneath


def test_deliveries_come_back_with_their_state_as_the_enum(tmp_path):
    with Store.open(tmp_path) as store:
        branch = store.add_branch("第一党支部")
        store.add_target("县平台", "rest", url="https://county.example/api")
        record = store.create_record(FORM, branch.id, {}, "张干事", status="final")
        delivery = store.deliveries(record_uuid=record.uuid)[0]
        assert delivery.state is DeliveryState.PENDING and delivery.state == "pending"
        assert store.deliveries(state=DeliveryState.PENDING) == [delivery]


def test_an_untried_outcome_goes_back_without_counting_as_an_attempt(tmp_path):
    with Store.open(tmp_path) as store:
        branch = store.add_branch("第一党支部")
        target = store.add_target("县平台", "rest", url="https://county.example/api")
        record = store.create_record(FORM, branch.id, {}, "张干事", status="final")
        delivery = store.deliveries(record_uuid=record.uuid)[0]
        assert store.mark_sending([delivery.id]) == [delivery.id]
        untried = DeliveryOutcome.untried(delivery.id)
        assert not untried.was_sent and DeliveryOutcome(delivery.id, PENDING, "超时").was_sent
        store.record_attempts([untried])
        again = store.delivery(delivery.id)
        assert again.state == "pending" and again.attempts == 0
        store.mark_sending([delivery.id])
        store.record_attempts(
            [DeliveryOutcome(delivery.id, DeliveryState.DELIVERED, "ok", remote_id="R-1", payload="{}")]
        )
        done = store.delivery(delivery.id)
        assert (done.state, done.remote_id, done.attempts) == ("delivered", "R-1", 1)
        assert store.audit(record.uuid)[-1].detail == {
            "target": target.name,
            "remote_id": "R-1",
            "message": "ok",
        }
