"""dist/yici_<version>_amd64.deb from a compat bundle (packaging/build.py --compat calls this).

    /opt/yici/                        the bundle (Yici, yici, _internal/)
    /usr/bin/yici                     -> /opt/yici/yici, the command line on PATH
    /usr/share/applications/yici.desktop, /usr/share/icons/hicolor/*/apps/yici.*   the menu entry
    /usr/share/doc/yici/, /usr/share/man/man1/yici.1.gz, /usr/share/lintian/overrides/yici

Depends is worked out from the bundle itself: every shared library a binary in it asks for
(ELF NEEDED) that the bundle does not carry is the system's, and SYSTEM_LIBRARIES names the
Debian package holding it (the names UOS and Kylin use too). A library missing from that table
stops the build, so a new Qt plugin or wheel cannot quietly ship with a dependency apt would not
install. No maintainer scripts: dpkg's triggers refresh the menu and icon caches, and removal
leaves every data folder (~/.local/share/Yici, yici-data folders) alone.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINUX = Path(__file__).resolve().parent

# soname -> Debian package, for the libraries the bundle leaves to the system. Alternatives
# ("a | b") cover a package renamed between Debian 10 and Debian 11/12.
SYSTEM_LIBRARIES = {
    r"libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libutil\.so\.1"
    r"|libresolv\.so\.2|ld-linux-x86-64\.so\.2": "libc6 (>= 2.28)",
    r"libstdc\+\+\.so\.6": "libstdc++6",  # versioned below from the GLIBCXX symbols used
    r"libgcc_s\.so\.1": "libgcc-s1 | libgcc1",
    r"libz\.so\.1": "zlib1g",
    r"libzstd\.so\.1": "libzstd1",
    r"libgssapi_krb5\.so\.2": "libgssapi-krb5-2",  # QtNetwork's Negotiate authentication
    r"libglib-2\.0\.so\.0|libgobject-2\.0\.so\.0|libgio-2\.0\.so\.0|libgthread-2\.0\.so\.0"
    r"|libgmodule-2\.0\.so\.0": "libglib2.0-0",
    r"libdbus-1\.so\.3": "libdbus-1-3",
    r"libfontconfig\.so\.1": "libfontconfig1",
    r"libfreetype\.so\.6": "libfreetype6",
    r"libGL\.so\.1": "libgl1",
    r"libEGL\.so\.1": "libegl1",
    r"libOpenGL\.so\.0": "libopengl0",
    r"libGLX\.so\.0": "libglx0",
    r"libxkbcommon\.so\.0": "libxkbcommon0",
    r"libxkbcommon-x11\.so\.0": "libxkbcommon-x11-0",
    r"libX11\.so\.6": "libx11-6",
    r"libX11-xcb\.so\.1": "libx11-xcb1",
    r"libxcb\.so\.1": "libxcb1",
    r"libxcb-util\.so\.1": "libxcb-util1",  # Debian 10 has only libxcb-util.so.0 (docs/IT.md)
    r"libxcb-(cursor|glx|icccm|image|keysyms|randr|render|render-util|shape|shm|sync|xfixes|xkb"
    r"|xinput|xinerama|present|dri2|dri3)\.so\.(\d+)": "libxcb-{0}{1}",
    r"libSM\.so\.6": "libsm6",
    r"libICE\.so\.6": "libice6",
    r"libwayland-(client|cursor|egl)\.so\.(\d+)": "libwayland-{0}{1}",
    r"libcups\.so\.2": "libcups2",
    r"libmtdev\.so\.1": "libmtdev1",
}
# Asked for only by what works without it, so Recommends: the printer plugin (without CUPS, Qt
# lists no printers; preview and PDF still work).
OPTIONAL = {"libcups2"}
# Not a library: a font with Chinese glyphs for the window (the bundled WenQuanYi is for PDFs).
# UOS and Kylin have one; a bare Debian has only DejaVu, and every label would be boxes. Any of
# these will do, and apt installs the first when none is there.
CJK_FONTS = "fonts-wqy-microhei | fonts-noto-cjk | fonts-wqy-zenhei | fonts-arphic-uming"
# GLIBCXX_3.4.N -> the GCC release whose libstdc++6 package first has it.
GLIBCXX_GCC = {25: "8", 26: "9", 27: "9", 28: "10", 29: "11", 30: "12", 31: "13", 32: "14"}


def say(text: str) -> None:
    print(f"==> {text}", file=sys.stderr, flush=True)


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_and_versions(bundle: Path) -> tuple[dict[str, set[str]], set[str]]:
    """{soname: files asking for it} and every symbol version (GLIBC_2.17, GLIBCXX_3.4.21, ...)."""
    needed: dict[str, set[str]] = {}
    versions: set[str] = set()
    for path in elf_files(bundle):
        out = subprocess.run(["objdump", "-p", "-T", str(path)], capture_output=True, text=True).stdout
        for name in re.findall(r"^\s+NEEDED\s+(\S+)$", out, re.M):
            needed.setdefault(name, set()).add(str(path.relative_to(bundle)))
        versions.update(re.findall(r"\b(GLIBC(?:XX)?_\d+(?:\.\d+)+)\b", out))
    return needed, versions


def dependencies(bundle: Path) -> tuple[list[str], list[str]]:
    """(Depends, Recommends) for the bundle; stops the build on a library the table lacks."""
    needed, versions = needed_and_versions(bundle)
    carried = {p.name for p in bundle.rglob("*")}
    # Not a library: deliveries trust the system's certificate store only (sync/http.py,
    # truststore), which a minimal system may not have.
    depends, recommends, unknown = {"ca-certificates"}, set(), []
    for soname, users in sorted(needed.items()):
        if soname in carried:
            continue
        for pattern, package in SYSTEM_LIBRARIES.items():
            match = re.fullmatch(pattern, soname)
            if match:
                package = package.format(*match.groups())
                (recommends if package in OPTIONAL else depends).add(package)
                break
        else:
            unknown.append(f"{soname} (asked for by {', '.join(sorted(users)[:3])})")
    if unknown:
        sys.exit(
            "the bundle needs system libraries the .deb does not know the package of:\n  "
            + "\n  ".join(unknown)
            + "\nadd each to SYSTEM_LIBRARIES in packaging/linux/deb.py"
            + " (or leave what pulls it in out of the bundle)"
        )
    cxx = [int(v.rsplit(".", 1)[1]) for v in versions if v.startswith("GLIBCXX_3.4.")]
    if "libstdc++6" in depends and cxx and max(cxx) >= min(GLIBCXX_GCC):
        depends.discard("libstdc++6")
        depends.add(f"libstdc++6 (>= {GLIBCXX_GCC.get(max(cxx), max(GLIBCXX_GCC.values()))})")
    return sorted(depends), sorted(recommends | {CJK_FONTS})


CONTROL = """\
Package: yici
Version: {version}
Architecture: amd64
Maintainer: {maintainer}
Installed-Size: {size_kib}
Depends: {depends}
Recommends: {recommends}
Section: misc
Priority: optional
Description: enter a party branch's records once, deliver them everywhere
 Yici (一次) is a desktop app for township and village cadres: a 三会一课
 meeting, a household visit or a party-dues payment is typed once, kept in a
 local SQLite file, and delivered to the party-building platforms, the
 county's Excel import and the DingTalk / WeCom / Feishu work groups when
 the network comes back, with proof of what went where.
 .
 The program and everything it runs on (Python, Qt) are in /opt/yici;
 `yici` is its command line. Each user's records stay in their own data
 folder, which removing the package leaves in place.
"""

COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: yici
Comment: /opt/yici/_internal carries the Python runtime and libraries Yici runs
 on, each under its own licence: CPython (PSF-2.0), Qt 6 and PySide6
 (LGPL-3), OpenSSL (Apache-2.0), SQLite (public domain), WenQuanYi Micro Hei
 (Apache-2.0 or GPL-3 with font exception, see
 /opt/yici/_internal/resources/fonts/wqy-microhei-LICENSE.txt), and the
 Python packages listed in /opt/yici/_internal/*.dist-info.

Files: *
Copyright: the Yici authors
License: proprietary
 Distributed to township and village offices by their IT staff.
"""

MANPAGE = """\
.TH YICI 1 "" "yici {version}" "User Commands"
.SH NAME
yici \\- enter a party branch's records once, deliver them to every platform
.SH SYNOPSIS
.B yici
[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]
.SH DESCRIPTION
Started without a command,
.B yici
opens the desktop app (also in the applications menu as 一次).
With a command it works headless:
.B yici forms list,
.B yici branches add,
.B yici records new,
.B yici sync,
.B yici status
and the others that
.B yici \\-\\-help
lists.
Every command takes
.BI \\-\\-data\\-dir " DIR";
otherwise the data folder is $YICI_DATA_DIR, a yici-data folder beside the program, or
~/.local/share/Yici.
.SH EXIT STATUS
0 success, 1 bad input, 2 usage error, 3 deliveries still pending, 4 something needs attention.
"""


def _gzip(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    path.chmod(0o644)


def _normalize_modes(folder: Path) -> None:
    """Directories 755, executables 755, everything else 644 (PyInstaller leaves some 700/600)."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.parent == folder and path.name in ("Yici", "yici")
            path.chmod(0o755 if executable else 0o644)


def build_deb(bundle: Path, version: str, dist: Path, work: Path) -> Path:
    stage = work / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    opt = stage / "opt" / "yici"
    say("staging the .deb")
    shutil.copytree(bundle, opt, symlinks=True)
    for extra in ("install.sh", "yici.desktop", "yici.png", "yici.svg", "IT.md"):  # the .tar.gz's own
        (opt / extra).unlink(missing_ok=True)
    _normalize_modes(opt)

    usr = stage / "usr"
    (usr / "bin").mkdir(parents=True)
    os.symlink("/opt/yici/yici", usr / "bin" / "yici")  # between top-level folders: absolute
    entry = (LINUX / "yici.desktop").read_text(encoding="utf-8")
    entry = re.sub(r"^# install\.sh .*\n", "", entry, flags=re.M)
    entry = re.sub(r"^Exec=.*$", "Exec=/opt/yici/Yici", entry, flags=re.M)
    entry = re.sub(r"^TryExec=.*$", "TryExec=/opt/yici/Yici", entry, flags=re.M)
    apps = usr / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / "yici.desktop").write_text(entry, encoding="utf-8")
    icons = ROOT / "resources" / "icons"
    for size in (32, 64, 256):
        target = usr / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "yici.png"
        target.parent.mkdir(parents=True)
        shutil.copy2(icons / f"yici-{size}.png", target)
    scalable = usr / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / "yici.svg", scalable / "yici.svg")
    doc = usr / "share" / "doc" / "yici"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    _gzip(
        f"yici ({version}) stable; urgency=medium\n\n  * Release {version}.\n\n"
        f" -- {maintainer()}  Thu, 01 Jan 2026 00:00:00 +0000\n",
        doc / "changelog.gz",
    )
    _gzip(MANPAGE.format(version=version), usr / "share" / "man" / "man1" / "yici.1.gz")
    overrides = usr / "share" / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copy2(LINUX / "lintian-overrides", overrides / "yici")
    _normalize_modes(usr)

    depends, recommends = dependencies(opt)
    size_kib = sum(p.lstat().st_size for p in stage.rglob("*")) // 1024
    control = stage / "DEBIAN"
    control.mkdir()
    text = CONTROL.format(
        version=version,
        maintainer=maintainer(),
        size_kib=size_kib,
        depends=", ".join(depends),
        recommends=", ".join(recommends),
    )
    if not recommends:
        text = text.replace("Recommends: \n", "")
    (control / "control").write_text(text, encoding="utf-8")
    sums = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file() and not p.is_symlink()):
        if control not in path.parents:
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(stage)}\n")
    (control / "md5sums").write_text("".join(sums), encoding="utf-8")
    _normalize_modes(control)

    deb = dist / f"yici_{version}_amd64.deb"
    say(f"dpkg-deb: {deb.name} (xz)")
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "-z9", "--build", str(stage), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(stage, ignore_errors=True)
    return deb


def maintainer() -> str:
    """IT staff who rebuild the package put their own name here (YICI_DEB_MAINTAINER)."""
    return os.environ.get("YICI_DEB_MAINTAINER", "Yici <yici@example.org>")
