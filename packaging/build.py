"""Build Yici's bundle (and, where the tools exist, what IT staff hand out).

    python packaging/build.py               (./dev build on Linux)
    python packaging/build.py --compat      (./dev build --compat) Linux, for glibc >= 2.28
    python packaging/build.py --installer   on Windows: also the Inno Setup installer

Always: dist/yici/ from build.spec (PyInstaller, one folder).
Linux:   dist/yici-<version>-linux-<arch>[-glibc2.28].tar.gz, a `yici/` folder holding the bundle, the menu
         entry (yici.desktop), install.sh, the icon and IT.md.
Compat:  the same from a Python compiled for glibc 2.28 (packaging/compat/cpython.py) and wheels
         no newer than manylinux_2_28, without the build machine's system libraries, plus
         dist/yici_<version>_amd64.deb (packaging/linux/deb.py); fails if any binary in the
         bundle needs a glibc newer than 2.28.
Windows: dist/yici-<version>-windows-x64.zip (the folder, for USB sticks) and with --installer
         dist/yici-<version>-windows-x64-setup.exe (needs Inno Setup 6's ISCC.exe).
With --profile FILE, the deployment profile ships beside the program as yici-profile.yaml.
Run it with the Python whose environment has yici[build] installed (pip install -e .[build]).
"""

from __future__ import annotations

import argparse
import hashlib
import json
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
# What BUILD-INFO.txt says the bundle runs on (the compat build says its own).
RUNTIME = {"python": platform.python_version(), "kind": ""}


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


def run_pyinstaller(
    clean: bool, python: str = sys.executable, work: Path = WORK, env: dict | None = None
) -> None:
    command = [
        python,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(work),
        str(ROOT / "build.spec"),
    ]
    if clean:
        command.insert(3, "--clean")
    say("PyInstaller: " + " ".join(command[1:]))
    subprocess.run(command, cwd=ROOT, check=True, env=env)


def size_mib(path: Path) -> float:
    """Size in MiB, the unit `du -sh` shows."""
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.lstat().st_size for p in path.rglob("*")) / 2**20


# --------------------------------------------------------------------------------- compat
COMPAT_WORK = WORK / "compat"
# PEP 600's hook, put into the compat environment: pip then takes a manylinux wheel only when it
# says glibc 2.28 is enough, whatever this machine has.
MANYLINUX_HOOK = """\
\"\"\"Installed by Yici's compat build: wheels for glibc <= 2.28 only (PEP 600).\"\"\"


def manylinux_compatible(major, minor, arch):
    return (major, minor) <= (2, 28)
"""


def compat_environment() -> Path:
    """A virtual environment of the compat Python holding yici[build]; its python.

    Wheels only (`--only-binary :all:`): a package with no wheel for glibc 2.28 would otherwise
    be compiled here, against this machine's glibc. pip picks each dependency's newest release
    with such a wheel (PySide6 6.9.3 today; 6.10 and later need 2.34) or says none exists."""
    sys.path.insert(0, str(ROOT / "packaging" / "compat"))
    import cpython

    base = cpython.ensure()
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    venv = COMPAT_WORK / "venv"
    python = venv / "bin" / "python"
    stamp = venv / f".installed-{hashlib.sha256(pyproject + str(base).encode()).hexdigest()[:16]}"
    if stamp.exists():
        return python
    say(f"compat environment {venv.relative_to(ROOT)}: yici[build], wheels for glibc <= 2.28")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([str(base), "-m", "venv", str(venv)], check=True)
    site = next((venv / "lib").glob("python3.*/site-packages"))
    (site / "_manylinux.py").write_text(MANYLINUX_HOOK, encoding="utf-8")
    install = [str(python), "-m", "pip", "install", "-q", "--only-binary", ":all:"]
    subprocess.run([*install, "--upgrade", "pip"], check=True)
    result = subprocess.run([*install, "-e", f"{ROOT}[build]"])
    if result.returncode:
        sys.exit(
            "a dependency has no wheel for glibc 2.28 (manylinux_2_28 or older) in a version "
            "pyproject.toml allows (see pip's message above): allow an older release of it in "
            "pyproject.toml, or leave it out of the compat build"
        )
    too_new = cpython.glibc_too_new(site)
    if too_new:
        sys.exit(
            "wheels whose binaries need a glibc newer than 2.28 despite their tag:\n  " + "\n  ".join(too_new)
        )
    stamp.touch()
    return python


def compat_bundle(clean: bool) -> None:
    python = compat_environment()
    versions = subprocess.run(
        [
            str(python),
            "-c",
            "import platform, sys, PySide6;"
            "print(platform.python_version(), PySide6.__version__, sys.base_prefix)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    say(f"compat build: Python {versions[0]}, PySide6 {versions[1]}")
    RUNTIME.update(python=f"{versions[0]} (compiled for glibc 2.28), PySide6 {versions[1]}", kind="compat ")
    # Which Debian revision of each source the Python was compiled from (security fixes).
    built = json.loads((Path(versions[2]) / "BUILD-INFO.json").read_text(encoding="utf-8"))
    RUNTIME["sources"] = ", ".join(f"{name} {rev}" for name, rev in sorted(built["sources"].items()))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["YICI_COMPAT"] = "1"
    run_pyinstaller(clean, str(python), COMPAT_WORK / "pyinstaller", env)
    sys.path.insert(0, str(ROOT / "packaging" / "compat"))
    import cpython

    too_new = cpython.glibc_too_new(BUNDLE)
    if too_new:
        sys.exit("the compat bundle needs a glibc newer than 2.28:\n  " + "\n  ".join(too_new))


def trim_icu_data(compat: bool) -> None:
    """Qt's ICU data library with Chinese and English only (packaging/linux/icu_data.py)."""
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    import icu_data

    if compat:
        sys.path.insert(0, str(ROOT / "packaging" / "compat"))
        import cpython

        cc = [str(cpython.cache_root() / "bin" / "cc")]
    else:
        found = shutil.which("cc") or shutil.which("gcc")
        if found is None:
            say("no C compiler here: Qt's ICU data stays whole (30 MiB instead of 12)")
            return
        cc = [found]
    for library in BUNDLE.glob("_internal/**/libicudata.so.*"):
        if not library.is_symlink():
            before, after = icu_data.trim(library, cc)
            say(f"ICU data for Chinese and English only: {before / 2**20:.0f} -> {after / 2**20:.0f} MiB")


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
        f"{RUNTIME['kind']}build, Python {RUNTIME['python']}\n"
        + (f"compiled from Debian bookworm sources: {RUNTIME['sources']}\n" if RUNTIME.get("sources") else "")
        + f"needs glibc >= {glibc or '?'} on the target (check there with `ldd --version`)\n",
        encoding="utf-8",
    )
    # The compat one says so in its name: both builds fill the same dist/, and IT staff hand
    # out the file, not the folder.
    kind = "-glibc2.28" if RUNTIME["kind"] else ""
    archive = DIST / f"yici-{ver}-linux-{platform.machine()}{kind}.tar.gz"
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
        "--compat",
        action="store_true",
        help="Linux: a bundle for glibc >= 2.28 (UOS 20, Kylin V10, Debian 10+) and the .deb",
    )
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
    if args.compat:
        if not sys.platform.startswith("linux"):
            sys.exit("--compat builds the Linux bundle for older glibc and runs on Linux only.")
        compat_bundle(args.clean)
    else:
        run_pyinstaller(args.clean)
    if sys.platform.startswith("linux"):
        trim_icu_data(args.compat)
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
    if args.compat:
        sys.path.insert(0, str(ROOT / "packaging" / "linux"))
        import deb

        outputs.append(deb.build_deb(BUNDLE, ver, DIST, COMPAT_WORK))
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
