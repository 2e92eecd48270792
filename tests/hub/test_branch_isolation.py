"""A laptop never reads another branch's files: an attachment is served only to a device whose
branches have a record naming it, and a pull brings only the device's own branches."""

from __future__ import annotations

import hashlib
import os

from tests.hub.conftest import joined
from tests.hub.revisions import revision

PHOTO = os.urandom(50_000)
SHA = hashlib.sha256(PHOTO).hexdigest()


def test_another_branch_s_attachment_and_branch_stay_out_of_reach(hub):
    zhang = joined(hub, "张三的电脑", ("红星村党支部",))
    li = joined(hub, "李四的电脑", ("东风村党支部",))
    red = zhang["branches"][0]["uid"]
    assert hub.put(f"/api/v1/attachments/{SHA}", zhang["token"], data=PHOTO).status_code == 201
    body = revision(red, attachments=[{"sha256": SHA, "name": "会场.jpg"}])
    assert hub.post("/api/v1/records", zhang["token"], json=body).status_code == 201

    assert hub.get(f"/api/v1/attachments/{SHA}", zhang["token"]).content == PHOTO
    refused = hub.get(f"/api/v1/attachments/{SHA}", li["token"])
    assert refused.status_code == 404 and PHOTO not in refused.content
    pulled = hub.get("/api/v1/pull", li["token"]).json()
    assert [b["name"] for b in pulled["branches"]] == ["东风村党支部"]
    assert red not in pulled["branch_uids"]
