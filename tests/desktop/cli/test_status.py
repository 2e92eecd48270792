"""`yici status` on records (its delivery counts are checked in test_sync.py and test_deliveries.py)."""

from __future__ import annotations

import json
import re

from tests.desktop.cli.helpers import MEETING, new_record
from tests.helpers import ok


def test_status_counts(yici, tmp_path, branch):
    new_record(yici, tmp_path, MEETING, "--final")
    new_record(yici, tmp_path, MEETING)
    new_record(yici, tmp_path, MEETING)
    counts = json.loads(ok(yici("status", "--json")).stdout)["records"]
    assert counts == {"draft": 2, "final": 1, "void": 0}
    text = ok(yici("status")).stdout
    assert re.search(r"草稿\s*：2", text) and re.search(r"已定稿\s*：1", text)
