"""Photos on the command line: `records new --attach`, `records attach`, `records show` with each
photo's time, place, distance and warnings, and `branches position`; bad input refused in words
with nothing saved. Photos are made in the test, their EXIF written with Pillow."""

from __future__ import annotations

import json

from tests.desktop.cli.conftest import MEETING_ARGS
from tests.forms.photos.making import camera_exif, gps_at, jpeg, scene, shot


def photo(tmp_path, name: str, seed: int = 1, taken: str | None = "2026:11:05 09:10:00", **kw):
    path = tmp_path / name
    path.write_bytes(jpeg(shot(scene(seed), (800, 600)), camera_exif(taken=taken, **kw)))
    return path


def new_final(cli, *attach) -> str:
    extra = [a for spec in attach for a in ("--attach", spec)]
    return cli(
        "records", "new", "sanhui-yike", "--branch", "HX01", *MEETING_ARGS, *extra, "--final"
    ).stdout.strip()


def test_attach_on_new_keeps_time_place_and_warnings(cli, tmp_path, yici_env):
    cli("branches", "position", "HX01", "30.5", "114.3")
    here = photo(tmp_path, "IMG_0001.jpg", gps=gps_at(30.51, 114.3))
    early = photo(tmp_path, "IMG_0002.jpg", seed=2, taken="2026:11:01 08:00:00")
    uuid = new_final(cli, f"photos={here}", f"photos={early}")
    shown = cli.json("records", "show", uuid)
    first, second = shown["photos"]
    assert (first["name"], first["taken_at"], first["taken_offset"]) == (
        "IMG_0001.jpg",
        "2026-11-05T09:10:00",
        "+08:00",
    )
    assert first["warnings"] == [] and first["distance_km"] == 1.11
    assert second["warnings"] == ["拍摄于 2026-11-01 08:00，与记录的时间相差约 4 天，请核对"]
    text = cli("records", "show", uuid).stdout
    assert (
        "IMG_0001.jpg：拍摄于 2026-11-05 09:10:00，位置 30.51000, 114.30000（距红星村党支部 1.11 公里）"
        in text
    )
    assert "⚠ 拍摄于 2026-11-01 08:00" in text


def test_a_photo_used_again_is_named(cli, tmp_path):
    same = photo(tmp_path, "IMG_0001.jpg")
    first = new_final(cli, f"photos={same}")
    second = new_final(cli, f"photos={same}")
    (p,) = cli.json("records", "show", second)["photos"]
    assert p["warnings"] == ["这张照片已用于 2026-11-05 三会一课（红星村党支部）"]
    assert cli.json("records", "show", first)["photos"][0]["warnings"] == []


def test_attach_to_a_draft_says_what_it_read(cli, tmp_path):
    draft = cli("records", "new", "sanhui-yike", "--branch", "HX01", *MEETING_ARGS).stdout.strip()
    none = photo(tmp_path, "截图.jpg", taken=None)
    result = cli("records", "attach", draft, "photos", photo(tmp_path, "IMG_0003.jpg"), none)
    assert "IMG_0003.jpg：拍摄于 2026-11-05 09:10:00" in result.stdout
    assert "截图.jpg：没有拍摄时间" in result.stdout and "⚠ 没有拍摄时间" in result.stdout
    assert "已添加 2 个文件到草稿" in result.stdout
    assert [p["name"] for p in cli.json("records", "show", draft)["photos"]] == ["IMG_0003.jpg", "截图.jpg"]


def test_bad_input_is_refused_in_words_and_nothing_is_saved(cli, tmp_path):
    not_photo = tmp_path / "签到表.pdf"
    not_photo.write_bytes(b"%PDF-1.4 sign-in sheet")
    result = cli(
        "records",
        "new",
        "sanhui-yike",
        "--branch",
        "HX01",
        *MEETING_ARGS,
        "--attach",
        f"photos={not_photo}",
        code=1,
    )
    assert "“签到表.pdf”不能作为照片" in result.stderr and "JPEG、HEIC 或 PNG" in result.stderr
    result = cli("records", "new", "sanhui-yike", "--branch", "HX01", "--attach", "title=x.jpg", code=1)
    assert "没有照片或附件字段“title”" in result.stderr and "photos（" in result.stderr
    result = cli("records", "new", "sanhui-yike", "--branch", "HX01", "--attach", "photos", code=1)
    assert "应写成 字段=文件" in result.stderr
    good = photo(tmp_path, "IMG_0004.jpg")
    result = cli(
        "records", "new", "sanhui-yike", "--branch", "HX01", "--attach", f"photos={good}", "--final", code=1
    )
    assert "没有保存" in result.stderr  # required fields missing: --final saves nothing at all
    assert cli.json("records", "list") == []
    files = tmp_path / "files.pdf"
    files.write_bytes(b"%PDF-1.4")
    uuid = new_final(cli, f"files={files}")  # a files field takes any file
    assert cli.json("records", "show", uuid)["photos"] == []
    cli("branches", "position", "HX01", "91", "114", code=1)
    cli("branches", "position", "HX01", code=1)
    assert json.loads(cli("branches", "list", "--json").stdout)[0]["latitude"] is None
