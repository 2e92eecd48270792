"""Encryption at rest (docs/SECURITY.md): the database, its backups and attachments are encrypted
with a random key from the keyring; a wrong or missing key is told in Chinese and changes
nothing; the recovery key opens the folder where the keyring lost its entry; a folder from
before encryption is encrypted in place, and a process killed anywhere in that loses nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from forms.model import Field, Form
from forms.store import Store, cipher, keys
from forms.store.errors import KeyNeeded, KeyProblem, WrongKey
from forms.store.keys import KEY_FILE

REPO = Path(__file__).resolve().parents[3]
FORM = Form(
    id="visit", version=1, title="入户走访", fields=[Field(key="note", label="情况", type="longtext")]
)
SECRET_TEXT = "绝密走访内容甲乙丙"
ID_NUMBER = "11010519491231002X"


def folder_state(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def filled(data_dir: Path) -> tuple[str, str]:
    """A folder with a branch, a member, a final record and a photo; (record uuid, sha256)."""
    with Store.open(data_dir) as store:
        branch = store.add_branch("红星村党支部")
        store.add_member(branch.id, "张三", phone="13800138000")
        record = store.create_record(FORM, branch.id, {"note": f"{SECRET_TEXT} {ID_NUMBER}"}, "王会计")
        store.finalize(record.uuid, "王会计")
        photo = store.add_attachment(record.uuid, f"照片 {ID_NUMBER}".encode() * 100, "a.jpg")
        store.backup("manual")
        return record.uuid, photo.sha256


def forget_keys() -> None:
    """As a new process on another computer: nothing unlocked, an empty keyring."""
    keys._unlocked.clear()
    keyring.set_keyring(type(keyring.get_keyring())())


def test_a_folder_is_encrypted_and_a_plain_reader_sees_no_database(data_dir):
    uuid, _ = filled(data_dir)
    assert not cipher.is_plain(data_dir / "yici.db")
    plain = cipher.connect(data_dir / "yici.db", None)
    with pytest.raises(cipher.sqlite3.DatabaseError, match="file is not a database"):
        plain.execute("SELECT count(*) FROM records").fetchone()
    plain.close()
    with Store.open(data_dir) as store:
        assert SECRET_TEXT in store.record(uuid).data["note"]


def test_a_wrong_key_is_told_in_chinese_and_changes_nothing(data_dir, monkeypatch):
    filled(data_dir)
    key_id = keys.read_key_file(data_dir).key_id
    forget_keys()
    keyring.get_keyring().set_password("yici", f"data-key/{key_id}", os.urandom(32).hex())
    before = folder_state(data_dir)
    with pytest.raises(WrongKey, match="密钥与数据不符"):
        Store.open(data_dir)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, str(data_dir.parent / "wrong.txt"))
    (data_dir.parent / "wrong.txt").write_text("不是这个口令啊\n", encoding="utf-8")
    keyring.get_keyring().delete_password("yici", f"data-key/{key_id}")
    with pytest.raises(WrongKey, match="口令不对"):
        Store.open(data_dir)
    assert folder_state(data_dir) == before


def test_the_recovery_key_opens_a_folder_whose_keyring_entry_is_gone(data_dir, monkeypatch):
    with Store.open(data_dir) as store:
        recovery = store.new_recovery_key
        store.add_branch("红星村党支部")
    assert recovery and len(recovery.split("-")) == 8
    assert keys.recovery_key(data_dir) == recovery  # shown again on request
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    forget_keys()
    before = folder_state(data_dir)
    with pytest.raises(KeyNeeded, match="恢复密钥"):
        Store.open(data_dir)
    typo = recovery[:-1] + ("0" if recovery[-1] != "0" else "1")
    with pytest.raises(WrongKey, match="输错"):
        keys.unlock_with_recovery(data_dir, typo)
    assert folder_state(data_dir) == before
    assert keys.unlock_with_recovery(data_dir, recovery.lower().replace("-", " "))
    forget_keys_but_the_keyring = keys._unlocked.clear
    forget_keys_but_the_keyring()
    with Store.open(data_dir) as store:  # the new keyring entry opens it from now on
        assert [b.name for b in store.branches()] == ["红星村党支部"]


def test_without_a_keyring_a_passphrase_is_asked_at_start(data_dir, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    asked = []
    keys.set_asker(lambda purpose, folder: asked.append(purpose) or "村里的口令1234")
    try:
        with Store.open(data_dir) as store:
            store.add_branch("红星村党支部")
        keys._unlocked.clear()
        with Store.open(data_dir) as store:
            assert len(store.branches()) == 1
        assert asked == ["new", "open"]
        assert "村里的口令" not in (data_dir / KEY_FILE).read_text(encoding="utf-8")
        keys._unlocked.clear()
        keys.set_asker(lambda purpose, folder: "别的口令别的口令")
        with pytest.raises(WrongKey):
            Store.open(data_dir)
        keys._unlocked.clear()
        keys.set_asker(None)
        with pytest.raises(KeyNeeded):
            Store.open(data_dir)
    finally:
        keys.set_asker(None)


# -- upgrading a folder from before encryption ---------------------------------------------------


def make_plain_folder(folder: Path) -> tuple[list[str], set[str]]:
    """A folder as a Yici before encryption left it: plain database, plain backups, plain
    attachments, no key file. Returns (record uuids, attachment sha256s)."""
    uuids, shas = [], set()
    with Store.open(folder) as store:
        branch = store.add_branch("红星村党支部")
        for i in range(5):
            record = store.create_record(FORM, branch.id, {"note": f"{SECRET_TEXT}{i}"}, "王会计")
            store.finalize(record.uuid, "王会计")
            uuids.append(record.uuid)
            shas.add(store.add_attachment(record.uuid, f"照片{i}".encode() * 5000, f"{i}.jpg").sha256)
        store.backup("manual")
        key = store.key
    for db in [folder / "yici.db", *(folder / "backups").glob("*.db")]:
        plain = db.with_suffix(".plain")
        conn = cipher.connect(db, key)
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(plain)])
        conn.execute("SELECT sqlcipher_export('plain')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA plain.user_version = {version}")
        conn.execute("DETACH DATABASE plain")
        conn.close()
        os.replace(plain, db)
    for path in (folder / "attachments").glob("*/*"):
        path.write_bytes(b"".join(cipher.read_sealed(path, key)))
    (folder / KEY_FILE).unlink()
    return uuids, shas


KILLED_UPGRADE = r"""
import os, signal, sys
count = [0]
def counting(real):
    def call(*args, **kwargs):
        count[0] += 1
        if count[0] == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
os.replace = counting(os.replace)
os.fsync = counting(os.fsync)
from forms.store import Store
Store.open(sys.argv[1]).close()
print("done", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_upgrading_a_plain_folder_killed_at_every_step_loses_nothing(tmp_path):
    template = tmp_path / "template"
    uuids, shas = make_plain_folder(template)
    assert cipher.is_plain(template / "yici.db")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    kill_at, finished = 1, False
    while not finished:
        folder = tmp_path / f"run{kill_at}"
        shutil.copytree(template, folder)
        child = subprocess.run(
            [sys.executable, "-c", KILLED_UPGRADE, str(folder), str(kill_at)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=120,
        )
        finished = child.returncode == 0 and "done" in child.stdout
        assert finished or child.returncode == -signal.SIGKILL, child.stderr
        keys._unlocked.clear()
        with Store.open(folder) as store:  # the next start finishes what was cut short
            assert store.count_records(status="final") == len(uuids)
            assert all(SECRET_TEXT in store.record(u).data["note"] for u in uuids)
            assert {hashlib.sha256(store.attachment_bytes(s)).hexdigest() for s in shas} == shas
            assert store.check() == ["ok"]
        assert not cipher.is_plain(folder / "yici.db")
        assert not any(cipher.is_plain(b) for b in (folder / "backups").glob("*.db"))
        assert not any(SECRET_TEXT.encode() in p.read_bytes() for p in folder.rglob("*") if p.is_file())
        assert not keys.read_key_file(folder).plain_left
        # Wherever it was cut short, the recovery key is still shown: nobody confirmed it yet.
        assert store.new_recovery_key
        found = keys.read_key_file(folder)
        assert keys.unwrap(found.wraps["recovery"], keys.normal_recovery_key(store.new_recovery_key))
        shutil.rmtree(folder)
        kill_at += 1
    assert kill_at > 10  # killed at every rename and fsync of the upgrade, then it ran through


RACING_OPEN = r"""
import sys, time
from pathlib import Path
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
from forms.store import Store
Store.open(sys.argv[1]).close()
print("done", flush=True)
"""


@pytest.mark.slow
def test_two_processes_opening_a_plain_folder_at_once_make_one_key(tmp_path):
    folder = tmp_path / "data"
    uuids, shas = make_plain_folder(folder)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", RACING_OPEN, str(folder), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for _ in range(2)
    ]
    import time

    time.sleep(3)  # both children imported and waiting
    go.touch()
    for child in children:
        out, errors = child.communicate(timeout=120)
        assert child.returncode == 0 and "done" in out, errors
    keys._unlocked.clear()
    keyring.set_keyring(fail.Keyring())  # opened by the passphrase, as the children did
    with Store.open(folder) as store:
        assert store.count_records(status="final") == len(uuids)
        assert {hashlib.sha256(store.attachment_bytes(s)).hexdigest() for s in shas} == shas
        assert store.check() == ["ok"]
        key = store.key
    assert all(cipher.fits(b, key) for b in (folder / "backups").glob("*.db"))
    assert not keys.read_key_file(folder).plain_left
    with pytest.raises(KeyProblem, match="已经有钥匙文件"):
        keys.create(folder)  # never a second key over the first


# -- the recovery key is shown until the person confirms it is written down ---------------------


def test_the_recovery_key_is_shown_at_every_start_until_confirmed(data_dir):
    with Store.open(data_dir) as store:
        recovery = store.new_recovery_key
    assert recovery
    keys._unlocked.clear()
    with Store.open(data_dir) as store:
        assert store.new_recovery_key == recovery  # nobody said it was written down
    keys.confirm_recovery_key(data_dir)
    with Store.open(data_dir) as store:
        assert store.new_recovery_key is None
    assert keys.recovery_key(data_dir) == recovery  # still there on request


def open_with_power_cut_in(monkeypatch, step: str, folder) -> None:
    """Open a plain folder with the upgrade's `step` (forms/store/encrypting.py) failing as the
    power goes; afterwards the step works again, for the next start."""
    from forms.store import encrypting

    with monkeypatch.context() as cut:

        def power_cut(path, key):
            raise OSError("power cut")

        cut.setattr(encrypting, step, power_cut)
        with pytest.raises(Exception, match="power cut"):
            Store.open(folder)


def test_an_upgrade_cut_short_shows_the_recovery_key_at_the_next_start(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    make_plain_folder(folder)
    open_with_power_cut_in(monkeypatch, "encrypt_attachment", folder)
    keys._unlocked.clear()
    with Store.open(folder) as store:  # finishes the upgrade, and shows the key nobody saw
        recovery = store.new_recovery_key
        assert recovery and keys.read_key_file(folder).plain_left is False
    found = keys.read_key_file(folder)
    assert keys.unwrap(found.wraps["recovery"], keys.normal_recovery_key(recovery)) is not None


def test_a_key_is_in_the_keyring_before_its_key_file_is_written(data_dir, monkeypatch):
    def killed(key_id, key):
        raise SystemExit("killed while writing to the keyring")

    monkeypatch.setattr(keys, "to_keyring", killed)
    with pytest.raises(SystemExit):
        Store.open(data_dir)
    assert not (data_dir / KEY_FILE).exists()  # no key file whose recovery key nobody saw
    monkeypatch.undo()
    with Store.open(data_dir) as store:
        assert store.new_recovery_key


def test_a_refused_restore_makes_no_key(tmp_path):
    from forms.store.restoring import RestoreRefused, restore

    folder = tmp_path / "new"
    folder.mkdir()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RestoreRefused):
        restore(folder, junk)
    assert not (folder / KEY_FILE).exists()
    template = tmp_path / "old"
    make_plain_folder(template)  # a plain backup from before encryption is accepted
    keys._unlocked.clear()
    result = restore(folder, template / "yici.db")
    assert result.recovery_key and (folder / KEY_FILE).exists()
    assert not cipher.is_plain(folder / "yici.db")


def test_damaged_files_are_sealed_too_and_the_upgrade_is_not_done_before(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    make_plain_folder(folder)
    broken = folder / "backups" / "yici-manual-broken.db"
    broken_bytes = cipher.SQLITE_HEADER + f"{SECRET_TEXT} {ID_NUMBER}".encode() * 300
    broken.write_bytes(broken_bytes)
    photo = sorted((folder / "attachments").glob("*/*"))[0]
    photo_bytes = photo.read_bytes() + f"改过的照片 {ID_NUMBER}".encode()
    photo.write_bytes(photo_bytes)  # its content no longer matches its name
    open_with_power_cut_in(monkeypatch, "seal_damaged", folder)
    assert keys.read_key_file(folder).plain_left  # not done: the next start goes on
    keys._unlocked.clear()
    with Store.open(folder) as store:
        key = store.key
    assert not keys.read_key_file(folder).plain_left
    for secret in (SECRET_TEXT.encode(), ID_NUMBER.encode()):
        assert not [p for p in folder.rglob("*") if p.is_file() and secret in p.read_bytes()]
    assert not broken.exists() and not photo.exists()
    sealed_backup = broken.with_name(broken.name + ".damaged")
    sealed_photo = photo.with_name(photo.name + ".damaged")
    assert b"".join(cipher.read_sealed(sealed_backup, key)) == broken_bytes  # kept for a person
    assert b"".join(cipher.read_sealed(sealed_photo, key)) == photo_bytes


PHOTO_COPY = r"""
import os, signal, sys
from forms.store import Store
store = Store.open(sys.argv[1])
print(store.attachment_copy(sys.argv[2]), flush=True)
if sys.argv[3] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.readline()  # a running Yici: waits until told to end
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_plain_photo_copies_a_killed_run_left_are_removed_at_the_next_start(data_dir, tmp_path, monkeypatch):
    import tempfile
    import time

    from forms.store.attachments import remove_stale_copies

    _, sha = filled(data_dir)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TMPDIR": str(temp),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }

    def start(how: str) -> tuple[subprocess.Popen, Path]:
        child = subprocess.Popen(
            [sys.executable, "-c", PHOTO_COPY, str(data_dir), sha, how],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        copy = Path(child.stdout.readline().strip())
        assert copy.is_file() and ID_NUMBER.encode() in copy.read_bytes()
        return child, copy

    killed, left = start("kill")
    assert killed.wait(timeout=60) == -signal.SIGKILL
    running, shown = start("wait")
    try:
        old = time.time() - 3600
        for folder in (left.parent, shown.parent):
            os.utime(folder, (old, old))
        plain_folder = temp / "yici-open-from-before"  # no "in use" mark: never ours to remove
        plain_folder.mkdir()
        os.utime(plain_folder, (old, old))
        assert remove_stale_copies() == 1
        assert not left.parent.exists()  # the killed run's plain copy is gone
        assert shown.is_file() and plain_folder.is_dir()  # a running Yici's copies stay
    finally:
        running.stdin.close()
        running.wait(timeout=60)
    assert not shown.parent.exists()  # removed by its own process at exit
