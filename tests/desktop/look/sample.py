"""A data folder as a real township has it: rosters with four-character names and minority names of
ten characters and more, long branch names, records whose summaries differ only at the end, a
draft and a final 支部委员会 with people ticked and absent, and delivery platforms of each kind a
cadre meets (an API, robots, values copied by hand, a web form Yici fills with screenshots as proof).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

# Names of two to four characters, and Uyghur names with a middle dot (ten characters and more).
ROSTER = [
    ("阿卜杜热合曼·艾买提江", "书记", "13800138000"),
    ("欧阳晓明", "副书记", None),
    ("买买提依明·阿不都热西提", "委员", None),
    ("司马春花", "委员", None),
    ("古丽米拉·阿不都克力木", "党员", None),
    ("上官婉儿", "党员", None),
    ("热依汗古丽·买买提明", "党员", "13900139000"),
    ("诸葛明亮", "预备党员", None),
    ("王强", "党员", None),
    ("李秀英", "党员", None),
]
NAMES = [name for name, _, _ in ROSTER]
BRANCH = "托克扎克镇阿克喀什村党支部"
OTHER_BRANCHES = ("河湾社区第一党支部", "红星村党支部")
OPERATOR = "欧阳晓明"


COPY_FIELDS = """\
会议类型 = meeting_type
会议类型代码 = {'支部党员大会': '01', '支部委员会': '02', '党小组会': '03', '党课': '04'}[meeting_type]
会议名称 = title
召开时间 = held_at[:4] ~ '年' ~ held_at[5:7] ~ '月' ~ held_at[8:10] ~ '日 ' ~ held_at[11:16]
会议地点 = place
会议议题 = topics
参会人员 = attendees | join('、')
缺席人员及原因 = absences
主要内容 = content
所属支部 = branch
"""


# A county system's web form filled by Yici in the browser (the worked example of docs/recipes/).
RECIPE = Path(__file__).resolve().parents[3] / "docs" / "recipes" / "standin-check-first.yaml"
WEB_FORM = "县党员教育管理系统（网页版，自动填写）"


def page_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A screenshot-sized PNG of one colour, made without Qt (no display needed here)."""
    row = b"\x00" + bytes(rgb) * width
    chunks = [
        (b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        (b"IDAT", zlib.compress(row * height, 9)),
        (b"IEND", b""),
    ]
    out = b"\x89PNG\r\n\x1a\n"
    for kind, data in chunks:
        out += struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return out


def web_form_account(session, ids: dict) -> None:
    """The web form's account and password in the keyring, as IT left it set up. Only with an
    in-memory keyring installed (the tour's): never a real keychain."""
    from sync import secrets

    target = session.store.target(ids["web_form"])
    secrets.set_secret(session.store, target, "user", "xiangzhen01")
    secrets.set_secret(session.store, target, "password", "Dj#2026-长坪")


def roster_csv(folder: Path) -> Path:
    """The long-name roster as the spreadsheet a cadre would import."""
    path = folder / "花名册.csv"
    lines = ["姓名,角色,电话"] + [f"{n},{r},{p or ''}" for n, r, p in ROSTER]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def meeting(kind: str, when: str, title: str, **extra) -> dict:
    """Values of a 三会一课 meeting with most of the roster present and two people absent."""
    return {
        "meeting_type": kind,
        "title": title,
        "held_at": when,
        "place": "村党群服务中心二楼会议室",
        "topics": "学习传达上级会议精神\n研究部署冬季防火和困难党员慰问工作",
        "content": "书记传达了镇党委会议精神，大家逐项讨论了近期工作安排。",
        "expected_count": len(NAMES),
        "attendees": NAMES[:-2],
        "absences": [
            {"name": NAMES[-2], "reason": "请假（外出务工）"},
            {"name": NAMES[-1], "reason": "病假"},
        ],
        **extra,
    }


def fill(session) -> dict:
    """Branches, rosters, records and platforms; returns the ids the tour opens."""
    store = session.store
    session.operator = OPERATOR
    store.set_setting("started_on", "2026-01-01")
    branch = store.add_branch(BRANCH, code="AKS-001", secretary=NAMES[0])
    store.import_members(branch.id, [{"name": n, "role": r, "phone": p} for n, r, p in ROSTER])
    for name in OTHER_BRANCHES:
        other = store.add_branch(name, secretary="郑丽")
        store.import_members(other.id, [{"name": "郑丽", "role": "书记"}, {"name": "孙涛", "role": "党员"}])
    store.add_target(
        "县智慧党建云平台（测试环境）",
        "rest",
        url="http://127.0.0.1:9/api/records",
        forms=["sanhui-yike"],
        options={"auth": "none"},
    )
    robot = store.add_target("镇党委钉钉工作群机器人", "dingtalk", forms=["sanhui-yike"])
    # A platform typed into by hand, field by field: long and multi-line values to read from.
    store.add_target(
        "县党员教育管理系统（仅手机端）", "copy", forms=["sanhui-yike"], options={"fields": COPY_FIELDS}
    )
    web_form = store.add_target(
        WEB_FORM,
        "browser",
        forms=["sanhui-yike"],
        options={"recipe": RECIPE.read_text(encoding="utf-8"), "allow_plain_http": "是"},
    )
    store.set_target_attention(robot.id, "钉钉返回 310000：签名不匹配。请在“推送平台”里重新填写加签密钥。")

    records = session.records
    finals = []
    for month in ("08", "09", "10"):
        title = f"2026年{int(month)}月支部委员会：研究冬季防火和困难党员慰问工作安排（第一次）"
        record, _ = records.new(
            "sanhui-yike",
            branch.id,
            meeting("支部委员会", f"2026-{month}-06T09:30", title, decisions="同意推荐两名同志"),
            OPERATOR,
            final=True,
        )
        finals.append(record.uuid)
    # Two summaries alike but for their last words: the table must tell them apart.
    for ending in ("第一党小组", "第二党小组"):
        records.new(
            "sanhui-yike",
            branch.id,
            meeting("党小组会", "2026-11-15T19:00", f"11月党小组学习：冬季防火安全知识和政策宣讲（{ending}）")
            | {"party_group": ending},
            OPERATOR,
            final=True,
        )
    draft, _ = records.new(
        "sanhui-yike",
        branch.id,
        meeting("支部委员会", "2026-11-20T14:00", "2026年11月支部委员会", decisions=""),
        OPERATOR,
    )
    voided, _ = records.new(
        "sanhui-yike",
        branch.id,
        meeting("党课", "2026-07-01T09:00", "七一专题党课", lecturer=NAMES[0], course_title="学习党章"),
        OPERATOR,
        final=True,
    )
    records.void(voided.uuid, "重复录入", OPERATOR)
    # A township hub (paused: nothing is sent from the tour) and a record corrected on two
    # laptops, for the conflict dialog: long values on both sides.
    hub = store.add_target("乡镇平台", "hub", url="https://10.1.2.3:8470", enabled=False)
    store.queue_existing(hub.id, OPERATOR)  # as joining does: every final record waits for the hub
    theirs = store.record(finals[0])
    store.keep_hub_conflict(
        theirs.uuid,
        theirs.revision,
        hub.id,
        {
            "revision": 2,
            "base_revision": 1,
            "status": "final",
            "data": theirs.data
            | {
                "title": theirs.data["title"].replace("第一次", "第一次，会后补记"),
                "place": "阿克苏地区库车市乌恰镇党群服务中心三楼会议室",
                "decisions": "同意推荐阿卜杜热合曼·艾买提江、买买提依明·阿不都热西提两名同志为入党积极分子",
            },
            "summary": theirs.summary,
            "operator": NAMES[1],
            "finalized_at": "2026-11-20T09:30:00+08:00",
        },
    )
    # One meeting already entered into the web form by a run: its screenshots are the proof.
    [entered] = store.deliveries(record_uuid=finals[0], target_id=web_form.id)
    store.start_browser_entry(entered.id)
    store.finish_browser_entry(
        entered.id,
        OPERATOR,
        "entered",
        "已在平台录入（欧阳晓明 核对后提交）",
        payload='[["会议名称", "2026年8月支部委员会：研究冬季防火和困难党员慰问工作安排（第一次）"],'
        ' ["会议类型", "支部委员会"], ["召开日期", "2026-08-06"]]',
        proofs=[
            ("before", page_png(1280, 1900, (253, 232, 232)), "http://127.0.0.1:8701/meetings/new"),
            ("after", page_png(1280, 720, (230, 244, 234)), "http://127.0.0.1:8701/meetings/7"),
        ],
    )
    visit, phone = household_visit(session, branch.id)
    return {
        "branch": branch.id,
        "final": finals[-1],
        "draft": draft.uuid,
        "web_form": web_form.id,
        "entered": entered.id,
        "visit": visit,
        "phone": phone,
    }


def household_visit(session, branch_id: int) -> tuple[str, str]:
    """A 入户走访 draft with phone photos (one held sideways, one days old, one with no time, one
    already in a final meeting), the village's position, and a phone's folder to choose from."""
    from forms.photo_items import attach_photo
    from tests.forms.photos.making import camera_exif, gps_at, jpeg, red_top, scene, shot

    store = session.store
    store.set_branch_position(branch_id, 41.27, 80.23)
    folder = Path(store.data_dir).parent / "手机" / "DCIM" / "Camera"
    folder.mkdir(parents=True, exist_ok=True)
    shots = {
        "IMG_20261120_143012.jpg": ("2026:11:20 14:30:12", gps_at(41.28, 80.23), 6),
        "IMG_20261117_091500.jpg": ("2026:11:17 09:15:00", gps_at(41.5, 80.23), 1),
        "微信图片_20261120143500.jpg": (None, None, 1),
        "IMG_20261120_101010.jpg": ("2026:11:20 10:10:10", None, 1),
    }
    for n, (name, (taken, gps, held)) in enumerate(shots.items()):
        picture = red_top((640, 480)) if held != 1 else shot(scene(n, (720, 540)), (640, 480))
        exif = camera_exif(taken=taken, gps=gps, orientation=held if held != 1 else None)
        (folder / name).write_bytes(jpeg(picture, exif, orientation=held))
    used = folder / "IMG_20261120_101010.jpg"
    records = session.records
    meeting_record, _ = records.new(
        "sanhui-yike",
        branch_id,
        meeting("党小组会", "2026-11-20T10:00", "11月党小组学习（第三党小组）"),
        OPERATOR,
    )
    item = attach_photo(store, meeting_record.uuid, used, used.name)
    records.save_draft(meeting_record.uuid, {**meeting_record.data, "photos": [item]}, OPERATOR)
    records.finalize(meeting_record.uuid, OPERATOR)
    visit, _ = records.new(
        "ruhu-zoufang",
        branch_id,
        {
            "household_head": NAMES[2],
            "visited_at": "2026-11-20T15:00",
            "visitors": [NAMES[1]],
            "visit_type": "困难帮扶",
            "location": {"place": "阿克喀什村三组45号"},
        },
        OPERATOR,
    )
    items = [attach_photo(store, visit.uuid, folder / name, name) for name in shots]
    records.save_draft(visit.uuid, {**visit.data, "photos": items}, OPERATOR)
    return visit.uuid, str(folder.parent.parent)
