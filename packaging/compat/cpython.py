"""A CPython for the compat bundle: every binary of it needs glibc 2.28 at most.

    python packaging/compat/cpython.py       prints the path of its `python3.11`, building it first

The bundle carries the interpreter it was built with, and a Python compiled on this machine needs
this machine's glibc (2.36 on Debian 12); UOS 20 and Kylin V10 have 2.28 to 2.31. So this script
compiles CPython and the libraries it links (OpenSSL, SQLite, expat, libffi, zlib, bzip2, xz) with
`zig cc -target x86_64-linux-gnu.2.28`: zig carries the headers and symbol lists of each glibc
release, so the result links against 2.28's symbols whatever the build machine has. (The other way,
compiling inside an old distribution's root, needs a root with glibc 2.28: Debian 10, whose
archive is no longer served. Debian 11's is 2.31, too new.)

Sources come from Debian's archive through apt (`apt-get source`: apt checks signatures and
checksums): bookworm's source packages, each the upstream tarball with Debian's security and
bug-fix patches (PATCHES says which). The libraries are linked statically into the extension
modules that use them, so the bundle carries no second copy of a system library. SQLite is
bookworm's 3.40 (Yici needs FTS5, UPSERT, window and JSON functions), not the target's older one.

The result is cached in ~/.cache/yici/compat/ (or $YICI_CACHE/compat/), keyed by RECIPE, the zig
release and the source versions: later builds reuse it until Debian publishes a fixed source or
the recipe changes. Without the network, the sources downloaded last time are used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

GLIBC = "2.28"
TARGET = f"x86_64-linux-gnu.{GLIBC}"
ZIGLANG = "ziglang==0.17.1"
SUITE = "bookworm"
# Debian source package -> the upstream version wanted (Debian's revisions of it bring fixes).
SOURCES = {
    "python3.11": "3.11.2",
    "openssl": "3.0.",
    "sqlite3": "3.40.",
    "libffi": "3.4.",
    "zlib": "1.2.13",
    "xz-utils": "5.4.",
    "bzip2": "1.0.8",
    "expat": "2.5.0",  # pyexpat; CPython's own copy of expat gets no security fixes from Debian
}
# Debian's patches that fix bugs and security holes, applied in Debian's order; the others change
# how Debian builds and lays out its packages and are not wanted here. zlib, bzip2 and libffi
# carry only such build patches in bookworm.
PATCHES = {
    "python3.11": r"^(CVE-|\d{4}-3\.11-|relfile-|frame_dealloc|shutdown-deadlock|fix-py_compile)",
    "openssl": r"^(?!(debian-targets|man-section|no-symbolic|pic|c_rehash-compat"
    r"|Remove-the-provider-section)\.patch$)",
    "sqlite3": r"^(4[1-9]-|\d{4}-)",
    "xz-utils": r"^(liblzma|xz)-",
    "expat": r"(^|-)CVE-",
}
# Bump when a build step below changes: the cached Python is rebuilt then (and when Debian
# publishes a new revision of a source).
RECIPE = 2
JOBS = str(max(1, min(4, os.cpu_count() or 1)))


def say(text: str) -> None:
    print(f"==> {text}", file=sys.stderr, flush=True)


def cache_root() -> Path:
    base = os.environ.get("YICI_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "yici"
    )
    return Path(base) / "compat"


def run(
    command: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None
) -> None:
    """Run a build step; its output goes to `log` and is shown only when it fails."""
    if log is None:
        subprocess.run(command, cwd=cwd, env=env, check=True)
        return
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        result = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode:
        tail = log.read_text(errors="replace").splitlines()[-40:]
        sys.exit("\n".join(tail) + f"\nfailed: {' '.join(command)} (whole log: {log})")


# ------------------------------------------------------------------------------------ sources
def debian_mirrors() -> list[str]:
    """The Debian archives (…/debian, …/debian-security) this machine's apt is set up with."""
    found: list[str] = []
    for path in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]:
        if not path.is_file() or path.suffix not in ("", ".list", ".sources"):
            continue
        for line in path.read_text(errors="replace").splitlines():
            line = line.split("#", 1)[0]
            if re.match(r"\s*(URIs:|deb\s)", line):
                for uri in re.findall(r"(https?://\S+/debian(?:-security)?)/?(?:\s|$)", line):
                    if uri not in found:
                        found.append(uri)
    if not any(m.endswith("/debian") for m in found):
        sys.exit("the compat build takes its sources from a Debian archive: this machine's apt names none")
    return found


class Apt:
    """apt-get with its own source list (deb-src lines for bookworm), lists and cache."""

    def __init__(self, root: Path):
        self.root = root
        self.parts = root / "sources.list.d"

    def options(self) -> list[str]:
        return [
            "-o",
            "Dir::Etc::SourceList=/dev/null",
            "-o",
            f"Dir::Etc::SourceParts={self.parts}",
            "-o",
            f"Dir::State::Lists={self.root / 'lists'}",
            "-o",
            f"Dir::Cache={self.root / 'cache'}",
            "-o",
            "APT::Sandbox::User=root" if os.getuid() == 0 else "Debug::NoLocking=1",
        ]

    def configure(self) -> None:
        """deb-src entries for bookworm on the mirrors this machine's apt already uses."""
        mirrors = debian_mirrors()
        lines = []
        for mirror in sorted(mirrors):
            suites = [f"{SUITE}-security"] if mirror.endswith("-security") else [SUITE, f"{SUITE}-updates"]
            lines += [
                "Types: deb-src",
                f"URIs: {mirror}",
                f"Suites: {' '.join(suites)}",
                "Components: main",
                "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
                "",
            ]
        for folder in (
            self.parts,
            self.root / "lists" / "partial",
            self.root / "cache" / "archives" / "partial",
        ):
            folder.mkdir(parents=True, exist_ok=True)
        (self.parts / "bookworm-src.sources").write_text("\n".join(lines))

    def update(self) -> bool:
        result = subprocess.run(["apt-get", *self.options(), "-qq", "update"], capture_output=True, text=True)
        return result.returncode == 0

    def versions(self, package: str) -> list[str]:
        out = subprocess.run(
            ["apt-cache", *self.options(), "showsrc", "--only-source", package],
            capture_output=True,
            text=True,
        ).stdout
        found = set(re.findall(r"^Version: (\S+)$", out, re.M))
        return sorted(found, key=functools.cmp_to_key(_compare_versions), reverse=True)

    def download(self, package: str, version: str, folder: Path) -> bool:
        result = subprocess.run(
            ["apt-get", *self.options(), "-qq", "source", "--download-only", f"{package}={version}"],
            cwd=folder,
            capture_output=True,
            text=True,
        )
        return result.returncode == 0


def _compare_versions(a: str, b: str) -> int:
    if a == b:
        return 0
    lower = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return -1 if lower else 1


def fetch_sources(root: Path) -> dict[str, str]:
    """Download the newest available bookworm revision of each source; {package: version}."""
    apt = Apt(root / "apt")
    apt.configure()
    folder = root / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    recorded = folder / "versions.json"
    if not apt.update():
        if recorded.is_file():  # offline: the sources downloaded last time
            say("Debian's archive cannot be reached: using the sources downloaded before")
            return json.loads(recorded.read_text())
        sys.exit("Debian's source archive cannot be reached (apt-get update failed)")
    chosen = {}
    for package, upstream in SOURCES.items():
        candidates = [v for v in apt.versions(package) if v.split(":")[-1].startswith(upstream)]
        for version in candidates:
            if apt.download(package, version, folder):
                chosen[package] = version
                if version != candidates[0]:
                    # An older revision may lack a security fix: said loudly, and BUILD-INFO.txt
                    # names every revision the Python was built from.
                    say(
                        f"WARNING: {package} {candidates[0]} is listed but could not be downloaded "
                        f"(the mirror does not serve it yet); building from the older {version}"
                    )
                break
        else:
            sys.exit(
                f"no {package} {upstream}* source could be downloaded (tried {candidates or 'none listed'})"
            )
    recorded.write_text(json.dumps(chosen, indent=1))
    return chosen


def source_files(folder: Path, package: str, version: str) -> tuple[list[Path], Path | None]:
    """The upstream tarballs and the Debian tarball of one source package (from its .dsc)."""
    plain = version.split(":")[-1]
    dsc = (folder / f"{package}_{plain}.dsc").read_text()
    names = sorted(set(re.findall(r"^ [0-9a-f]{64} \d+ (\S+)$", dsc, re.M)))
    orig = [folder / n for n in names if ".orig" in n and not n.endswith(".asc")]
    debian = next((folder / n for n in names if ".debian.tar" in n), None)
    return orig, debian


# -------------------------------------------------------------------------------------- tools
def zig(root: Path) -> Path:
    """A virtual environment holding ziglang (zig's compiler, from PyPI); its python."""
    tools = root / "tools"
    python = tools / "bin" / "python"
    stamp = tools / f".{ZIGLANG}"
    if not stamp.exists():
        say(f"installing {ZIGLANG} (zig cc, glibc {GLIBC} headers and symbols) into {tools}")
        shutil.rmtree(tools, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(tools)])
        run([str(python), "-m", "pip", "install", "-q", ZIGLANG])
        stamp.touch()
    return python


def wrappers(folder: Path, zig_python: Path) -> dict[str, str]:
    """cc/ar/ranlib commands for configure scripts: zig, aimed at glibc 2.28.

    The undefined-behaviour sanitizer off (zig cc traps on it by default); __DATE__ allowed (zig
    makes it an error; CPython's build info uses it); executables and libraries find the
    libraries beside them through $ORIGIN/../lib, which a wrapper passes through untouched where
    Makefiles and configure would expand it."""
    folder.mkdir(parents=True, exist_ok=True)
    zig_cmd = f"{shlex.quote(str(zig_python))} -m ziglang"
    scripts = {
        "cc": f"""#!/bin/bash
link=yes
inputs=no
args=()
for arg in "$@"; do
    case "$arg" in
        -c|-E|-S|-M|-MM) link=no; args+=("$arg") ;;
        -Wl,-h*) args+=("-Wl,-soname,${{arg#-Wl,-h}}") ;;  # GNU ld's short form, not zig's
        *.c|*.o|*.a|*.s|*.S|*.cc|*.cpp|-) inputs=yes; args+=("$arg") ;;
        *) args+=("$arg") ;;
    esac
done
zig=({zig_cmd} cc -target {TARGET} -fno-sanitize=undefined -Wno-date-time)
if [ $link = yes ]; then
    # A link of libraries alone (libpython3.so) needs one input of zig's own or it hands the
    # command to clang, which does not know the glibc version in the target (and with -O2 such
    # a link fails to start zig's linker).
    if [ $inputs = no ]; then
        exec "${{zig[@]}}" "${{args[@]}}" "{folder}/empty.c" '-Wl,-rpath,$ORIGIN/../lib'
    fi
    exec "${{zig[@]}}" -O2 "${{args[@]}}" '-Wl,-rpath,$ORIGIN/../lib'
fi
exec "${{zig[@]}}" -O2 "${{args[@]}}"
""",
        "ar": f'#!/bin/sh\nexec {zig_cmd} ar "$@"\n',
        "ranlib": f'#!/bin/sh\nexec {zig_cmd} ranlib "$@"\n',
    }
    (folder / "empty.c").write_text("")
    for name, text in scripts.items():
        path = folder / name
        path.write_text(text)
        path.chmod(0o755)
    return {"CC": str(folder / "cc"), "AR": str(folder / "ar"), "RANLIB": str(folder / "ranlib")}


# ------------------------------------------------------------------------------------- builds
def unpack(tarball: Path, into: Path) -> Path:
    """Unpack and return the one top folder."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(into, filter="data")
        top = {Path(m.name).parts[0] for m in tar.getmembers() if m.name not in (".", "./")}
    top.discard(".")
    return into / sorted(top)[0]


def debian_patches(package: str, debian: Path | None, src: Path, work: Path, env: dict, log: Path) -> None:
    """Apply the Debian patches of `package` that PATCHES selects, in Debian's order."""
    pattern = PATCHES.get(package)
    if not pattern or debian is None:
        return
    shutil.rmtree(work / f"{package}-debian", ignore_errors=True)
    patches = unpack(debian, work / f"{package}-debian") / "patches"
    series = patches / "series"
    names = (
        [n for n in series.read_text().split("\n") if n.strip() and not n.startswith("#")]
        if series.is_file()
        else []
    )
    for name in names:
        name = name.split()[0]
        if re.search(pattern, name):
            run(["patch", "-p1", "-N", "-s", "-i", str(patches / name)], src, env, log)


def build_libraries(
    sources: Path, versions: dict[str, str], work: Path, deps: Path, env: dict, log: Path
) -> None:
    """zlib, bzip2, xz, libffi, expat, SQLite and OpenSSL as static, position-independent libraries."""
    cflags = "-O2 -fPIC"
    env = dict(env, CFLAGS=cflags, CPPFLAGS=f"-I{deps}/include", LDFLAGS=f"-L{deps}/lib")

    def tree(package: str, pick: str = "") -> Path:
        orig, debian = source_files(sources, package, versions[package])
        tarball = next(p for p in orig if pick in p.name)
        shutil.rmtree(work / package, ignore_errors=True)
        src = unpack(tarball, work / package)
        debian_patches(package, debian, src, work, env, log)
        return src

    def done(package: str) -> bool:
        """Built by an earlier, interrupted run of the same recipe."""
        return (deps / f".built-{package}").exists()

    def finished(package: str) -> None:
        (deps / f".built-{package}").touch()

    if not done("zlib"):
        say("zlib")
        src = tree("zlib")
        run(["./configure", "--static", f"--prefix={deps}"], src, env, log)
        run(["make", f"-j{JOBS}", "install"], src, env, log)
        finished("zlib")

    if not done("bzip2"):
        say("bzip2")
        src = tree("bzip2")
        run(
            [
                "make",
                f"-j{JOBS}",
                "libbz2.a",
                f"CC={env['CC']}",
                f"AR={env['AR']}",
                f"RANLIB={env['RANLIB']}",
                f"CFLAGS={cflags} -D_FILE_OFFSET_BITS=64",
            ],
            src,
            env,
            log,
        )
        (deps / "lib").mkdir(parents=True, exist_ok=True)
        (deps / "include").mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / "libbz2.a", deps / "lib")
        shutil.copy2(src / "bzlib.h", deps / "include")
        finished("bzip2")

    if not done("xz-utils"):
        say("xz (liblzma)")
        src = tree("xz-utils")
        run(
            [
                "./configure",
                f"--prefix={deps}",
                "--disable-shared",
                "--enable-static",
                "--with-pic",
                "--disable-xz",
                "--disable-xzdec",
                "--disable-lzmadec",
                "--disable-lzmainfo",
                "--disable-scripts",
                "--disable-doc",
                "--disable-nls",
            ],
            src,
            env,
            log,
        )
        run(["make", f"-j{JOBS}", "-C", "src/liblzma", "install"], src, env, log)
        finished("xz-utils")

    if not done("libffi"):
        say("libffi")
        src = tree("libffi")
        # tramp.c calls a function its headers do not declare, an error for clang (zig) since 16;
        # it takes nothing and returns an int, as C's implicit declaration assumes.
        run(
            [
                "./configure",
                f"--prefix={deps}",
                "--disable-shared",
                "--enable-static",
                "--with-pic",
                "--disable-docs",
                "--disable-multi-os-directory",
            ],
            src,
            dict(env, CFLAGS=f"{cflags} -Wno-error=implicit-function-declaration"),
            log,
        )
        run(["make", f"-j{JOBS}", "install"], src, env, log)
        finished("libffi")

    if not done("expat"):
        say("expat")
        src = tree("expat") / "expat" / "lib"
        # Three C files; the source package has no generated configure, so the configuration
        # header is written here with what configure finds on Linux (getrandom: glibc >= 2.25).
        config = [
            "XML_NS 1",
            "XML_DTD 1",
            "XML_CONTEXT_BYTES 1024",
            "BYTEORDER 1234",
            "HAVE_GETRANDOM 1",
            "XML_DEV_URANDOM 1",
            "HAVE_MEMMOVE 1",
        ]
        (src / "expat_config.h").write_text("".join(f"#define {line}\n" for line in config))
        options = ["-I."]
        objects = []
        for name in ("xmlparse", "xmltok", "xmlrole"):
            run([env["CC"], *cflags.split(), *options, "-c", f"{name}.c", "-o", f"{name}.o"], src, env, log)
            objects.append(f"{name}.o")
        (deps / "lib").mkdir(parents=True, exist_ok=True)
        (deps / "include").mkdir(parents=True, exist_ok=True)
        run([env["AR"], "rcs", str(deps / "lib" / "libexpat.a"), *objects], src, env, log)
        for header in ("expat.h", "expat_external.h"):
            shutil.copy2(src / header, deps / "include")
        finished("expat")

    if not done("sqlite3"):
        say("SQLite (FTS5, JSON, the options Debian builds with)")
        src = tree("sqlite3", pick=".orig.tar")
        # The amalgamation (sqlite3.c) is generated by the source tree's tools, which need tclsh.
        run(["./configure", "--disable-tcl"], src, env, log)
        run(["make", "sqlite3.c"], src, env, log)
        options = [
            "-DSQLITE_ENABLE_FTS5",
            "-DSQLITE_ENABLE_FTS3",
            "-DSQLITE_ENABLE_FTS3_PARENTHESIS",
            "-DSQLITE_ENABLE_RTREE=1",
            "-DSQLITE_ENABLE_JSON1",
            "-DSQLITE_ENABLE_MATH_FUNCTIONS",
            "-DSQLITE_SECURE_DELETE",
            "-DSQLITE_ENABLE_COLUMN_METADATA",
            "-DSQLITE_ENABLE_DBSTAT_VTAB",
            "-DSQLITE_ENABLE_UNLOCK_NOTIFY",
            "-DSQLITE_LIKE_DOESNT_MATCH_BLOBS",
            "-DSQLITE_THREADSAFE=1",
            "-DSQLITE_USE_URI=1",
            "-DSQLITE_MAX_SCHEMA_RETRY=25",
            "-DSQLITE_ENABLE_PREUPDATE_HOOK",
            "-DSQLITE_ENABLE_SESSION",
            "-DSQLITE_ENABLE_STMTVTAB",
            "-DSQLITE_MAX_VARIABLE_NUMBER=250000",
            "-DSQLITE_ENABLE_LOAD_EXTENSION",
        ]
        run([env["CC"], *cflags.split(), *options, "-c", "sqlite3.c", "-o", "sqlite3.o"], src, env, log)
        run([env["AR"], "rcs", str(deps / "lib" / "libsqlite3.a"), "sqlite3.o"], src, env, log)
        shutil.copy2(src / "sqlite3.h", deps / "include")
        finished("sqlite3")

    if not done("openssl"):
        say("OpenSSL (the slow one)")
        src = tree("openssl")
        # The configuration folder is Debian's (and UOS' and Kylin's): /usr/lib/ssl, whose certs/
        # is the system's trust store. truststore looks in the other distributions' places itself.
        run(
            [
                "perl",
                "./Configure",
                "linux-x86_64",
                f"--prefix={deps}",
                "--libdir=lib",
                "--openssldir=/usr/lib/ssl",
                "no-shared",
                "no-tests",
                "no-engine",
                "no-legacy",
                "-fPIC",
                "-O2",
            ],
            src,
            env,
            log,
        )
        run(["make", f"-j{JOBS}", "build_libs"], src, env, log)
        run(["make", "install_dev"], src, env, log)
        finished("openssl")


def build_python(
    sources: Path, versions: dict[str, str], work: Path, deps: Path, prefix: Path, env: dict, log: Path
) -> None:
    orig, debian = source_files(sources, "python3.11", versions["python3.11"])
    shutil.rmtree(work / "python", ignore_errors=True)
    src = unpack(orig[0], work / "python")
    debian_patches("python3.11", debian, src, work, env, log)
    # setup.py adds the build machine's header and library folders (/usr/include, its multiarch
    # folder, /usr/local): their glibc headers clash with zig's 2.28 ones. zig finds its own.
    setup = src / "setup.py"
    text = setup.read_text()
    for old, new in [
        ("        self.add_multiarch_paths()\n", ""),
        ("add_dir_to_list(self.compiler.library_dirs, '/usr/local/lib')", "pass"),
        ("add_dir_to_list(self.compiler.include_dirs, '/usr/local/include')", "pass"),
        ("system_lib_dirs = ['/lib64', '/usr/lib64', '/lib', '/usr/lib']", "system_lib_dirs = []"),
        ("system_include_dirs = ['/usr/include']", "system_include_dirs = []"),
    ]:
        if old not in text:
            sys.exit(f"CPython's setup.py changed: {old!r} is gone; see build_python()")
        text = text.replace(old, new)
    setup.write_text(text)
    # Debian's fix for CVE-2026-4224 has pyexpat use an internal header, which Debian's build
    # allows by compiling pyexpat into the interpreter; as a module it must say so itself
    # (as pyexpat.c in CPython 3.12 does).
    pyexpat = src / "Modules" / "pyexpat.c"
    text = pyexpat.read_text()
    if "pycore_" in text and "Py_BUILD_CORE_MODULE" not in text:
        pyexpat.write_text("#ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif\n" + text)
    say(f"CPython {versions['python3.11']} (configure, make, install)")
    lib = deps / "lib"
    env = dict(
        env,
        CPPFLAGS=f"-I{deps}/include",
        # setup.py finds ffi.h but not the static libffi, and would link _ctypes without it;
        # zig's linker (lld) takes an archive wherever it stands and uses only what is needed.
        LDFLAGS=f"-L{lib} {lib}/libffi.a",
        PKG_CONFIG_LIBDIR=f"{lib}/pkgconfig",  # never the build machine's libraries
        LIBFFI_CFLAGS=f"-I{deps}/include",
        LIBFFI_LIBS=f"{lib}/libffi.a",
        LIBSQLITE3_CFLAGS=f"-I{deps}/include",
        LIBSQLITE3_LIBS=f"{lib}/libsqlite3.a -lm -ldl -lpthread",
        ZLIB_CFLAGS=f"-I{deps}/include",
        ZLIB_LIBS=f"{lib}/libz.a",
        BZIP2_CFLAGS=f"-I{deps}/include",
        BZIP2_LIBS=f"{lib}/libbz2.a",
        LIBLZMA_CFLAGS=f"-I{deps}/include",
        LIBLZMA_LIBS=f"{lib}/liblzma.a",
        LIBS="-ldl -lpthread",
    )
    run(
        [
            "./configure",
            f"--prefix={prefix}",
            "--enable-shared",
            f"--with-openssl={deps}",
            "--with-system-expat",  # bookworm's, patched (above), not the copy in CPython
            "--with-ensurepip=install",
            "--disable-test-modules",
            "--without-static-libpython",
            "--with-lto=no",
        ],
        src,
        env,
        log,
    )
    run(["make", f"-j{JOBS}"], src, env, log)
    run(["make", "install"], src, env, log)
    # The test suite (~30 MB) is never bundled.
    shutil.rmtree(prefix / "lib" / "python3.11" / "test", ignore_errors=True)


def glibc_too_new(folder: Path, limit: str = GLIBC) -> list[str]:
    """'file: GLIBC_x.y' for every ELF file under `folder` needing a glibc newer than `limit`."""
    most = tuple(map(int, limit.split(".")))
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with open(path, "rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        result = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True)
        if result.returncode and "not a dynamic object" not in result.stderr:
            # An unread file must not pass for a clean one.
            why = result.stderr.strip()[:200]
            found.append(f"{path.relative_to(folder)}: objdump could not read it ({why})")
            continue
        out = result.stdout
        versions = {tuple(map(int, v)) for v in re.findall(r"GLIBC_(\d+)\.(\d+)", out)}
        newer = sorted(v for v in versions if v > most)
        if newer:
            found.append(f"{path.relative_to(folder)}: GLIBC_{newer[-1][0]}.{newer[-1][1]}")
    return found


SMOKE = """
import bz2, ctypes, hashlib, lzma, sqlite3, ssl, zlib, _decimal, pyexpat
db = sqlite3.connect(":memory:")
db.execute("create virtual table t using fts5(x)")
db.execute("create table u (k primary key, v)")
db.execute("insert into u values (1, 2) on conflict (k) do update set v = excluded.v")
assert db.execute("insert into u values (2, 3) returning v").fetchone() == (3,)
assert db.execute("select json_extract('{\\"a\\": 1}', '$.a')").fetchone() == (1,)
ssl.create_default_context()
print(sqlite3.sqlite_version, ssl.OPENSSL_VERSION)
"""


def ensure() -> Path:
    """The compat python3.11, built if this file or Debian's sources changed since last time."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    versions = fetch_sources(root)
    key = hashlib.sha256(json.dumps([RECIPE, GLIBC, ZIGLANG, versions], sort_keys=True).encode())
    prefix = root / f"python-{SOURCES['python3.11']}-glibc{GLIBC}-{key.hexdigest()[:12]}"
    python = prefix / "bin" / "python3.11"
    if (prefix / "BUILD-INFO.json").is_file():
        return python
    started = time.monotonic()
    say(f"building CPython for glibc {GLIBC} into {prefix} (once; 5 to 15 minutes on two cores)")
    env = dict(os.environ, **wrappers(root / "bin", zig(root)))
    env.pop("PYTHONPATH", None)
    work = root / f"work-{key.hexdigest()[:12]}"  # kept by a failed run: its libraries are reused
    shutil.rmtree(prefix, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    log = work / "build.log"
    deps = work / "deps"
    deps.mkdir(exist_ok=True)
    build_libraries(root / "sources", versions, work, deps, env, log)
    build_python(root / "sources", versions, work, deps, prefix, env, log)
    smoke = subprocess.run([str(python), "-c", SMOKE], capture_output=True, text=True)
    if smoke.returncode:
        sys.exit(f"the compat Python was built but does not work:\n{smoke.stderr}")
    newer = glibc_too_new(prefix)
    if newer:
        sys.exit(f"the compat Python needs a glibc newer than {GLIBC}:\n  " + "\n  ".join(newer))
    info = {
        "sources": versions,
        "glibc": GLIBC,
        "zig": ZIGLANG,
        "check": smoke.stdout.strip(),
        "seconds": round(time.monotonic() - started),
    }
    (prefix / "BUILD-INFO.json").write_text(json.dumps(info, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    say(f"compat Python built in {info['seconds']} s ({info['check']})")
    # Older builds of it are of no more use.
    for old in [*root.glob(f"python-*-glibc{GLIBC}-*"), *root.glob("work-*")]:
        if old != prefix:
            shutil.rmtree(old, ignore_errors=True)
    return python


if __name__ == "__main__":
    print(ensure())
