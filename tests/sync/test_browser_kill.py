"""A record is entered into a web-form platform exactly once, whatever cuts a run short.

`yici browser run` runs as its own process (with its Chromium) and is killed, process group and
all, at the worst moments the stand-in platform can signal: while the form is being served
(nothing submitted yet), and right after the platform saved the record but before its answer
reached Yici. The next run recovers the delivery left `sending` and, because the recipe looks
for a record already entered, finds it on the platform's list instead of entering it again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from forms.store.attachments import IN_USE, remove_stale_copies
from tests.sync.browser_setup import ScriptedPerson, browser_target, meeting_with_photos, run_entries
from tests.sync.engine_setup import open_village
from tests.sync.fake_keyring import ENV, env_for
from tests.sync.headless import TEST_ARGS, needs_chromium
from tests.sync.standin_platform import StandinPlatform

pytestmark = needs_chromium
REPO = Path(__file__).resolve().parents[2]


def child_env(memory_keyring) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YICI_", "PYTHONPATH"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "PYTHON_KEYRING_BACKEND": "tests.sync.fake_keyring.EnvKeyring",
            ENV: env_for(memory_keyring.entries),
            "YICI_BROWSER_ARGS": " ".join(a for a in TEST_ARGS if " " not in a),
            "NO_PROXY": "127.0.0.1,localhost",
            "LANG": "C.UTF-8",
        }
    )
    return env


@pytest.mark.parametrize("moment", ["form", "save"])
def test_a_run_killed_at_the_worst_moment_and_run_again_enters_the_record_once(
    moment, data_dir, memory_keyring, tmp_path, monkeypatch
):
    killed = threading.Event()
    holder: dict[str, subprocess.Popen] = {}

    def kill() -> None:  # the platform's own thread: the whole run dies here, browser and all
        if not killed.is_set():
            killed.set()
            os.killpg(holder["run"].pid, signal.SIGKILL)
            holder["run"].wait(30)

    standin = StandinPlatform(hooks={moment: kill})
    # The run's temporary folder, short: Chromium keeps its sockets there.
    temp = Path(tempfile.mkdtemp(prefix="yk-"))
    village = open_village(data_dir)
    try:
        target = browser_target(village, standin, "standin-auto.yaml")
        record = meeting_with_photos(village, 1)
        (d,) = village.store.deliveries()
        holder["run"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "desktop.cli",
                "--data-dir",
                str(data_dir),
                "browser",
                "run",
                "--headless",
            ],
            cwd=str(REPO),
            env={**child_env(memory_keyring), "TMPDIR": str(temp)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        out, err = holder["run"].communicate(timeout=120)
        assert killed.is_set(), (out + err).decode()
        assert village.committed_state(d.id) == "sending"  # cut off before its ending was known
        assert len(standin.meetings) == (1 if moment == "save" else 0)
        # The plain copies of the photos it uploaded, marked in use: the next start removes them.
        (left,) = temp.glob("yici-open-upload-*")
        if moment == "save":
            assert [f for f in left.iterdir() if f.name != IN_USE]  # the photo was uploaded
        old = time.time() - 3600
        os.utime(left, (old, old))
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        assert remove_stale_copies() == 1 and not left.exists()

        person = ScriptedPerson()
        report = run_entries(village, target, person, tmp_path / "again")
        (saved,) = standin.meetings  # once, whichever moment the first run died at
        assert saved.values["title"] == record.data["title"]
        done = village.store.delivery(d.id)
        assert done.state == "delivered"
        kinds = [p.kind for p in village.store.proofs(d.id)]
        if moment == "save":
            assert (report.found, report.entered) == (1, 0) and kinds == ["found"]
            assert "平台上已有" in done.message
        else:
            assert (report.found, report.entered) == (0, 1) and kinds == ["before", "after"]
        actions = [e.action for e in village.store.audit(record.uuid)]
        assert "entry_cut_off" in actions
        assert not (data_dir / "browser").exists()  # the profile with the login cookie is gone
    finally:
        village.store.close()
        standin.close()
        shutil.rmtree(temp, ignore_errors=True)
