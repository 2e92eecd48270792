"""Build Yici's bundle (and, where the tools exist, what IT staff hand out).

    python packaging/build.py               (./dev build on Linux)
    python packaging/build.py --installer   on Windows: also the Inno Setup installer

Always: dist/yici/ from build.spec (PyInstaller, one folder).
Linux:   dist/yici-<version>-linux-<arch>.tar.gz, a `yici/` folder holding the bundle, the menu
         entry (yici.desktop), install.sh, the icon and IT.md.
Windows: dist/yici-<version>-windows-x64.zip (the folder, for USB sticks) and with --installer
         dist/yici-<version>-windows-x64-setup.exe (needs Inno Setup 6's ISCC.exe).
With --profile FILE, the deployment profile ships beside the program as yici-profile.yaml.
Run it with the Python whose environment has yici[build] installed (pip install -e .[build]).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "yici"
WORK = ROOT / "build"
IS_WIN = sys.platform == "win32"


def say(text: str) -> None:
    print(f"==> {text}", file=sys.stderr, flush=True)


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def check_tools() -> None:
    """PyInstaller and (Linux) binutils' objdump, which PyInstaller uses to read libraries."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit("PyInstaller is not installed here: run `pip install -e .[build]` (./dev build does).")
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        sys.exit("PyInstaller needs objdump: install binutils (sudo apt-get install binutils).")


def run_pyinstaller(clean: bool) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        str(ROOT / "build.spec"),
    ]
    if clean:
        command.insert(3, "--clean")
    say("PyInstaller: " + " ".join(command[1:]))
    subprocess.run(command, cwd=ROOT, check=True)


def size_mib(path: Path) -> float:
    """Size in MiB, the unit `du -sh` shows."""
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.lstat().st_size for p in path.rglob("*")) / 2**20


def glibc_needed(folder: Path) -> str | None:
    """The newest GLIBC_x.y symbol version any binary in `folder` asks for (Linux)."""
    if shutil.which("objdump") is None:
        return None
    newest = (0, 0)
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file() or not (".so" in path.name or os.access(path, os.X_OK)):
            continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}" if newest > (0, 0) else None


def linux_archive(ver: str) -> Path:
    """Add the desktop integration to the bundle and pack it as a .tar.gz."""
    linux = ROOT / "packaging" / "linux"
    shutil.copy2(linux / "yici.desktop", BUNDLE / "yici.desktop")
    shutil.copy2(linux / "install.sh", BUNDLE / "install.sh")
    (BUNDLE / "install.sh").chmod(0o755)
    shutil.copy2(ROOT / "resources" / "icons" / "yici-256.png", BUNDLE / "yici.png")
    shutil.copy2(ROOT / "resources" / "icons" / "yici.svg", BUNDLE / "yici.svg")
    shutil.copy2(ROOT / "docs" / "IT.md", BUNDLE / "IT.md")
    glibc = glibc_needed(BUNDLE)
    (BUNDLE / "BUILD-INFO.txt").write_text(
        f"Yici {ver}\n"
        f"built {time.strftime('%Y-%m-%d %H:%M')} on {platform.platform()} ({platform.machine()})\n"
        f"Python {platform.python_version()}\n"
        f"needs glibc >= {glibc or '?'} on the target (check there with `ldd --version`)\n",
        encoding="utf-8",
    )
    archive = DIST / f"yici-{ver}-linux-{platform.machine()}.tar.gz"
    say(f"packing {archive.name}")
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname="yici")  # keeps modes and the symlinks inside _internal/
    if glibc:
        say(f"this bundle needs glibc >= {glibc} on the target computer")
    return archive


def windows_zip(ver: str) -> Path:
    archive = DIST / f"yici-{ver}-windows-x64.zip"
    say(f"packing {archive.name}")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(BUNDLE.rglob("*")):
            zf.write(path, Path("yici") / path.relative_to(BUNDLE))
    return archive


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (
        os.environ.get("ProgramFiles(x86)"),
        os.environ.get("ProgramFiles"),
        os.environ.get("LOCALAPPDATA", "") + r"\Programs",
    ):
        if base and Path(base, "Inno Setup 6", "ISCC.exe").is_file():
            return str(Path(base, "Inno Setup 6", "ISCC.exe"))
    return None


def windows_installer(ver: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        sys.exit("Inno Setup 6 (ISCC.exe) not found: install it (choco install innosetup) or add it to PATH.")
    script = ROOT / "packaging" / "windows" / "yici.iss"
    say(f"Inno Setup: {script.name}")
    subprocess.run(
        [
            iscc,
            f"/DAppVersion={ver}",
            f"/DBundleDir={BUNDLE}",
            f"/DOutputDir={DIST}",
            f"/DRootDir={ROOT}",
            str(script),
        ],
        check=True,
    )
    return DIST / f"yici-{ver}-windows-x64-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Yici's bundle, archive and installer.")
    parser.add_argument(
        "--installer", action="store_true", help="Windows: also build the Inno Setup installer"
    )
    parser.add_argument("--no-archive", action="store_true", help="only dist/yici/, no .tar.gz/.zip")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        type=Path,
        help="a deployment profile (yici profile export) to ship as yici-profile.yaml "
        "beside the program, offered on first run",
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    ver = version()
    check_tools()
    if args.profile and not args.profile.is_file():
        sys.exit(f"no such profile: {args.profile}")
    run_pyinstaller(args.clean)
    outputs = [BUNDLE]
    if args.profile:
        # Profiles carry no secrets (yici refuses to import one that does), so shipping is safe.
        shutil.copy2(args.profile, BUNDLE / "yici-profile.yaml")
        say(f"profile {args.profile} -> {BUNDLE.name}/yici-profile.yaml")
    if not args.no_archive:
        if IS_WIN:
            outputs.append(windows_zip(ver))
        elif sys.platform.startswith("linux"):
            outputs.append(linux_archive(ver))
    if args.installer:
        if not IS_WIN:
            sys.exit("--installer builds the Windows installer and runs on Windows only.")
        outputs.append(windows_installer(ver))
    say(f"Yici {ver} built in {time.monotonic() - started:.0f} s:")
    for path in outputs:
        print(f"  {path.relative_to(ROOT)}  {size_mib(path):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
