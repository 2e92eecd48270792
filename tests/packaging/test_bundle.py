"""The built bundle works on a machine with no Python: what IT staff hand out (DESIGN §2).

Runs only against a build, named by YICI_BUNDLE (skipped otherwise):

    ./dev build && YICI_BUNDLE=dist/yici ./dev test tests/packaging

Every program run here is the frozen one from the bundle, on a temporary data folder, with
HOME pointed into tmp_path so nothing can reach the real user's data folder.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest

BUNDLE_ENV = "YICI_BUNDLE"
pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        not os.environ.get(BUNDLE_ENV), reason="needs a built bundle: ./dev build, then YICI_BUNDLE=dist/yici"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
IS_WIN = sys.platform == "win32"
CLI = "yici-cli.exe" if IS_WIN else "yici"
GUI = "Yici.exe" if IS_WIN else "Yici"
# Linux bundle, unpacked, with everything (the CJK font every PDF embeds, reading phone photos,
# SQLCipher): 148 MB (141 MiB) when last measured; the compat build has the same budget.
SIZE_BUDGET_MB = 150
MEETING = [
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
]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = Path(os.environ[BUNDLE_ENV]).resolve()
    missing = [name for name in (CLI, GUI, "_internal") if not (path / name).exists()]
    assert not missing, f"{path} is not a built bundle (missing {missing}); run ./dev build"
    return path


@pytest.fixture
def env(tmp_path) -> dict:
    """The environment of a fresh account: home and user data folders in tmp, no YICI_* set."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("YICI_", "PYTHON")) and k not in ("QT_QPA_PLATFORM",)
    }
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        LOCALAPPDATA=str(home / "local"),
        APPDATA=str(home / "roaming"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    # A laptop without a keyring (this machine has no desktop session): the data key is wrapped
    # with the passphrase this file holds, as YICI_PASSPHRASE_FILE names it (docs/IT.md).
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("打包测试的口令 2026\n", encoding="utf-8")
    env["YICI_PASSPHRASE_FILE"] = str(passphrase)
    return env


def run(program: Path, *args, env: dict, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(program), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        **kwargs,
    )


def ok(result: subprocess.CompletedProcess, *codes: int) -> subprocess.CompletedProcess:
    """Exit 0 (or one of `codes`), never a traceback; shows the output when not."""
    allowed = codes or (0,)
    shown = f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert result.returncode in allowed, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    return result


def new_meeting(bundle, env, data, *extra) -> str:
    uuid = ok(
        run(
            bundle / CLI,
            "records",
            "new",
            "sanhui-yike",
            "--branch",
            "HX01",
            *MEETING,
            *extra,
            "--data-dir",
            data,
            env=env,
        )
    ).stdout.strip()
    assert UUID.match(uuid), uuid
    return uuid


@pytest.fixture
def data(bundle, env, tmp_path) -> Path:
    """A data folder with one branch, made by the bundle's own command line."""
    folder = tmp_path / "data"
    ok(
        run(
            bundle / CLI,
            "branches",
            "add",
            "红星村党支部",
            "--code",
            "HX01",
            "--secretary",
            "王建国",
            "--data-dir",
            folder,
            env=env,
        )
    )
    return folder


# --- the command line ---------------------------------------------------------------------------


def test_version_is_the_projects(bundle, env):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert ok(run(bundle / CLI, "--version", env=env)).stdout.strip() == f"yici {version}"


def test_form_library_is_bundled(bundle, env, data):
    expected = {
        re.search(r"^id:\s*([a-z0-9-]+)", path.read_text(encoding="utf-8"), re.M).group(1)
        for path in (ROOT / "forms" / "library").glob("*.yaml")
    }
    listed = json.loads(ok(run(bundle / CLI, "forms", "list", "--json", "--data-dir", data, env=env)).stdout)
    assert {form["id"] for form in listed} == expected


def test_records_round_trip(bundle, env, data):
    uuid = new_meeting(bundle, env, data, "--final", "--operator", "李秀英")
    record = json.loads(
        ok(run(bundle / CLI, "records", "show", uuid, "--json", "--data-dir", data, env=env)).stdout
    )
    assert record["uuid"] == uuid and record["status"] == "final"
    assert record["form_id"] == "sanhui-yike" and record["operator"] == "李秀英"
    assert record["data"]["title"] == "十一月支部委员会"
    assert record["data"]["host"] == "王建国"  # a default computed by the form engine
    listed = json.loads(
        ok(run(bundle / CLI, "records", "list", "--json", "--data-dir", data, env=env)).stdout
    )
    assert [r["uuid"] for r in listed] == [uuid]


def test_the_bundle_encrypts_the_data_folder(bundle, env, data, tmp_path):
    uuid = new_meeting(bundle, env, data, "--final")
    database = (data / "yici.db").read_bytes()
    assert not database.startswith(b"SQLite format 3") and "十一月支部委员会".encode() not in database
    assert (data / "yici-key.json").is_file()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("不是这个口令啊啊\n", encoding="utf-8")
    refused = run(
        bundle / CLI,
        "records",
        "show",
        uuid,
        "--data-dir",
        data,
        env={**env, "YICI_PASSPHRASE_FILE": str(wrong)},
    )
    assert refused.returncode == 4 and "口令不对" in refused.stderr and "Traceback" not in refused.stderr
    assert (data / "yici.db").read_bytes() == database


def test_printing_needs_no_display_and_embeds_the_bundled_font(bundle, env, data, tmp_path):
    """The frozen app writes a record's page and a year's book with no display at all, in the
    font it carries (the build machine's fonts are not there on a township's laptop)."""
    import shutil

    headless = {k: v for k, v in env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    uuid = new_meeting(bundle, env, data, "--final")
    page, book = tmp_path / "page.pdf", tmp_path / "book.pdf"
    ok(run(bundle / CLI, "records", "print", uuid, "--pdf", page, "--data-dir", data, env=headless))
    ok(
        run(
            bundle / CLI,
            "book",
            "--branch",
            "HX01",
            "--year",
            "2026",
            "--pdf",
            book,
            "--data-dir",
            data,
            env=headless,
        )
    )
    for pdf in (page, book):
        assert pdf.read_bytes().startswith(b"%PDF")
        if shutil.which("pdffonts"):
            rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
            fonts = [row.split() for row in rows.splitlines()[2:]]
            assert fonts and all(f[-5] == "yes" for f in fonts), rows  # every font embedded
            assert any("WenQuanYi" in f[0] for f in fonts), rows
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert "十一月支部委员会" in text


def test_delivery_to_a_rest_target_and_an_excel_file(bundle, env, data, tmp_path):
    """Target kinds load by name, requests/truststore and openpyxl work in the frozen app."""
    received = []

    class Platform(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get("Idempotency-Key"), json.loads(body)))
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"code": 0}')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Platform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/records"
        ok(
            run(
                bundle / CLI,
                "targets",
                "add",
                "县平台",
                "--kind",
                "rest",
                "--url",
                url,
                "--data-dir",
                data,
                env=env,
            )
        )
        export = tmp_path / "export"
        ok(
            run(
                bundle / CLI,
                "targets",
                "add",
                "县系统导入",
                "--kind",
                "xlsx",
                "--option",
                f"folder={export}",
                "--option",
                "columns=会议类型=meeting_type; 支部=branch",
                "--data-dir",
                data,
                env=env,
            )
        )
        uuid = new_meeting(bundle, env, data, "--final")
        ok(run(bundle / CLI, "sync", "--data-dir", data, env=env), 0, 3)  # 3: the file awaits upload
    finally:
        server.shutdown()
    assert len(received) == 1
    key, body = received[0]
    assert key.startswith(f"{uuid}:1:") and body["uuid"] == uuid and body["branch"] == "红星村党支部"
    openpyxl = pytest.importorskip("openpyxl")
    [workbook] = export.glob("*.xlsx")
    rows = list(openpyxl.load_workbook(workbook).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("会议类型", "支部") and rows[1][:2] == ("支部委员会", "红星村党支部")


def test_portable_data_folder_beside_the_program(bundle, env, tmp_path):
    """A `yici-data` folder beside the executable is the data folder (USB-stick mode)."""
    stick = tmp_path / "usb" / "yici"
    shutil.copytree(bundle, stick, symlinks=True)
    (stick / "yici-data").mkdir()
    ok(run(stick / CLI, "branches", "add", "青山村党支部", env=env))
    assert (stick / "yici-data" / "yici.db").is_file()
    listed = json.loads(ok(run(stick / CLI, "branches", "list", "--json", env=env)).stdout)
    assert [b["name"] for b in listed] == ["青山村党支部"]
    user_data = [p for p in Path(env["HOME"]).rglob("yici.db")]
    assert user_data == [], "portable mode must not touch the user data folder"


# --- the window -----------------------------------------------------------------------------------


def test_window_starts_offscreen_and_stops_on_sigterm(bundle, env, data, tmp_path):
    """The frozen GUI starts (Qt plugins, styles, translations load), opens the data folder past
    the first-run questions, stays up, and ends when told to, leaving the data intact."""
    uuid = new_meeting(bundle, env, data, "--final")
    profile = tmp_path / "yici-profile.yaml"  # sets the operator: no first-run dialog
    profile.write_text("yici_profile: 1\nsettings:\n  operator: 测试员\n", encoding="utf-8")
    ok(run(bundle / CLI, "profile", "import", profile, "--data-dir", data, env=env))

    gui_env = dict(env, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [str(bundle / GUI), "--data-dir", str(data)],
        env=gui_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    try:
        # ui.json is written once the window has opened the data folder (desktop/app.py).
        deadline = time.monotonic() + 30
        while not (data / "ui.json").exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (data / "ui.json").exists(), "the window never opened the data folder"
        time.sleep(3)
        assert process.poll() is None, f"the window exited by itself: {process.returncode}"
    finally:
        process.terminate()  # SIGTERM on Linux, TerminateProcess on Windows
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            raise AssertionError("the window did not stop within 20 s of SIGTERM") from exc
    if not IS_WIN:
        # desktop/app.py leaves the event loop on SIGTERM, so the store closes normally: exit 0.
        assert process.returncode == 0, (process.returncode, stderr)
    assert "Traceback" not in stderr, stderr
    log = data / "logs" / "yici.log"
    if log.exists():
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in text and " ERROR " not in text, text
    # The store survived being stopped mid-run.
    listed = json.loads(
        ok(run(bundle / CLI, "records", "list", "--json", "--data-dir", data, env=env)).stdout
    )
    assert uuid in [r["uuid"] for r in listed]


# --- what is inside -------------------------------------------------------------------------------


def test_data_files_sit_where_the_code_looks(bundle):
    internal = bundle / "_internal"
    expected = [p.relative_to(ROOT) for p in (ROOT / "forms" / "library").glob("*.yaml")]
    expected += [p.relative_to(ROOT) for p in (ROOT / "sync" / "templates").glob("*.j2")]
    expected += [p.relative_to(ROOT) for p in (ROOT / "resources" / "i18n").glob("*.qm")]
    expected += [p.relative_to(ROOT) for p in (ROOT / "resources" / "icons").iterdir()]
    expected += [p.relative_to(ROOT) for p in (ROOT / "resources" / "guide").iterdir()]  # F1's guide
    expected += [Path("resources", "style.qss")]
    expected += [
        Path("resources", "fonts", "wqy-microhei.ttc"),
        Path("resources", "fonts", "wqy-microhei-LICENSE.txt"),
    ]
    missing = [str(p) for p in expected if not (internal / p).is_file()]
    assert not missing, f"not in the bundle: {missing}"
    assert not list(internal.glob("resources/i18n/*.ts")), "translators' sources are not shipped"


def test_the_bundle_reads_a_jpegs_exif_and_an_iphones_heic(bundle, env, tmp_path):
    """Pillow and pi-heif's libheif work frozen: the time, place and camera of a JPEG, a HEIC
    decoded (its perceptual hash is the JPEG's), and no HEVC encoder or AVIF/WebP codec shipped."""
    sys.path.insert(0, str(ROOT))
    from tests.forms.photos.making import camera_exif, gps_at, heic, jpeg, red_top, scene, shot

    picture = shot(scene(2), (1200, 900))
    exif = camera_exif(gps=gps_at(30.2741, 120.1551), orientation=6)
    photos = {"会场.jpg": jpeg(picture, exif, orientation=6), "IMG_0001.HEIC": heic(picture, camera_exif())}
    read = {}
    for name, data in photos.items():
        (tmp_path / name).write_bytes(data)
        shown = ok(run(bundle / CLI, "photos", "inspect", tmp_path / name, "--json", env=env)).stdout
        read[name] = json.loads(shown)
    jpg, heif = read["会场.jpg"], read["IMG_0001.HEIC"]
    assert (jpg["format"], jpg["width"], jpg["height"], jpg["orientation"]) == ("JPEG", 1200, 900, 6)
    assert jpg["taken_at"] == "2026-09-10T14:05:33+08:00" and jpg["make"] == "HUAWEI"
    assert abs(jpg["latitude"] - 30.2741) < 1e-6 and abs(jpg["longitude"] - 120.1551) < 1e-6
    assert (heif["format"], heif["width"], heif["height"], heif["latitude"]) == ("HEIF", 1200, 900, None)
    apart = (int(jpg["picture_hash"], 16) ^ int(heif["picture_hash"], 16)).bit_count()
    assert apart <= 10, apart  # the HEIC's pixels were decoded, not only its header read
    names = [p.relative_to(bundle).as_posix().lower() for p in (bundle / "_internal").rglob("*")]
    assert not [n for n in names if re.search(r"x265|pillow_heif|(pil|pillow\.libs)/.*(avif|webp|lcms)", n)]


def test_unused_qt_is_left_out(bundle):
    names = [p.name for p in (bundle / "_internal").rglob("*")]
    unused = re.compile(r"Qt6(Qml|Quick|WebEngine|Pdf|3D|Multimedia|Designer|Sql|Test|Charts|OpenGL)")
    assert not [n for n in names if unused.search(n)]
    plugins = {p.name for p in (bundle / "_internal").rglob("plugins/*") if p.is_dir()}
    assert not plugins & {"sqldrivers", "qmltooling", "egldeviceintegrations"}
    assert "printsupport" in plugins  # 打印 reaches the system's printers
    translations = {p.name for p in (bundle / "_internal").rglob("translations/*.qm")}
    assert translations and all(re.fullmatch(r"qt(base)?_(zh_CN|en)\.qm", n) for n in translations)


def test_the_hub_server_is_left_out(bundle):
    """The desktop bundle carries none of the township hub's server side (yici[hub])."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    archive = readers.CArchiveReader(str(bundle / CLI)).open_embedded_archive("PYZ.pyz")
    server = ("hub", "starlette", "uvicorn", "psycopg", "psycopg_pool", "argon2")
    assert not [m for m in archive.toc if m.split(".")[0] in server]
    internal = bundle / "_internal"
    assert not [p.name for p in internal.iterdir() if p.name.startswith(("psycopg", "argon2", "_argon2"))]


def _command_modules() -> set[str]:
    """The module of every `yici` command's handler ("desktop.cli.forms:forms_list")."""
    import argparse

    sys.path.insert(0, str(ROOT))
    from desktop.cli import build_parser

    modules, parsers = set(), [build_parser()]
    while parsers:
        parser = parsers.pop()
        handler = parser.get_default("handler")
        if handler:
            modules.add(handler.split(":")[0])
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    return modules


def test_modules_imported_by_name_are_in_the_archive(bundle):
    """What PyInstaller cannot see (importlib by name, keyring backends) is in the bundle."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    sys.path.insert(0, str(ROOT))
    from sync.kinds import KIND_MODULES

    archive = readers.CArchiveReader(str(bundle / CLI)).open_embedded_archive("PYZ.pyz")
    expected = (
        set(KIND_MODULES.values())
        | _command_modules()
        | {
            "desktop.app",
            "sqlcipher3.dbapi2",
            "forms.store.cipher",
            "truststore",
            "jinja2.ext",
            "openpyxl",
            "keyring.backends.chainer",
            "keyring.backends.Windows" if IS_WIN else "keyring.backends.SecretService",
        }
    )
    if not IS_WIN:
        expected |= {"secretstorage", "jeepney.io.blocking"}
    missing = sorted(expected - set(archive.toc))
    assert not missing, f"not in the frozen archive: {missing}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the size budget is for Linux")
def test_linux_bundle_within_size_budget(bundle):
    size = sum(p.lstat().st_size for p in bundle.rglob("*")) / 1e6
    print(f"bundle size: {size:.1f} MB")
    assert size <= SIZE_BUDGET_MB, f"{size:.1f} MB > {SIZE_BUDGET_MB} MB"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the ICU data is trimmed on Linux")
def test_qt_icu_data_is_chinese_and_english_only(bundle):
    """packaging/linux/icu_data.py: 9 MiB instead of 30, with Chinese collation, dictionary and
    character sets."""
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    import icu_data

    [library] = [p for p in (bundle / "_internal").rglob("libicudata.so.*") if not p.is_symlink()]
    assert library.stat().st_size < 12 * 2**20
    _, offset, size = icu_data._symbol(library)
    names = {n.split("/", 1)[1] for n, _ in icu_data._items(library.read_bytes()[offset : offset + size])[1]}
    assert {
        "coll/zh.res",
        "zh_Hans_CN.res",
        "en.res",
        "brkitr/cjdict.dict",
        "gb18030.cnv",
        "cnvalias.icu",
    } <= names
    assert not names & {"coll/de.res", "ja.res", "translit/el.res", "ibm-943_P15A-2003.cnv"}


def test_a_web_form_is_filled_by_the_bundled_app_in_the_laptops_browser(bundle, env, data, tmp_path):
    """The frozen app finds the browser, starts it and fills a platform's form (kind `browser`)."""
    from tests.sync.browser_setup import recipe_for
    from tests.sync.headless import TEST_ARGS, chromium
    from tests.sync.standin_platform import StandinPlatform

    if chromium() is None:
        pytest.skip("no Chromium on this machine")
    platform = StandinPlatform(open_to_all=True)  # an intranet system with no login
    try:
        text = recipe_for(platform, "standin-auto.yaml")
        start, fields = text.split("login:", 1)[0], text.split("steps:", 1)[1]
        recipe = tmp_path / "县系统.yaml"
        recipe.write_text(start + "steps:" + fields, encoding="utf-8")
        add = ["targets", "add", "县系统", "--kind", "browser", "--recipe", recipe]
        ok(run(bundle / CLI, *add, "--option", "allow_plain_http=yes", "--data-dir", data, env=env))
        new_meeting(bundle, env, data, "--final")
        browser_env = {**env, "YICI_BROWSER_ARGS": " ".join(a for a in TEST_ARGS if " " not in a)}
        result = ok(run(bundle / CLI, "browser", "run", "--headless", "--data-dir", data, env=browser_env))
        assert "已录入 1 条" in result.stdout
    finally:
        platform.close()
    (saved,) = platform.meetings
    assert saved.values["title"] == "十一月支部委员会" and saved.values["meeting_type"] == "02"
