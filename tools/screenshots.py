"""Make the README's screenshots (docs/screens/*.png): the real app under a real X server.

For each screen (1366×768 at 标准, 1024×768 at 特大) a sample data folder is built with a roster
of long names, a few records (drafts, finals, an overdue cadence) and two platforms; then Yici
starts on it as a person would start it, under `xvfb-run` with QT_QPA_PLATFORM=xcb, picks its own
window sizes, and the screen is grabbed: main window, due view, a 支部委员会 in the record editor,
and the platforms dialog. Pictures are 8-bit PNGs, so the README stays light.
    .venv/bin/python tools/screenshots.py [--out docs/screens]
Needs xvfb-run and the WenQuanYi Micro Hei font (./dev installs both on Debian-like systems).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
# (file prefix, screen width, height, text size): what README shows.
SHOTS = (("1366-standard", 1366, 768, "standard"), ("1024-xlarge", 1024, 768, "xlarge"))
OUT = ROOT / "docs" / "screens"
PICTURES = ("main", "due", "editor", "targets")

# Real rosters: two- to four-character names and minority names with a middle dot of ten and more.
ROSTER = [
    ("欧阳晓明", "书记", "13800138000"),
    ("阿卜杜热合曼·艾买提江", "副书记", None),
    ("司马春花", "委员", None),
    ("买买提依明·阿不都热西提", "委员", None),
    ("上官婉儿", "党员", None),
    ("古丽米拉·阿不都克力木", "党员", None),
    ("诸葛明亮", "党员", None),
    ("张伟", "党员", None),
    ("热依汗古丽·买买提明", "预备党员", None),
    ("黄志强", "党员", None),
]
COMMITTEE = [n for n, r, _ in ROSTER if r in ("书记", "副书记", "委员")]


def sample_data(session) -> dict:
    """Three branches, rosters and a few months of records; returns ids worth showing."""
    store = session.store
    session.operator = "张晓梅"
    store.set_setting("started_on", "2026-11-01")  # November missed: a few overdue, not a wall
    red = store.add_branch("红星村党支部", code="HX-001", secretary=ROSTER[0][0])
    store.import_members(red.id, [{"name": n, "role": r, "phone": p} for n, r, p in ROSTER])
    green = store.add_branch("青山村党支部", secretary="周海")
    store.import_members(green.id, [{"name": "周海", "role": "书记"}, {"name": "吴芳", "role": "委员"}])
    river = store.add_branch("河湾社区党支部", secretary="郑丽")
    store.import_members(river.id, [{"name": "郑丽", "role": "书记"}, {"name": "孙涛", "role": "党员"}])
    far = store.add_branch("依干其乡托万克亚喀艾日克村党支部", secretary=ROSTER[5][0])
    store.import_members(
        far.id, [{"name": ROSTER[5][0], "role": "书记"}, {"name": ROSTER[8][0], "role": "党员"}]
    )
    # 党课 every month: the last one was in July, so November (since the start) is overdue.
    store.update_branch(red.id, cadence={"sanhui-yike:党课": "month"})

    everyone = [n for n, _, _ in ROSTER]
    present = everyone[:8]
    absences = [{"name": everyone[8], "reason": "请假（外出务工）"}, {"name": everyone[9], "reason": "病假"}]

    def meeting(branch_id, kind, when, title, final=True, **extra):
        values = {
            "meeting_type": kind,
            "title": title,
            "held_at": when,
            "place": "村党群服务中心",
            "topics": "学习传达上级会议精神\n研究部署近期重点工作",
            "content": "书记传达了镇党委会议精神，大家逐项讨论了近期工作安排。",
            "expected_count": len(ROSTER),
            "attendees": present,
            "absences": absences,
            **extra,
        }
        record, _ = session.records.new("sanhui-yike", branch_id, values, "张晓梅", final=final)
        return record

    for month in ("08", "09", "10"):
        meeting(
            red.id,
            "支部委员会",
            f"2026-{month}-06T09:30",
            f"2026年{int(month)}月支部委员会",
            decisions="同意推荐两名同志为入党积极分子",
        )
        meeting(
            red.id,
            "党小组会",
            f"2026-{month}-15T19:00",
            f"第一党小组{int(month)}月学习",
            party_group="第一党小组",
        )
    meeting(
        red.id,
        "支部党员大会",
        "2026-09-20T14:00",
        "2026年第三季度支部党员大会",
        decisions="通过年度发展党员计划",
    )
    meeting(
        red.id,
        "党课",
        "2026-07-01T09:00",
        "七一专题党课",
        lecturer=ROSTER[0][0],
        course_title="学习党章 做合格党员",
    )
    meeting(red.id, "支部委员会", "2026-11-05T09:30", "2026年11月支部委员会", decisions="安排冬季防火巡查")
    voided = meeting(
        red.id, "党小组会", "2026-11-08T19:00", "第一党小组11月学习（重复）", party_group="第一党小组"
    )
    session.records.void(voided.uuid, "重复录入", "张晓梅")
    draft = meeting(
        red.id, "支部党员大会", "2026-11-20T14:00", "2026年第四季度支部党员大会", final=False, decisions=""
    )
    visit_values = {
        "household_head": "李大山",
        "village_group": "三组",
        "household_type": "监测户",
        "visited_at": "2026-11-12T15:00",
        "duration_minutes": 40,
        "visitors": [ROSTER[0][0], "张伟"],
        "visit_type": "防返贫监测",
        "summary": "了解冬季取暖和医疗报销情况",
        "problems": [{"category": "医疗健康", "description": "慢性病报销材料不全", "needs_follow_up": "是"}],
    }
    try:
        session.records.new("ruhu-zoufang", red.id, visit_values, "张晓梅", final=True)
    except Exception:  # the visit form's checks may want more; a draft shows just as well
        session.records.new("ruhu-zoufang", red.id, visit_values, "张晓梅")
    meeting(
        green.id,
        "支部委员会",
        "2026-11-03T09:00",
        "2026年11月支部委员会",
        attendees=["周海", "吴芳"],
        absences=[],
        expected_count=2,
    )
    committee = meeting(
        red.id,
        "支部委员会",
        "2026-12-04T09:30",
        "2026年12月支部委员会",
        final=False,
        attendees=COMMITTEE[:3],
        absences=[{"name": COMMITTEE[3], "reason": "请假（参加县里培训）"}],
        expected_count=len(COMMITTEE),
        decisions="",
    )
    return {"branch": red.id, "draft": draft.uuid, "committee": committee.uuid}


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict for the length of the run: the pictures need no real keychain."""

    priority = 1
    name = "演示用钥匙串"

    def __init__(self):
        super().__init__()
        self.entries = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


def sample_deliveries(session, branch_id: int) -> dict:
    """Two delivery platforms: a county platform nobody answers on this machine (its records wait)
    and a robot paused for a wrong signing secret. Returns the uuid of a record going out."""
    store = session.store
    store.add_target(
        "县智慧党建平台",
        "rest",
        url="http://127.0.0.1:9/api/records",
        forms=["sanhui-yike"],
        options={"auth": "none"},
    )
    robot = store.add_target("镇党委钉钉群", "dingtalk", forms=["ruhu-zoufang"])
    store.set_target_attention(robot.id, "钉钉返回 310000：签名不匹配。请在“推送平台”里重新填写加签密钥。")
    made = []
    for when, title in (
        ("2026-11-18T19:00", "第一党小组11月学习"),
        ("2026-11-19T09:00", "第一党小组冬季防火学习"),
    ):
        values = {
            "meeting_type": "党小组会",
            "title": title,
            "held_at": when,
            "place": "村党群服务中心",
            "party_group": "第一党小组",
            "topics": "学习冬季防火安全知识",
            "content": "书记领学，大家结合本组情况发言。",
            "expected_count": 10,
            "attendees": [n for n, _, _ in ROSTER][:9],
            "absences": [{"name": ROSTER[9][0], "reason": "病假"}],
        }
        record, _ = session.records.new("sanhui-yike", branch_id, values, "张晓梅", final=True)
        made.append(record.uuid)
    return {"outgoing": made[-1]}


def wait_for_sync(app, window, timeout: float = 20.0) -> None:
    """Until the window's first delivery run has finished (the status shows its outcome)."""
    import time

    end = time.monotonic() + timeout
    while window.sync.runs < 1 and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    settle(app)


def setup_app(font_size: str):
    from PySide6.QtGui import QFontDatabase

    from desktop.app import application
    from desktop.appearance import apply_appearance

    app = application()
    family = None
    for path in CJK_FONTS:
        if Path(path).exists():
            font_id = QFontDatabase.addApplicationFont(path)
            families = QFontDatabase.applicationFontFamilies(font_id)
            family = families[0] if families else None
            break
    apply_appearance(app, font_size, family=family)
    return app, family


def settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def build_sample(folder: Path, font_size: str) -> dict:
    """A data folder at `folder` as a cadre's would look after some months; no display needed.
    Returns the ids worth showing (also written beside the folder, for the grabbing run)."""
    import keyring

    from desktop.session import Session
    from sync.kinds import install

    install()  # forms/ learns the target kinds, as the app does at start
    keyring.set_keyring(MemoryKeyring())  # never the keychain of whoever runs this
    session = Session.open(folder)
    try:
        ids = sample_data(session)
        ids.update(sample_deliveries(session, ids["branch"]))
        session.store.set_setting("font_size", font_size)
    finally:
        session.close()
    Path(f"{folder}.json").write_text(json.dumps(ids), encoding="utf-8")
    return ids


def wait(app, until, timeout: float = 20.0) -> None:
    """Run the event loop until `until()` is true (or `timeout` seconds), then a little more."""
    end = time.monotonic() + timeout
    while not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save_png(image, path: Path) -> Path:
    """An 8-bit palette PNG: text stays sharp, the file small."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    image.save(str(path), "PNG", 0)
    return path


def grab(folder: Path, out: Path, prefix: str) -> list[Path]:
    """Start Yici on `folder` the way `yici` does (Starter) and grab the screen; under X."""
    import keyring
    from PySide6.QtCore import QPoint, QRect

    from desktop.app import Starter, application

    keyring.set_keyring(MemoryKeyring())
    ids = json.loads(Path(f"{folder}.json").read_text(encoding="utf-8"))
    app = application()
    starter = Starter(app, folder)
    window = starter.window
    wait(app, lambda: window.sync is not None and window.sync.runs >= 1)
    window.branch_list.select_branch(ids["branch"])
    window.branch_list.compute_all_now()
    wait(app, lambda: False, 0)
    screen = window.screen()

    def shot(name: str, rect: QRect | None = None) -> Path:
        """The screen as seen (a window's part beyond its edge stays cut), cropped to `rect`."""
        image = screen.grabWindow(0).toImage()
        if rect is not None:
            image = image.copy(rect.intersected(screen.geometry()))
        return save_png(image, out / f"{prefix}-{name}.png")

    def check(widget) -> None:
        """Say so when a window or one of its buttons lies beyond the screen."""
        from PySide6.QtWidgets import QAbstractButton

        area = screen.availableGeometry()
        if not area.contains(widget.frameGeometry()):
            print(
                f"{prefix}: {type(widget).__name__} {widget.frameGeometry()} beyond {area}", file=sys.stderr
            )
        for button in widget.findChildren(QAbstractButton):
            if button.isVisible() and not button.visibleRegion().isEmpty():  # not scrolled away
                place = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
                if not area.contains(place):
                    print(f"{prefix}: {button.text()!r} at {place} beyond the screen", file=sys.stderr)

    check(window)
    saved = [shot("main")]
    panel, splitter = window.due_panel, window.splitter
    top_left = splitter.mapToGlobal(QPoint(0, 0))
    bottom = panel.mapToGlobal(panel.rect().bottomLeft()).y() + 3
    saved.append(shot("due", QRect(top_left, QPoint(top_left.x() + splitter.width() - 1, bottom))))

    editor = window.open_record(ids["committee"])
    wait(app, lambda: editor is not None and editor.isVisible())
    # Scrolled as a person would, to the attendance: ticked members and the absent with reasons.
    from PySide6.QtWidgets import QGroupBox, QScrollArea

    attendance = [g for g in editor.findChildren(QGroupBox) if g.title() == "出席情况"]
    for area in editor.findChildren(QScrollArea)[:1]:
        if attendance:
            area.verticalScrollBar().setValue(attendance[0].mapTo(area.widget(), QPoint(0, 0)).y())
    wait(app, lambda: False, 0)
    check(editor)
    saved.append(shot("editor", editor.frameGeometry()))
    editor.close()
    targets = window.open_targets()
    wait(app, lambda: targets is not None and targets.isVisible())
    check(targets)
    saved.append(shot("targets", targets.frameGeometry()))
    targets.close()
    starter.finish(0)
    starter.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--grab", type=Path, help=argparse.SUPPRESS)  # the run under X
    parser.add_argument("--prefix", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.grab is not None:
        grab(args.grab, args.out, args.prefix)
        return 0
    saved = []
    for prefix, width, height, font_size in SHOTS:
        with tempfile.TemporaryDirectory(prefix="yici-shots-") as parent:
            folder = Path(parent) / "data"
            build_sample(folder, font_size)
            command = ["xvfb-run", "-a", "-s", f"-screen 0 {width}x{height}x24"]
            command += ["env", "QT_QPA_PLATFORM=xcb", "LANG=C.UTF-8", sys.executable, __file__]
            command += ["--grab", str(folder), "--prefix", prefix, "--out", str(args.out)]
            subprocess.run(command, check=True)
        saved += [args.out / f"{prefix}-{name}.png" for name in PICTURES]
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, path.stat().st_size)
    print("total", sum(p.stat().st_size for p in saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
