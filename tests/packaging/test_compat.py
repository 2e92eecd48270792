"""The compat build (./dev build --compat): a bundle for glibc >= 2.28 and its .deb (docs/IT.md).

    ./dev build --compat && YICI_BUNDLE=dist/yici ./dev test tests/packaging

The bundle's own behaviour (the command line, the window, printing) is test_bundle.py's, run on
the same YICI_BUNDLE; here: what only the compat build promises. That it installs and starts on a
real Debian 11 is `./dev check-compat` (root, a few minutes; see docs/IT.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging" / "compat"))
sys.path.insert(0, str(ROOT / "packaging" / "linux"))
import check_compat  # noqa: E402
import cpython  # noqa: E402
import deb  # noqa: E402

GLIBC_MOST = "2.28"  # UOS 20 and Kylin V10 (issue 16)
DOWNLOAD_BUDGET_MB = 75  # the .deb and the .tar.gz each
UNPACKED_BUDGET_MB = 150  # the folder, fonts included (docs/IT.md §9 has the table)
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
needs_objdump = pytest.mark.skipif(shutil.which("objdump") is None, reason="needs objdump (binutils)")


def _bundle() -> Path | None:
    path = os.environ.get("YICI_BUNDLE")
    return Path(path).resolve() if path else None


def _is_compat(bundle: Path | None) -> bool:
    info = bundle / "BUILD-INFO.txt" if bundle else None
    return bool(info and info.is_file() and "compat build" in info.read_text(encoding="utf-8"))


# .ci/run sets YICI_COMPAT_REQUIRED after building the compat bundle: then a bundle that does not
# say it is one fails here instead of every check being skipped.
if os.environ.get("YICI_COMPAT_REQUIRED") and not _is_compat(_bundle()):
    raise pytest.UsageError(
        f"YICI_COMPAT_REQUIRED is set but {_bundle()} is not a compat bundle (no BUILD-INFO.txt saying so)"
    )
compat_only = pytest.mark.skipif(
    not _is_compat(_bundle()),
    reason="needs a compat bundle: ./dev build --compat, then YICI_BUNDLE=dist/yici",
)


def _deb() -> Path:
    return _bundle().parent / f"yici_{VERSION}_amd64.deb"


# --- the check itself (runs in every test run) ----------------------------------------------------


@needs_objdump
def test_the_glibc_check_names_each_binary_needing_a_newer_glibc(tmp_path):
    """A binary of this machine that needs glibc > 2.28 is named, with its newest symbol; a text
    file and a symlink are not looked at."""
    candidates = [Path(sys.executable).resolve(), Path("/bin/ls"), Path("/usr/bin/python3").resolve()]
    newer = [
        p
        for p in candidates
        if p.is_file() and cpython.glibc_too_new(p.parent, GLIBC_MOST) and _newest_glibc(p) > (2, 28)
    ]
    if not newer:
        pytest.skip("this machine's glibc is too old to have a binary needing more than 2.28")
    folder = tmp_path / "bundle"
    (folder / "_internal").mkdir(parents=True)
    shutil.copy2(newer[0], folder / "_internal" / "newer-binary")
    (folder / "notes.txt").write_text("GLIBC_2.99 in text is not a symbol\n")
    (folder / "link").symlink_to(newer[0])
    found = cpython.glibc_too_new(folder, GLIBC_MOST)
    major, minor = _newest_glibc(newer[0])
    assert found == [f"_internal/newer-binary: GLIBC_{major}.{minor}"]
    assert cpython.glibc_too_new(folder, f"{major}.{minor}") == []
    # A file that looks like ELF but cannot be read is named, never counted as clean.
    (folder / "_internal" / "damaged.so").write_bytes(b"\x7fELF" + b"\0" * 60)
    found = cpython.glibc_too_new(folder, f"{major}.{minor}")
    assert len(found) == 1 and found[0].startswith("_internal/damaged.so: objdump could not read it"), found


def _newest_glibc(path: Path) -> tuple[int, int]:
    out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
    return max((tuple(map(int, v)) for v in re.findall(r"GLIBC_(\d+)\.(\d+)", out)), default=(0, 0))


def test_the_deb_refuses_a_system_library_it_cannot_name(tmp_path, monkeypatch):
    """A library the bundle leaves to the system but no Debian package is known for stops the
    build, naming the library and who asked for it; a known one becomes a dependency."""
    needed = {"libxcb-cursor.so.0": {"_internal/libQt6XcbQpa.so.6"}, "libcups.so.2": {"printsupport"}}
    monkeypatch.setattr(deb, "needed_and_versions", lambda bundle: (needed, {"GLIBCXX_3.4.21"}))
    assert deb.dependencies(tmp_path) == (["ca-certificates", "libxcb-cursor0"], [deb.CJK_FONTS, "libcups2"])
    needed["libfancy.so.3"] = {"_internal/PySide6/plugins/fancy/libqfancy.so"}
    with pytest.raises(SystemExit, match=r"libfancy\.so\.3 \(asked for by _internal/PySide6/plugins"):
        deb.dependencies(tmp_path)


def test_the_debian_root_is_never_deleted_through_a_mount_in_it(tmp_path, monkeypatch):
    """With the host's /dev bound inside, deleting the root as root would empty the host's /dev:
    a root with anything still mounted in it is left, and said so."""
    assert "/proc" in check_compat.mounted_under(Path("/proc"))
    assert check_compat.mounted_under(tmp_path) == []
    root = tmp_path / "root"
    (root / "dev").mkdir(parents=True)
    monkeypatch.setattr(check_compat, "mounted_under", lambda folder: [str(folder / "dev")])
    check_compat.remove_root(root)
    assert root.is_dir()
    monkeypatch.undo()
    check_compat.remove_root(root)
    assert not root.exists()


# --- the compat bundle -----------------------------------------------------------------------------


@compat_only
@needs_objdump
def test_every_binary_needs_at_most_glibc_2_28():
    """Executables, libpython, extension modules, Qt libraries and plugins: objdump -T of each."""
    bundle = _bundle()
    binaries = deb.elf_files(bundle)
    names = {p.name for p in binaries}
    assert {"yici", "libpython3.11.so.1.0", "libQt6Core.so.6"} <= names  # Yici is a link to yici
    assert any(n.startswith("libqxcb") for n in names) and any(n.startswith("_ssl.") for n in names)
    assert any("sqlcipher3" in p.parts and p.name.startswith("_sqlite3.") for p in binaries)  # SQLCipher
    too_new = cpython.glibc_too_new(bundle, GLIBC_MOST)
    print(f"{len(binaries)} ELF files checked, {len(too_new)} need more than GLIBC_{GLIBC_MOST}")
    assert not too_new, "\n".join(too_new)


@compat_only
def test_no_library_of_the_build_machine_is_bundled():
    """X11, xcb, GLib, fontconfig, libstdc++ come from the target (the .deb's Depends): the build
    machine's copies would need its newer glibc."""
    internal = _bundle() / "_internal"
    system = re.compile(r"lib(X11|xcb|glib-2|gio-2|fontconfig|freetype|stdc\+\+|gcc_s|dbus-1|xkbcommon)[.-]")
    # A wheel's own copies are renamed with a hash (Pillow's libxcb-9065bb12.so.1.1.0) and were
    # built for manylinux_2_28 like the wheel; the symbol test checks them too.
    vendored = re.compile(r"-[0-9a-f]{8}\.so")
    assert not sorted(
        p.name for p in internal.rglob("*.so*") if system.match(p.name) and not vendored.search(p.name)
    )


@compat_only
def test_within_the_size_budget():
    bundle = _bundle()
    unpacked = sum(p.lstat().st_size for p in bundle.rglob("*")) / 1e6
    archive = bundle.parent / f"yici-{VERSION}-linux-x86_64-glibc2.28.tar.gz"
    print(f"unpacked {unpacked:.1f} MB, {archive.name} {archive.stat().st_size / 1e6:.1f} MB")
    assert unpacked <= UNPACKED_BUDGET_MB
    assert archive.stat().st_size / 1e6 <= DOWNLOAD_BUDGET_MB


# --- the .deb ----------------------------------------------------------------------------------------


@compat_only
def test_deb_installs_under_opt_with_command_menu_entry_and_icon():
    package = _deb()
    assert package.is_file(), f"{package} is missing: ./dev build --compat makes it"
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(package)], capture_output=True, text=True, check=True
    ).stdout
    rows = {line.split()[5].lstrip("."): line for line in listing.splitlines()}
    assert rows["/opt/yici/yici"].startswith("-rwxr-xr-x root/root")
    assert rows["/opt/yici/Yici"].rstrip().endswith("Yici -> yici")  # the same program (build.spec)
    assert "/usr/bin/yici" in rows and rows["/usr/bin/yici"].rstrip().endswith("-> /opt/yici/yici")
    for icon in (
        "32x32/apps/yici.png",
        "64x64/apps/yici.png",
        "256x256/apps/yici.png",
        "scalable/apps/yici.svg",
    ):
        assert f"/usr/share/icons/hicolor/{icon}" in rows
    assert "/usr/share/doc/yici/copyright" in rows and "/usr/share/man/man1/yici.1.gz" in rows
    assert not [p for p in rows if p.startswith("/opt/yici/") and p.endswith(("install.sh", ".pyc~"))]
    # Nothing writable by others; no file outside /opt, /usr.
    assert not [r for r in listing.splitlines() if r[8] == "w" and not r.startswith("l")]
    assert all(p.startswith(("/opt/", "/usr/")) or p in ("/", "/opt", "/usr") for p in rows), [
        p for p in rows if not p.startswith(("/opt/", "/usr/"))
    ]

    scratch = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True).stdout.strip())
    try:
        subprocess.run(["dpkg-deb", "-x", str(package), str(scratch)], check=True)
        entry = (scratch / "usr/share/applications/yici.desktop").read_text(encoding="utf-8")
        assert "\nExec=/opt/yici/Yici\n" in entry and "\nIcon=yici\n" in entry and "Name[zh_CN]=一次" in entry
        assert (scratch / "opt/yici/Yici").is_file()
        if shutil.which("desktop-file-validate"):
            subprocess.run(
                ["desktop-file-validate", str(scratch / "usr/share/applications/yici.desktop")], check=True
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@compat_only
def test_deb_depends_on_what_qt_needs_from_the_system():
    """apt brings Qt's X11 libraries on a bare system; the package's size fits the download budget."""
    package = _deb()
    fields = dict(
        line.split(": ", 1)
        for line in subprocess.run(
            ["dpkg-deb", "-f", str(package)], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "yici" and fields["Version"] == VERSION and fields["Architecture"] == "amd64"
    depends = {d.strip().split(" ")[0] for d in fields["Depends"].split(",")}
    assert {
        "libc6",
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libx11-xcb1",
        "libfontconfig1",
        "libglib2.0-0",
        "libdbus-1-3",
        "libegl1",
    } <= depends, fields["Depends"]
    assert "libc6 (>= 2.28)" in fields["Depends"]
    assert "ca-certificates" in depends  # HTTPS deliveries trust the system's store
    assert "libcups2" in fields.get("Recommends", "")
    assert "fonts-wqy-microhei | fonts-noto-cjk" in fields["Recommends"]  # Chinese in the window
    size_mb = package.stat().st_size / 1e6
    print(f"{package.name}: {size_mb:.1f} MB")
    assert size_mb <= DOWNLOAD_BUDGET_MB


@compat_only
@pytest.mark.skipif(
    shutil.which("lintian") is None, reason="needs lintian (./dev build --compat installs it)"
)
def test_lintian_reports_nothing_the_package_does_not_explain():
    """Every error and warning lintian has is one packaging/linux/lintian-overrides explains
    (docs/IT.md lists why); a new one fails here."""
    result = subprocess.run(
        ["lintian", "--no-tag-display-limit", str(_deb())], capture_output=True, text=True
    )
    tags = [line for line in result.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert not tags, "\n".join(tags)
    assert result.returncode == 0, result.stdout + result.stderr
