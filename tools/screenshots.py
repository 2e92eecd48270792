"""Render the main window, record editor, due view and targets page with sample data into docs/*.png.

Runs offscreen with a CJK font (WenQuanYi Micro Hei), so it works on a build server:
    .venv/bin/python tools/screenshots.py [--font-size standard|large|xlarge] [--out docs]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
SCREEN = (1366, 768)

ROSTER = [
    ("王建国", "书记", "13800138000"),
    ("李秀英", "副书记", None),
    ("张伟", "委员", None),
    ("刘洋", "党员", None),
    ("陈静", "党员", None),
    ("杨光", "党员", None),
    ("赵敏", "预备党员", None),
    ("黄志强", "党员", None),
]


def sample_data(session) -> dict:
    """Three branches, rosters and a few months of records; returns ids worth showing."""
    store = session.store
    session.operator = "张晓梅"
    store.set_setting("started_on", "2026-06-01")
    red = store.add_branch("红星村党支部", code="HX-001", secretary="王建国")
    store.import_members(red.id, [{"name": n, "role": r, "phone": p} for n, r, p in ROSTER])
    green = store.add_branch("青山村党支部", secretary="周海")
    store.import_members(green.id, [{"name": "周海", "role": "书记"}, {"name": "吴芳", "role": "委员"}])
    river = store.add_branch("河湾社区党支部", secretary="郑丽")
    store.import_members(river.id, [{"name": "郑丽", "role": "书记"}, {"name": "孙涛", "role": "党员"}])
    store.update_branch(red.id, cadence={"sanhui-yike:党课": "half-year"})

    everyone = [n for n, _, _ in ROSTER]
    present = everyone[:6]
    absences = [{"name": "赵敏", "reason": "请假（外出务工）"}, {"name": "黄志强", "reason": "病假"}]

    def meeting(branch_id, kind, when, title, final=True, **extra):
        values = {
            "meeting_type": kind,
            "title": title,
            "held_at": when,
            "place": "村党群服务中心",
            "topics": "学习传达上级会议精神\n研究部署近期重点工作",
            "content": "书记传达了镇党委会议精神，大家逐项讨论了近期工作安排。",
            "expected_count": 8,
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
        lecturer="王建国",
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
        "visitors": ["王建国", "张伟"],
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
    return {"branch": red.id, "draft": draft.uuid}


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
            "expected_count": 8,
            "attendees": [n for n, _, _ in ROSTER][:7],
            "absences": [{"name": "黄志强", "reason": "病假"}],
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--font-size", default="standard", choices=("standard", "large", "xlarge"))
    parser.add_argument("--suffix", default="", help="added to file names, e.g. -large")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import keyring

    from desktop.main_window import MainWindow, editor_class
    from desktop.session import Session

    keyring.set_keyring(MemoryKeyring())  # never the keychain of whoever runs this

    app, family = setup_app(args.font_size)
    with tempfile.TemporaryDirectory(prefix="yici-shots-") as folder:
        session = Session.open(Path(folder) / "data")
        ids = sample_data(session)
        ids.update(sample_deliveries(session, ids["branch"]))
        from desktop.app import prepare
        from desktop.appearance import apply_appearance

        session.store.set_setting("font_size", args.font_size)
        prepare(app, session)
        apply_appearance(app, args.font_size, family=family)

        window = MainWindow(session)
        window.resize(*SCREEN)
        window.show()
        window.branch_list.select_branch(ids["branch"])
        window.branch_list.compute_all_now()
        wait_for_sync(app, window)
        window.table.selectRow(1)
        settle(app)
        saved = [args.out / f"main-window{args.suffix}.png"]
        window.grab().save(str(saved[-1]))

        panel = window.due_panel
        saved.append(args.out / f"due{args.suffix}.png")
        # The due view as people see it: branch marks beside the chosen branch's panel.
        bottom = panel.mapTo(window.splitter, panel.rect().bottomLeft()).y() + 3
        due_area = window.splitter.grab(
            window.splitter.rect().adjusted(0, 0, 0, bottom - window.splitter.height())
        )
        due_area.save(str(saved[-1]))

        cls = editor_class()
        if cls is not None:
            # A final record on its way out: the editor shows the per-platform delivery panel.
            editor = cls(session, uuid=ids["outgoing"])
            editor.resize(1000, 740)
            editor.show()
            settle(app)
            saved.append(args.out / f"editor{args.suffix}.png")
            editor.grab().save(str(saved[-1]))
            editor.close()

        targets = window.open_targets()
        # As on a 1366x768 laptop (the offscreen screen is smaller than that).
        from PySide6.QtCore import QRect

        from desktop.appearance import resize_for_font

        resize_for_font(targets, 900, 460, room=QRect(0, 0, *SCREEN))
        settle(app)
        saved.append(args.out / f"targets{args.suffix}.png")
        targets.grab().save(str(saved[-1]))
        targets.close()
        window.close()
        settle(app)
        session.close()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
