"""`yici key recovery` and `yici key unlock --recovery-key` through the real command line: the
recovery key printed once at setup, shown again only to the operator, and opening a folder whose
keyring entry is gone (a new laptop), which then has a keyring entry of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

RECOVERY = re.compile(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})\b")


def save_operator(data_dir, name: str) -> None:
    """The operator as the window's settings save it (the test process opens the folder by the
    test passphrase, as a laptop without a keyring does)."""
    from forms.store import Store, keys

    with Store.open(data_dir) as store:
        store.set_setting("operator", name)
    keys._unlocked.clear()


def test_the_recovery_key_is_shown_to_the_operator_and_opens_the_folder_on_a_new_laptop(
    yici, data_dir, tmp_path
):
    env = {"YICI_OPERATOR": "王会计"}
    made = yici("branches", "add", "红星村党支部", env=env)
    assert made.returncode == 0, made.stderr
    # No terminal (a script, a log): the key is never printed, only where to see it.
    assert RECOVERY.findall(made.stdout + made.stderr) == []
    assert "yici key recovery --confirm" in made.stderr and "终端" in made.stderr
    again = yici("branches", "list", env=env)
    # Said once to a script (it made the key), not into its log at every command; on a terminal
    # the key itself comes back at every command until confirmed.
    assert again.stderr == ""

    no_operator = yici("key", "recovery", "--to-file", str(tmp_path / "k0.txt"), input="王会计\n", env=env)
    assert no_operator.returncode == 1 and "还没有保存录入人" in no_operator.stderr
    save_operator(data_dir, "王会计")
    # --operator / YICI_OPERATOR come from the same caller: only the saved setting counts.
    refused = yici(
        "key",
        "recovery",
        "--to-file",
        str(tmp_path / "k1.txt"),
        input="别人\n",
        env={"YICI_OPERATOR": "别人"},
    )
    assert refused.returncode == 1 and "录入人姓名不符" in refused.stderr
    assert not (tmp_path / "k1.txt").exists() and "王" not in refused.stderr
    not_a_terminal = yici("key", "recovery", input="王会计\n", env=env)
    assert not_a_terminal.returncode == 1 and "终端" in not_a_terminal.stderr
    assert RECOVERY.findall(not_a_terminal.stdout + not_a_terminal.stderr) == []
    shown = yici("key", "recovery", "--to-file", str(tmp_path / "k.txt"), input="王会计\n", env=env)
    assert shown.returncode == 0, shown.stderr
    [recovery] = RECOVERY.findall((tmp_path / "k.txt").read_text(encoding="utf-8"))
    assert RECOVERY.findall(shown.stdout + shown.stderr) == []

    confirmed = yici("key", "recovery", "--confirm", env=env)
    assert confirmed.returncode == 0, confirmed.stderr
    assert "key recovery" not in yici("branches", "list", env=env).stderr  # no more reminders

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


def test_a_backup_copied_elsewhere_is_restored_on_a_new_laptop_with_the_recovery_key(
    yici, data_dir, tmp_path
):
    env = {"YICI_OPERATOR": "王会计"}
    assert yici("branches", "add", "红星村党支部", env=env).returncode == 0
    save_operator(data_dir, "王会计")
    assert yici("key", "recovery", "--to-file", str(tmp_path / "k.txt"), input="王会计\n").returncode == 0
    [recovery] = RECOVERY.findall((tmp_path / "k.txt").read_text(encoding="utf-8"))
    stick = tmp_path / "stick"
    stick.mkdir()
    made = yici("backup", "--to", str(stick))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    side = Path(f"{backup}.key.json")
    assert side.is_file() and "key.json" in made.stderr
    keyring_file = tmp_path / "keyring.json"
    stored = json.loads(keyring_file.read_text(encoding="utf-8"))["yici"]
    [data_key] = [v for k, v in stored.items() if k.startswith("data-key/")]
    assert data_key not in side.read_text(encoding="utf-8")  # only wrapped keys and a check value

    # A new laptop: an empty keyring, no passphrase file, a new data folder, the stick.
    keyring_file.write_text(json.dumps({"yici": {}}), encoding="utf-8")
    new = tmp_path / "laptop2"
    bare = {"YICI_DATA_DIR": str(new), "YICI_PASSPHRASE_FILE": ""}
    asked = yici("restore", str(backup), env=bare)
    assert asked.returncode == 4 and "--recovery-key" in asked.stderr and "Traceback" not in asked.stderr
    assert not (new / "yici-key.json").exists()
    typo = recovery[:-1] + ("0" if recovery[-1] != "0" else "1")
    wrong = yici("restore", str(backup), "--recovery-key", input=typo + "\n", env=bare)
    assert wrong.returncode == 4 and ("不符" in wrong.stderr or "输错" in wrong.stderr), wrong.stderr
    restored = yici("restore", str(backup), "--recovery-key", input=recovery + "\n", env=bare)
    assert restored.returncode == 0 and "支部 1 个" in restored.stdout, restored.stderr
    assert "红星村党支部" in yici("branches", "list", env=bare).stdout


def test_a_folder_opened_by_passphrase_says_what_it_needs(yici, tmp_path):
    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    one_line = tmp_path / "pass.txt"
    one_line.write_text("村里的口令1234\n", encoding="utf-8")
    made = yici("branches", "add", "红星村党支部", env={**no_keyring, "YICI_PASSPHRASE_FILE": str(one_line)})
    assert made.returncode == 0, made.stderr

    with_note = tmp_path / "note.txt"  # the first line is the passphrase, as for --passphrase-file
    with_note.write_text("村里的口令1234\n这是村委会电脑的口令\n", encoding="utf-8")
    listed = yici("branches", "list", env={**no_keyring, "YICI_PASSPHRASE_FILE": str(with_note)})
    assert listed.returncode == 0 and "红星村党支部" in listed.stdout, listed.stderr

    none = yici("branches", "list", env={**no_keyring, "YICI_PASSPHRASE_FILE": ""})
    assert none.returncode == 4 and "口令" in none.stderr and "YICI_PASSPHRASE_FILE" in none.stderr
    assert "钥匙串里没有" not in none.stderr and "Traceback" not in none.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    blank = yici("branches", "list", env={**no_keyring, "YICI_PASSPHRASE_FILE": str(empty)})
    assert blank.returncode == 4 and "第一行是空的" in blank.stderr, blank.stderr
