"""Kill a writing process at random points: nothing it reported as done may be lost.

A child process finalizes (and sometimes corrects, or attaches a photo to) records in a
stream, printing a line only after each store call has returned. The test SIGKILLs it at a
random moment, reopens the store, and checks every reported step is there and the file is
sound. DESIGN §10: killing the process while saving loses no finalized record.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms.store import Store

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 25

WRITER = r"""
import sys
from forms.model import Form
from forms.store import Store

form = Form(id="sanhui-yike", version=1, title="三会一课", fields=(), source="id: sanhui-yike")
store = Store.open(sys.argv[1])
branch = store.find_branch("压力测试支部") or store.add_branch("压力测试支部")
print("ready", flush=True)
n = 0
while True:
    n += 1
    data = {"meeting_type": "支部委员会", "topic": "第%d次会议" % n, "attendees": ["张三", "李四"]}
    record = store.create_record(form, branch.id, data, "测试员", occurred_on="2026-11-05",
                                 summary="支部委员会 %d" % n)
    store.save_draft(record.uuid, dict(data, place="村委会"), "测试员",
                     occurred_on="2026-11-05", summary="支部委员会 %d" % n)
    if n % 4 == 0:
        content = ("照片%d" % n).encode() * 500
        attachment = store.add_attachment(record.uuid, content, "photo%d.jpg" % n)
        print("attached", record.uuid, attachment.sha256, flush=True)
    store.finalize(record.uuid, "测试员")
    print("final", record.uuid, flush=True)
    if n % 3 == 0:
        corrected = store.correct(record.uuid, dict(data, place="党群服务中心"), "测试员",
                                  note="地点更正")
        print("corrected", record.uuid, corrected.revision, flush=True)
"""


def _run_and_kill(data_dir: Path, delay: float) -> list[list[str]]:
    """Start the writer, let it write for `delay` seconds, SIGKILL it; its complete lines."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    first = child.stdout.readline()
    assert first == b"ready\n", (first, child.stderr.read()[-2000:] if child.poll() else b"")
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, _err.decode(errors="replace")[-2000:]
    text = out.decode("utf-8", errors="replace")
    complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
    return [line.split() for line in complete.splitlines()]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_at_random_points_loses_nothing_reported(tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    finals: set[str] = set()
    revisions: dict[str, int] = {}
    photos: dict[str, str] = {}
    for round_no in range(ROUNDS):
        lines = _run_and_kill(data_dir, rng.uniform(0.05, 0.6))
        for parts in lines:
            if parts[0] == "final":
                finals.add(parts[1])
            elif parts[0] == "corrected":
                revisions[parts[1]] = int(parts[2])
            elif parts[0] == "attached":
                photos[parts[1]] = parts[2]
        where = f"(seed {seed}, round {round_no})"
        with Store.open(data_dir) as store:
            assert store.check() == ["ok"], where
            for uuid in finals:
                record = store.record(uuid)
                assert record.status == "final", where
                assert record.revision >= revisions.get(uuid, 1), where
                assert record.data["place"] in ("村委会", "党群服务中心"), where
            for uuid, revision in revisions.items():
                assert [h.revision for h in store.history(uuid)][-1] >= revision, where
            for uuid, sha in photos.items():
                content = store.attachment_bytes(sha)
                assert hashlib.sha256(content).hexdigest() == sha, where
                assert sha in [a.sha256 for a in store.attachments(uuid)], where
            # every final record in the file has its revision history and audit lines
            for record in store.records(status="final"):
                assert store.history(record.uuid)[-1].revision == record.revision, where
    assert len(finals) > ROUNDS, f"the writer barely wrote anything (seed {seed})"
