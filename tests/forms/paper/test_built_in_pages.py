"""Every built-in form prints: empty, and with every field filled (long names, long text), in its
own layout and in the generic one, every value on the page."""

from __future__ import annotations

import pytest

from forms.paper.record_page import record_page
from tests.forms.paper.conftest import LONG_TEXT, ROSTER, full_meeting
from tests.forms.paper.test_record_page import text_of

ALL = [name for name, _ in ROSTER]
CAME = [n for n in ALL if n != "阿卜杜热合曼·艾买提江"]
AWAY = [{"name": "阿卜杜热合曼·艾买提江", "reason": "外出务工（在新疆喀什）"}]
MEETING = {"expected_count": 10, "attendees": CAME, "absences": AWAY}

FULL = {
    "sanhui-yike": full_meeting(),
    "zhuti-dangri": {
        "held_at": "2026-11-05T09:00",
        "theme": "学习贯彻党的二十届四中全会精神主题党日",
        "activity_types": ["学习", "志愿服务"],
        "place": "红星村新时代文明实践站",
        "host": "王建国",
        "recorder": "古丽米拉·阿不都克力木",
        "invited": "群众代表 12 人",
        "content": LONG_TEXT,
        "volunteer_service": "为独居老人打扫院落、检查用电安全。",
        "outcome": "党员们进一步提高了认识。",
        **MEETING,
    },
    "zuzhi-shenghuohui": {
        "held_at": "2026-12-20T14:00",
        "theme": "2026年度组织生活会",
        "place": "村委会会议室",
        "host": "王建国",
        "recorder": "买买提依明·阿不都热西提",
        "superior_attendees": "赵某某（镇党委委员）",
        "study": "会前集中学习三次。",
        "opinions": "发放征求意见表 30 份，收回 28 份。",
        "heart_talks": "支部书记与每名党员谈心谈话。",
        "branch_report": LONG_TEXT,
        "criticism": "上官婉儿同志批评诸葛明亮同志学习不够主动。",
        "problems": "学习教育不够深入。",
        "rectification": "每月开展一次集中学习。",
        **MEETING,
    },
    "minzhu-pingyi": {
        "held_at": "2026-12-28T09:00",
        "year": 2026,
        "place": "村委会会议室",
        "host": "王建国",
        "recorder": "李秀英",
        "self_review": "每名党员作了自我评价。",
        "mutual_review": LONG_TEXT,
        "democratic_evaluation": "发放测评表 9 份。",
        "results": [
            {"member": "热依汗古丽·买买提明", "grade": "优秀"},
            {"member": "司马春花", "grade": "合格"},
            {"member": "诸葛明亮", "grade": "基本合格", "remark": "参加组织生活不够经常"},
        ],
        **MEETING,
    },
    "ruhu-zoufang": {
        "household_head": "阿卜杜热合曼·艾买提江",
        "village_group": "第三村民小组",
        "address": "红星村三组 18 号",
        "household_idcard": "11010519491231002X",
        "household_phone": "13800138000",
        "household_type": "监测户",
        "visited_at": "2026-11-06T10:30",
        "duration_minutes": 45,
        "visitors": ["王建国", "买买提依明·阿不都热西提"],
        "visit_type": "防返贫监测",
        "location": {"place": "户主家中", "lat": 39.47066, "lon": 75.98951},
        "summary": LONG_TEXT,
        "problems": [
            {
                "category": "住房安全",
                "description": "东屋屋顶漏雨",
                "handled": "已报镇危房改造办",
                "needs_follow_up": "是",
                "follow_up_by": "欧阳晓明",
                "follow_up_date": "2026-12-01",
            },
            {
                "category": "医疗健康",
                "description": "户主患高血压",
                "handled": "已联系村医上门",
                "needs_follow_up": "否",
            },
        ],
    },
    "dangfei": {
        "paid_on": "2026-03-10",
        "member": "古丽米拉·阿不都克力木",
        "paid_month": "2026-03",
        "amount": 50.5,
        "method": "现金",
        "by_proxy": "是",
        "proxy": "热依汗古丽·买买提明",
        "remark": "本人外出，由其家人代缴",
    },
}
# What each form's page must read besides every value typed (values made readable by hand).
READS = {
    "sanhui-yike": [
        "2026年11月5日 19:00 至 21:10",
        "2026年第 1 次支部委员会",
        "1. 传达学习上级会议精神\n2. 研究冬季防火检查安排\n3. 讨论发展党员工作",
    ],
    "zhuti-dangri": ["2026年11月5日 09:00", "■学习", "□组织生活", "■志愿服务", "2026年第 1 次主题党日"],
    "zuzhi-shenghuohui": ["2026年12月20日 14:00", "会前准备", "2026年第 1 次组织生活会"],
    "minzhu-pingyi": ["2026年度民主评议党员记录", "优秀 1 人，合格 1 人，基本合格 1 人，不合格 0 人"],
    "ruhu-zoufang": [
        "2026年11月6日 10:30",
        "45 分钟",
        "纬度 39.47066，经度 75.98951",
        "是（欧阳晓明，2026年12月1日前）",
    ],
    "dangfei": ["2026年3月", "50.50", "2026年3月10日", "■现金", "□线上", "■是"],
}


def typed_texts(value) -> list[str]:
    """Every text a person typed or chose in a value, as it must read on paper."""
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("lat", "lon") for t in typed_texts(v)]
    if isinstance(value, list):
        return [t for item in value for t in typed_texts(item)]
    if isinstance(value, str):
        if value[:4].isdigit() and value[4:5] == "-":
            return []  # dates and times are checked in READS, in the form they are printed
        return [line for line in value.splitlines() if line.strip()]
    return [str(value)]


def made(setup, form_id: str, data: dict, final: bool = True):
    record, outcome = setup.records.new(form_id, setup.branch.id, data, "欧阳晓明")
    photo_field = next(f for f in setup.catalog.get(form_id).walk() if f.type == "photos")
    photos = [setup.attach(record.uuid, f"{form_id}-照片{i}.jpg", f"{form_id}{i}".encode()) for i in range(4)]
    setup.records.save_draft(record.uuid, {**data, photo_field.key: photos}, "欧阳晓明")
    if final:
        record, outcome = setup.records.finalize(record.uuid, "欧阳晓明")
        assert not outcome.errors, outcome.errors
    return setup.store.record(record.uuid)


@pytest.mark.parametrize("form_id", sorted(FULL))
@pytest.mark.parametrize("generic", [False, True], ids=["own-layout", "generic"])
def test_a_full_record_prints_every_value(setup, form_id, generic):
    record = made(setup, form_id, FULL[form_id])
    paper = record_page(setup.store, setup.catalog, record, generic=generic)
    text = text_of(paper.html)
    typed = dict(FULL[form_id])
    if not generic:
        typed.pop("topics", None)  # numbered 1. 2. 3. by the page, whatever the operator typed
    wanted = typed_texts(typed) + [f"{form_id}-照片{i}.jpg" for i in range(4)]
    if not generic:
        wanted += READS[form_id]
    missing = [value for value in wanted if value not in text]
    assert missing == []
    assert "None" not in text and len(paper.images) == 4


@pytest.mark.parametrize("form_id", sorted(FULL))
@pytest.mark.parametrize("generic", [False, True], ids=["own-layout", "generic"])
def test_an_empty_record_prints_lines_to_write_on(setup, form_id, generic):
    record, _ = setup.records.new(form_id, setup.branch.id, {}, "欧阳晓明")
    empty = {key: None for key in record.data}
    setup.records.save_draft(record.uuid, empty, "欧阳晓明")
    paper = record_page(setup.store, setup.catalog, record.uuid, generic=generic)
    text = text_of(paper.html)
    assert "None" not in text and "____" in text and "草稿" in text
    assert paper.draft and paper.images == {}
