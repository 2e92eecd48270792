"""Render the main window, the record editor and the due view with sample data into docs/*.png.

Runs offscreen with a CJK font (WenQuanYi Micro Hei), so it works on a build server:
    .venv/bin/python tools/screenshots.py [--font-size standard|large|xlarge] [--out docs]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc")
SCREEN = (1366, 768)

ROSTER = [("王建国", "书记", "13800138000"), ("李秀英", "副书记", None), ("张伟", "委员", None),
          ("刘洋", "党员", None), ("陈静", "党员", None), ("杨光", "党员", None),
          ("赵敏", "预备党员", None), ("黄志强", "党员", None)]


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
        values = {"meeting_type": kind, "title": title, "held_at": when, "place": "村党群服务中心",
                  "topics": "学习传达上级会议精神\n研究部署近期重点工作",
                  "content": "书记传达了镇党委会议精神，大家逐项讨论了近期工作安排。",
                  "expected_count": 8, "attendees": present, "absences": absences, **extra}
        record, _ = session.records.new("sanhui-yike", branch_id, values, "张晓梅", final=final)
        return record

    for month in ("08", "09", "10"):
        meeting(red.id, "支部委员会", f"2026-{month}-06T09:30", f"2026年{int(month)}月支部委员会",
                decisions="同意推荐两名同志为入党积极分子")
        meeting(red.id, "党小组会", f"2026-{month}-15T19:00", f"第一党小组{int(month)}月学习",
                party_group="第一党小组")
    meeting(red.id, "支部党员大会", "2026-09-20T14:00", "2026年第三季度支部党员大会",
            decisions="通过年度发展党员计划")
    meeting(red.id, "党课", "2026-07-01T09:00", "七一专题党课", lecturer="王建国",
            course_title="学习党章 做合格党员")
    meeting(red.id, "支部委员会", "2026-11-05T09:30", "2026年11月支部委员会",
            decisions="安排冬季防火巡查")
    voided = meeting(red.id, "党小组会", "2026-11-08T19:00", "第一党小组11月学习（重复）",
                     party_group="第一党小组")
    session.records.void(voided.uuid, "重复录入", "张晓梅")
    draft = meeting(red.id, "支部党员大会", "2026-11-20T14:00", "2026年第四季度支部党员大会",
                    final=False, decisions="")
    visit_values = {"household_head": "李大山", "village_group": "三组", "household_type": "监测户",
                    "visited_at": "2026-11-12T15:00", "duration_minutes": 40,
                    "visitors": ["王建国", "张伟"], "visit_type": "防返贫监测",
                    "summary": "了解冬季取暖和医疗报销情况",
                    "problems": [{"category": "医疗健康", "description": "慢性病报销材料不全",
                                  "needs_follow_up": "是"}]}
    try:
        session.records.new("ruhu-zoufang", red.id, visit_values, "张晓梅", final=True)
    except Exception:  # the visit form's checks may want more; a draft shows just as well
        session.records.new("ruhu-zoufang", red.id, visit_values, "张晓梅")
    meeting(green.id, "支部委员会", "2026-11-03T09:00", "2026年11月支部委员会",
            attendees=["周海", "吴芳"], absences=[], expected_count=2)
    return {"branch": red.id, "draft": draft.uuid}


def setup_app(font_size: str):
    from PySide6.QtGui import QFontDatabase
    from desktop.app import application
    from desktop.settings_dialog import apply_appearance
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

    from desktop.session import Session
    from desktop.main_window import MainWindow, editor_class

    app, family = setup_app(args.font_size)
    with tempfile.TemporaryDirectory(prefix="yici-shots-") as folder:
        session = Session.open(Path(folder) / "data")
        ids = sample_data(session)
        from desktop.app import prepare
        from desktop.settings_dialog import apply_appearance
        session.store.set_setting("font_size", args.font_size)
        prepare(app, session)
        apply_appearance(app, args.font_size, family=family)

        window = MainWindow(session)
        window.resize(*SCREEN)
        window.show()
        window.branch_list.select_branch(ids["branch"])
        window.branch_list.compute_all_now()
        settle(app)
        window.table.selectRow(1)
        settle(app)
        saved = [args.out / f"main-window{args.suffix}.png"]
        window.grab().save(str(saved[-1]))

        panel = window.due_panel
        saved.append(args.out / f"due{args.suffix}.png")
        # The due view as people see it: branch marks beside the chosen branch's panel.
        bottom = panel.mapTo(window.splitter, panel.rect().bottomLeft()).y() + 8
        due_area = window.splitter.grab(
            window.splitter.rect().adjusted(0, 0, 0, bottom - window.splitter.height()))
        due_area.save(str(saved[-1]))

        cls = editor_class()
        if cls is not None:
            editor = cls(session, uuid=ids["draft"])
            editor.resize(1000, 740)
            editor.show()
            settle(app)
            saved.append(args.out / f"editor{args.suffix}.png")
            editor.grab().save(str(saved[-1]))
            editor.close()
        window.close()
        settle(app)
        session.close()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
