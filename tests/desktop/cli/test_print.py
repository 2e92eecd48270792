"""`yici records print` and `yici book` as IT staff run them: on a machine with no display, read
back with poppler — every field's text in the PDF, A4, the font embedded, the contents pointing
at the right pages — and wrong input answered in Chinese without a traceback."""

from __future__ import annotations

import os
import stat

import pytest

from tests.desktop.cli.conftest import MEETING_ARGS
from tests.desktop.paper import pdf_reader as pdf

LONG = "阿卜杜热合曼·艾买提江"
FULL = [
    "--set", "meeting_type=支部委员会",
    "--set", "title=十一月支部委员会",
    "--set", "held_at=2026-11-05T09:00",
    "--set", "ended_at=11:30",
    "--set", "place=村党群服务中心会议室",
    "--set", "topics=研究冬季防火\n讨论发展党员",
    "--set", "content=传达上级精神，部署冬季防火。大家逐项讨论。",
    "--set", "dissent=李四认为巡查次数应再增加。",
    "--set", "vote=同意 5 票，反对 0 票，弃权 0 票",
    "--set", "decisions=一、十二月前完成防火检查。",
    "--set", "invited=王某（镇党委组织委员）",
]  # fmt: skip


@pytest.fixture
def headless(yici_env):
    """No display at all, and no platform chosen: the command must pick one that needs none."""
    return {k: v for k, v in yici_env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


@pytest.fixture(autouse=True)
def _poppler():
    pdf.require_poppler()


def roster(cli) -> None:
    for name in (LONG, "李四", "王五"):
        cli("members", "add", "HX01", name)


def test_a_record_prints_every_field_headless(cli, headless, tmp_path):
    roster(cli)
    uuid = cli("records", "new", "sanhui-yike", "--branch", "HX01", *FULL, "--final").stdout.strip()
    out = tmp_path / "记录.pdf"
    said = cli("records", "print", uuid[:8], "--pdf", out, env=headless).stdout
    assert str(out) in said and "页" in said
    text = pdf.flat(out)
    for value in (
        "支部委员会", "十一月支部委员会", "2026年11月5日", "09:00", "11:30", "村党群服务中心会议室",
        "研究冬季防火", "讨论发展党员", "传达上级精神", "李四认为巡查次数应再增加", "同意5票",
        "十二月前完成防火检查", "王某（镇党委组织委员）", "红星村党支部", "张三", LONG,
    ):  # fmt: skip
        assert value in text, value
    assert all("A4" in size for size in pdf.page_sizes(out))
    assert all(f["emb"] == "yes" for f in pdf.fonts(out))
    assert "草稿" not in text and "稿草" not in text


def test_a_draft_prints_marked(cli, headless, tmp_path):
    uuid = cli("records", "new", "sanhui-yike", "--branch", "HX01", *MEETING_ARGS).stdout.strip()
    out = tmp_path / "草稿.pdf"
    assert "草稿" in cli("records", "print", uuid, "--pdf", out, env=headless).stdout
    for page in range(1, pdf.pages(out) + 1):
        assert "草稿" in pdf.flat(out, page) or "稿草" in pdf.flat(out, page)


def test_a_years_book_with_contents_that_point_at_the_right_pages(cli, headless, tmp_path):
    roster(cli)
    for month, kind in ((3, "支部委员会"), (6, "支部党员大会"), (9, "党小组会")):
        extra = ["--set", "party_group=第一党小组"] if kind == "党小组会" else []
        cli(
            "records", "new", "sanhui-yike", "--branch", "HX01", "--final",
            "--set", f"meeting_type={kind}", "--set", f"title={month}月{kind}",
            "--set", f"held_at=2026-{month:02d}-10T09:00", "--set", "topics=学习",
            "--set", "content=" + "会议记录。" * 300, *extra,
        )  # fmt: skip
    cli("records", "new", "sanhui-yike", "--branch", "HX01", "--final", *MEETING_ARGS[:4],
        "--set", "held_at=2025-12-10T09:00", "--set", "topics=学习", "--set", "content=去年的会")  # fmt: skip
    out = tmp_path / "台账.pdf"
    said = cli("book", "--branch", "红星村党支部", "--year", "2026", "--pdf", out, env=headless).stdout
    assert "2026年" in said
    text = pdf.flat(out)
    assert "去年的会" not in text
    contents = pdf.text(out, 2, layout=True)
    found = 0
    for month, kind in ((3, "支部委员会"), (6, "支部党员大会"), (9, "党小组会")):
        line = next(line for line in contents.splitlines() if f"{month}月{kind}" in line)
        page = int(line.split()[-1])
        assert f"{month}月{kind}" in pdf.body(out, page), (month, page)
        found += 1
    assert found == 3
    assert "党员参会情况" in text and LONG in text
    quarter = tmp_path / "q3.pdf"
    cli("book", "--branch", "HX01", "--year", "2026", "--quarter", "3", "--pdf", quarter, env=headless)
    assert "9月党小组会" in pdf.flat(quarter) and "3月支部委员会" not in pdf.flat(quarter)


def test_several_branches_one_file_each(cli, headless, tmp_path):
    cli("branches", "add", "依干其乡托万克亚喀艾日克村党支部")
    both = ["--branch", "HX01", "--branch", "依干其乡托万克亚喀艾日克村党支部", "--year", "2026"]
    refused = cli("book", *both, "--pdf", tmp_path / "x.pdf", code=1, env=headless)
    assert "--out" in refused.stderr and not (tmp_path / "x.pdf").exists()
    cli("book", *both, "--half", "下", "--out", tmp_path / "台账", env=headless)
    names = sorted(p.name for p in (tmp_path / "台账").iterdir())
    assert names == ["依干其乡托万克亚喀艾日克村党支部-2026-H2-台账.pdf", "红星村党支部-2026-H2-台账.pdf"]


def test_wrong_input_is_told_in_chinese(cli, tmp_path):
    usage = cli("book", "--branch", "HX01", "--year", "2026", "--quarter", "1", "--half", "1",
                "--pdf", tmp_path / "x.pdf", code=2)  # fmt: skip
    assert "不能" in usage.stderr
    assert "季度" in cli("book", "--branch", "HX01", "--year", "2026", "--quarter", "5",
                         "--pdf", tmp_path / "x.pdf", code=1).stderr  # fmt: skip
    nowhere = cli("book", "--branch", "没有这个支部", "--year", "2026", "--pdf", tmp_path / "x.pdf", code=1)
    assert "找不到支部" in nowhere.stderr
    assert "找不到" in cli("records", "print", "00000000", "--pdf", tmp_path / "x.pdf", code=1).stderr
    uuid = cli.record()
    assert "文件夹" in cli("records", "print", uuid, "--pdf", tmp_path, code=1).stderr
    assert "不存在" in cli("records", "print", uuid, "--pdf", tmp_path / "无" / "x.pdf", code=1).stderr
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_target_that_is_not_a_file_is_refused_and_left_as_it_was(cli, tmp_path):
    """`--pdf` naming a pipe or a device (/dev/stdout, a printer's queue): the PDF would be renamed
    over it and the pipe gone (as root, a device node of the system). Refused, saying why."""
    uuid = cli.record()
    pipe = tmp_path / "打印队列"
    os.mkfifo(pipe)
    said = cli("records", "print", uuid, "--pdf", pipe, code=1).stderr
    assert "不是普通文件" in said and stat.S_ISFIFO(pipe.stat().st_mode)
    said = cli("book", "--branch", "HX01", "--year", "2026", "--pdf", pipe, code=1).stderr
    assert "不是普通文件" in said and stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
