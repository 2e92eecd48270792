"""`yici key recovery` and `yici key unlock --recovery-key` through the real command line: the
recovery key printed once at setup, shown again only to the operator, and opening a folder whose
keyring entry is gone (a new laptop), which then has a keyring entry of its own."""

from __future__ import annotations

import json
import re

RECOVERY = re.compile(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})\b")


def test_the_recovery_key_is_shown_to_the_operator_and_opens_the_folder_on_a_new_laptop(
    yici, data_dir, tmp_path
):
    env = {"YICI_OPERATOR": "王会计"}
    made = yici("branches", "add", "红星村党支部", env=env)
    assert made.returncode == 0, made.stderr
    [recovery] = RECOVERY.findall(made.stderr)  # shown once, at setup
    assert "打印" in made.stderr
    assert RECOVERY.findall(yici("branches", "list", env=env).stderr) == []  # and only then

    refused = yici("key", "recovery", input="别人\n", env=env)
    assert refused.returncode == 1 and "录入人姓名不符" in refused.stderr and recovery not in refused.stdout
    shown = yici("key", "recovery", input="王会计\n", env=env)
    assert shown.returncode == 0 and shown.stdout.strip() == recovery

    # A new laptop: the folder copied, no keyring entry, no passphrase file.
    keyring_file = tmp_path / "keyring.json"
    stored = json.loads(keyring_file.read_text(encoding="utf-8"))
    assert [name for name in stored["yici"] if name.startswith("data-key/")]
    keyring_file.write_text(json.dumps({"yici": {}}), encoding="utf-8")
    bare = {**env, "YICI_PASSPHRASE_FILE": ""}
    locked = yici("branches", "list", env=bare)
    assert locked.returncode == 4 and "key unlock --recovery-key" in locked.stderr
    assert "Traceback" not in locked.stderr
    typo = yici("key", "unlock", "--recovery-key", input=recovery[:-2] + "00\n", env=bare)
    assert typo.returncode != 0 and ("输错" in typo.stderr or "不符" in typo.stderr)
    opened = yici("key", "unlock", "--recovery-key", input=recovery.lower() + "\n", env=bare)
    assert opened.returncode == 0 and "支部 1 个" in opened.stdout, opened.stderr
    assert "红星村党支部" in yici("branches", "list", env=bare).stdout
    stored = json.loads(keyring_file.read_text(encoding="utf-8"))
    assert [name for name in stored["yici"] if name.startswith("data-key/")]
