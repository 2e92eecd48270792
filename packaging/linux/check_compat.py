"""Install dist/yici_<version>_amd64.deb on a bare Debian 11 (glibc 2.31) and use it there.

    ./dev check-compat [--keep]         (as root: debootstrap, chroot, mount)

A minimal Debian 11 root (debootstrap --variant=minbase, cached as a tarball in
~/.cache/yici/compat/) gets the .deb with `apt-get install ./yici_….deb`, so apt brings exactly
what its Depends name and nothing else. Then, as an ordinary user inside the root:
  yici --version, yici forms list, a record's round trip (branches add, records new --final,
  records show), `ldd` on every binary (no library left unfound), an iPhone's HEIC photo read
  (yici photos inspect), the window offscreen and, when
  this machine has Xvfb, on a real X server through Qt's xcb plugin (started, left running a few
  seconds, stopped with SIGTERM: exit 0); then `apt-get remove yici`, which must leave the user's
  data folder. Exit 0 when all of it works; each step prints what it saw.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging" / "compat"))
from cpython import cache_root, debian_mirrors, say  # noqa: E402  # the compat build's own

SUITE = "bullseye"  # Debian 11, glibc 2.31: the oldest Debian the archive still serves
USER = "cadre"
# Without a keyring (none in the root) Yici opens its data key with a passphrase file.
PASSPHRASE = {"YICI_PASSPHRASE_FILE": f"/home/{USER}/.yici-passphrase"}
UID = 4242


def mirror() -> str:
    """The Debian archive this machine's apt uses."""
    return next(m for m in debian_mirrors() if m.endswith("/debian"))


def base_root() -> Path:
    """A tarball of a minimal Debian 11 root, made once with debootstrap."""
    tarball = cache_root() / f"{SUITE}-minbase.tar"
    if tarball.is_file():
        return tarball
    if shutil.which("debootstrap") is None:
        sys.exit("debootstrap is missing: apt-get install debootstrap (./dev check-compat installs it)")
    tarball.parent.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix="debootstrap-", dir=tarball.parent))
    say(f"debootstrap --variant=minbase {SUITE} (once, a few minutes)")
    started = time.monotonic()
    subprocess.run(
        ["debootstrap", "--variant=minbase", SUITE, str(target), mirror()],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(["tar", "-C", str(target), "-cf", str(tarball) + ".part", "."], check=True)
    os.replace(str(tarball) + ".part", tarball)
    shutil.rmtree(target)
    say(f"Debian 11 root made in {time.monotonic() - started:.0f} s: {tarball}")
    return tarball


class Chroot:
    """An unpacked root with /proc, /dev and /sys mounted; commands run in it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mounts: list[Path] = []

    def mount(self, source: str, target: str, *options: str) -> None:
        point = self.folder / target.lstrip("/")
        point.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", *options, source, str(point)], check=True)
        self.mounts.append(point)

    def __enter__(self) -> Chroot:
        resolv = self.folder / "etc" / "resolv.conf"
        resolv.unlink(missing_ok=True)  # a link in the root must not lead the copy outside it
        resolv.write_bytes(Path("/etc/resolv.conf").read_bytes())
        try:
            self.mount("proc", "/proc", "-t", "proc")
            self.mount("/dev", "/dev", "--rbind")
            self.mount("sysfs", "/sys", "-t", "sysfs")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for point in reversed(self.mounts):
            subprocess.run(["umount", "-R", "-l", str(point)], check=False)

    def run(
        self,
        *command: str,
        user: bool = False,
        env: dict | None = None,
        check: bool = True,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess:
        prefix = ["chroot"] + ([f"--userspec={UID}:{UID}"] if user else []) + [str(self.folder)]
        environment = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": f"/home/{USER}" if user else "/root",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "DEBIAN_FRONTEND": "noninteractive",
            **(env or {}),
        }
        result = subprocess.run(
            [*prefix, *command], env=environment, capture_output=True, text=True, timeout=timeout
        )
        if check and result.returncode:
            sys.exit(
                f"failed in the Debian 11 root: {' '.join(command)} (exit {result.returncode})\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result


def mounted_under(folder: Path) -> list[str]:
    """Mount points at or below `folder` (from /proc/self/mounts)."""
    inside = str(folder.resolve())
    points = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        point = line.split()[1].replace("\\040", " ")
        if point == inside or point.startswith(inside + "/"):
            points.append(point)
    return points


def remove_root(work: Path) -> None:
    """Delete the unpacked root, never through a mount still in it: with the host's /dev bound
    there, a recursive delete as root would empty the host's /dev."""
    left = mounted_under(work)
    if left:
        say(f"not deleting {work}: still mounted there: {', '.join(left)} (umount them, then delete it)")
        return
    shutil.rmtree(work, ignore_errors=True)


def yici(root: Chroot, *args: str, env: dict | None = None) -> str:
    env = {**PASSPHRASE, **(env or {})}
    result = root.run("yici", *args, "--data-dir", f"/home/{USER}/data", user=True, env=env)
    text = result.stdout + result.stderr
    if "Traceback" in text:
        sys.exit(f"yici {' '.join(args)} printed a traceback:\n{text}")
    return result.stdout


def window(root: Chroot, platform: str, env: dict | None = None) -> None:
    """Start the window, wait until it has opened the data folder, let it run, stop it."""
    data = root.folder / "home" / USER / "data"
    (data / "ui.json").unlink(missing_ok=True)
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": f"/home/{USER}",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "QT_QPA_PLATFORM": platform,
        **PASSPHRASE,
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            shutil.which("chroot") or "/usr/sbin/chroot",  # not on the window's PATH
            f"--userspec={UID}:{UID}",
            str(root.folder),
            "/opt/yici/Yici",
            "--data-dir",
            f"/home/{USER}/data",
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (data / "ui.json").exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if not (data / "ui.json").exists():
            process.kill()
            out, err = process.communicate()
            sys.exit(
                f"the window ({platform}) never opened the data folder (exit {process.returncode}):\n{err}"
            )
        time.sleep(3)
        if process.poll() is not None:
            sys.exit(
                f"the window ({platform}) stopped by itself: exit {process.returncode}\n"
                + process.stderr.read()
            )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit(f"the window ({platform}) did not stop within 30 s of SIGTERM")
    if process.returncode != 0 or "Traceback" in err:
        sys.exit(f"the window ({platform}) ended with exit {process.returncode}:\n{err}")
    say(f"window on {platform}: opened the data folder, ran, stopped on SIGTERM with exit 0")


def photo_check(root: Chroot, work: Path) -> None:
    """An iPhone's HEIC decoded there: pi-heif's libheif on the system's libstdc++ (the picture is
    made here with pillow-heif, from the test tools, which can write HEIC)."""
    try:
        import io

        import pillow_heif
        from PIL import Image
    except ImportError:
        say("no pillow-heif here (yici[test]): the HEIC photo was not tried")
        return
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (200, 30, 30))).save(out, quality=80)
    photo = work / "home" / USER / "IMG_0001.HEIC"
    photo.write_bytes(out.getvalue())
    os.chown(photo, UID, UID)
    shown = json.loads(yici(root, "photos", "inspect", f"/home/{USER}/IMG_0001.HEIC", "--json"))
    assert (shown["format"], shown["width"], shown["height"]) == ("HEIF", 64, 48), shown
    say("yici photos inspect: an iPhone's HEIC decoded (64×48)")


def start_xvfb() -> tuple[subprocess.Popen, str] | None:
    if shutil.which("Xvfb") is None:
        return None
    for number in range(71, 90):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            server = subprocess.Popen(
                ["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(50):
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    return server, f":{number}"
                time.sleep(0.1)
            server.kill()
    return None


def check(deb: Path, keep: bool) -> None:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="yici-bullseye-", dir=cache_root()))
    say(f"unpacking the Debian 11 root into {work}")
    with tarfile.open(base_root()) as tar:
        tar.extractall(work, filter="fully_trusted")  # a root file system: devices, owners, modes
    work.chmod(0o755)  # it becomes "/": mkdtemp's 700 would lock the ordinary user out
    try:
        with Chroot(work) as root:
            glibc = root.run("ldd", "--version").stdout.splitlines()[0]
            say(f"inside: {(work / 'etc' / 'debian_version').read_text().strip()}, {glibc}")
            root.run("useradd", "--create-home", "--uid", str(UID), "--user-group", USER)
            # The root has no keyring: the data key is opened with a passphrase, as on such a laptop.
            secret = work / PASSPHRASE["YICI_PASSPHRASE_FILE"].lstrip("/")
            secret.write_text("这台电脑的数据口令-2026\n", encoding="utf-8")
            secret.chmod(0o600)
            os.chown(secret, UID, UID)
            shutil.copy2(deb, work / "tmp" / deb.name)
            say("apt-get install ./" + deb.name)
            root.run("apt-get", "update", "-qq")
            before = set(root.run("dpkg-query", "-W", "-f=${Package}\\n").stdout.split())
            root.run("apt-get", "install", "-y", "-qq", f"/tmp/{deb.name}", timeout=1800)
            added = set(root.run("dpkg-query", "-W", "-f=${Package}\\n").stdout.split()) - before
            say(f"apt installed yici and {len(added) - 1} packages it pulled in")
            fonts = {"fonts-wqy-microhei", "fonts-noto-cjk", "fonts-wqy-zenhei", "fonts-arphic-uming"}
            assert added & fonts, "no font for Chinese came with the package: the window would show boxes"

            version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
                "version"
            ]
            out = yici(root, "--version").strip()
            assert out == f"yici {version}", out
            say(f"yici --version: {out}")
            # (the first command makes the data folder; the reading ones refuse a missing one)
            yici(root, "branches", "add", "红星村党支部", "--code", "HX01", "--secretary", "王建国")
            forms = json.loads(yici(root, "forms", "list", "--json"))
            assert {"sanhui-yike", "ruhu-zoufang"} <= {f["id"] for f in forms}, forms
            say(f"yici forms list: {len(forms)} forms")
            uuid = yici(
                root,
                "records",
                "new",
                "sanhui-yike",
                "--branch",
                "HX01",
                "--final",
                "--set",
                "meeting_type=支部委员会",
                "--set",
                "title=十一月支部委员会",
                "--set",
                "held_at=2026-11-05T09:00",
                "--set",
                "topics=研究冬季防火",
                "--set",
                "content=传达上级精神，部署冬季防火。",
            ).strip()
            record = json.loads(yici(root, "records", "show", uuid, "--json"))
            assert record["status"] == "final" and record["data"]["title"] == "十一月支部委员会", record
            assert record["data"]["host"] == "王建国", record  # a default the form engine computed
            say(f"record round trip: {uuid} final, 主持人 {record['data']['host']}")
            database = (work / "home" / USER / "data" / "yici.db").read_bytes()[:16]
            assert database != b"SQLite format 3\x00", "the data folder was written in plain"
            say("the data folder is encrypted (the data key opened with the passphrase file)")

            # ldd reads each file alone; a library the bundle carries may be found only through
            # the module that loads it (pi-heif's libheif finds libde265 by _pi_heif's RPATH), so
            # what counts is a library that is nowhere: neither in the bundle nor on the system.
            listing = root.run(
                "sh",
                "-c",
                "find /opt/yici -type f \\( -name '*.so*' -o -perm -u+x \\) -exec ldd {} + 2>/dev/null",
                check=False,
            ).stdout
            carried = {p.name for p in (work / "opt" / "yici").rglob("*")}
            unfound = sorted(
                {line.split()[0] for line in listing.splitlines() if "not found" in line} - carried
            )
            if unfound:
                sys.exit(f"libraries not found in the Debian 11 root: {', '.join(unfound)}")
            say("ldd: no library missing for any binary in /opt/yici (the bundle's or the system's)")

            photo_check(root, work)
            profile = work / "home" / USER / "profile.yaml"
            profile.write_text("yici_profile: 1\nsettings:\n  operator: 测试员\n", encoding="utf-8")
            os.chown(profile, UID, UID)
            yici(root, "profile", "import", f"/home/{USER}/profile.yaml")
            window(root, "offscreen")
            xvfb = start_xvfb()
            if xvfb:
                server, display = xvfb
                try:
                    root.mount("/tmp/.X11-unix", "/tmp/.X11-unix", "--bind")
                    window(root, "xcb", {"DISPLAY": display})
                finally:
                    server.terminate()
            else:
                say("no Xvfb on this machine: the xcb (X11) window was not tried")

            root.run("apt-get", "remove", "-y", "-qq", "yici")
            left = [
                p
                for p in ("opt/yici", "usr/bin/yici", "usr/share/applications/yici.desktop")
                if (work / p).exists() or (work / p).is_symlink()
            ]
            assert not left, f"left behind after apt-get remove: {left}"
            kept = [work / "home" / USER / "data" / name for name in ("yici.db", "yici-key.json")]
            assert all(p.is_file() for p in kept), "the data folder (or its key file) went with the package"
            say("apt-get remove yici: program, command and menu entry gone, the user's data kept")
    finally:
        if keep:
            say(f"kept the root: {work}")
        else:
            remove_root(work)
    say(f"Debian 11 check passed in {time.monotonic() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help="the package (default: dist/yici_<version>_amd64.deb)")
    parser.add_argument("--keep", action="store_true", help="leave the root in the cache folder afterwards")
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("check-compat needs root (debootstrap, chroot, mount): sudo ./dev check-compat")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    deb = (args.deb or ROOT / "dist" / f"yici_{version}_amd64.deb").resolve()
    if not deb.is_file():
        sys.exit(f"{deb} is missing: build it with ./dev deb")
    check(deb, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
