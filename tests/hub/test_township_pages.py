"""The township page's contents over real HTTP (records pushed by a laptop through the API): the
overview's states by the desktop's cadence rules, a branch's records and attendance, a record with
its revisions, audit, files and void, printing in the paper layout, text shown as text, the Excel
files read back with openpyxl, and the overview after pushes the same as read anew."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote, unquote

import openpyxl
import requests

from tests.hub.conftest import REPO, Hub, sql
from tests.hub.township_data import ADMIN, EAST, PASSWORD, RED, Laptop, admin, logged_in, meeting, png, roster
from tests.sync.rest_server import make_tls_files

TODAY = dt.date.today()
CELL = re.compile(r'<td(?: class="s-(\w+)")?>(?:<a href="([^"]+)">([^<]*)</a>)?</td>')


def grid(page: str) -> dict[str, list[tuple[str, str]]]:
    """{branch name: [(state or '', text) per column]} from the overview's HTML."""
    rows = {}
    for name, cells in re.findall(
        r'<tr><th class="name"><a [^>]+>([^<]+)</a></th>(.*?)<td class="count">', page
    ):
        rows[name] = [(state, text) for state, _, text in CELL.findall(cells)]
    return rows


def expected_month(month: int, held: set[int], since: int) -> str:
    """What a monthly rule's cell says this year (forms/cadence.py's meaning)."""
    if month in held:
        return "done"
    if month > TODAY.month:
        return ""
    if month < since:
        return "before"
    return "due" if month == TODAY.month else "overdue"


def dangri(uid: str, day: dt.date, **changes) -> dict:
    """A 主题党日 record (one monthly rule, no `when`)."""
    body = meeting(uid, day, **changes)
    body.update(form_id="zhuti-dangri", form_version=1, summary=f"{day.month}月主题党日")
    return body


def test_the_overview_counts_by_the_desktops_cadence_rules(hub):
    admin(hub.database)
    laptop = Laptop(hub)
    red, east = laptop.uids[RED], laptop.uids[EAST]
    held = {1, TODAY.month}
    for month in held:
        laptop.push(dangri(red, dt.date(TODAY.year, month, 1)))
    # A 党课 is no 支部委员会: it counts for its own rule only (the rule's `when`).
    laptop.push(meeting(east, dt.date(TODAY.year, 1, 2), "党课"))
    session = logged_in(hub)

    page = session.get(hub.url + "/township/?form=zhuti-dangri", timeout=30).text
    rows = grid(page)
    words = {"done": "完成", "due": "待办", "overdue": "逾期", "before": "未计", "": ""}
    want = [expected_month(m, held, 1) for m in range(1, 13)]
    assert rows[RED] == [(state, words[state]) for state in want]
    # 东风村 came to the hub today and holds no 主题党日: nothing of its is overdue before today.
    assert [s for s, _ in rows[EAST]] == [expected_month(m, set(), 1) for m in range(1, 13)]
    overdue = sum(1 for state in want if state == "overdue")
    assert re.search(
        rf'<td class="count">{"<b>" + str(overdue) + "</b>" if overdue else "0"}</td></tr>', page
    )

    page = session.get(hub.url + "/township/?form=sanhui-yike", timeout=30).text
    east_cells = grid(page)[EAST]
    if (
        TODAY.month > 3
    ):  # January: 支委会 and 党小组会, none held; March: those and the quarter's 党员大会 and 党课
        assert east_cells[0] == ("overdue", "0/2")
        assert east_cells[2] == ("overdue", "1/4")  # the 党课 of January holds the first quarter's 党课

    sql(
        hub.database, "UPDATE branches SET cadence = %s WHERE name = %s", ['{"zhuti-dangri": "quarter"}', RED]
    )
    sql(
        hub.database,
        "UPDATE branches SET cadence = %s WHERE name = %s",
        ['{"zhuti-dangri": "quarter"}', EAST],
    )
    page = session.get(hub.url + "/township/?form=zhuti-dangri", timeout=30).text
    assert "<th>一季度</th>" in page and "<th>四季度</th>" in page and "<th>1月</th>" not in page
    assert grid(page)[RED][0] == ("done", "完成")


def test_a_cell_leads_to_the_branch_records_of_its_periods(hub):
    admin(hub.database)
    roster(hub.database, RED)
    laptop = Laptop(hub, (RED,))
    red = laptop.uids[RED]
    first = laptop.push(meeting(red, dt.date(TODAY.year, 1, 5), summary="一月的支委会"))
    laptop.push(meeting(red, dt.date(TODAY.year, 2, 5), "党小组会", summary="二月的党小组会"))
    laptop.push(meeting(red, dt.date(TODAY.year, 3, 5), "党课", summary="三月的党课"))
    session = logged_in(hub)
    page = session.get(hub.url + "/township/", timeout=30).text
    links = {cell[1]: cell[0] for cell in CELL.findall(grid_html(page, RED))}
    march = next(href for href in links if href.endswith("?c=2"))  # March: the first quarter's end
    branch = session.get(hub.url + "/township/" + march.replace("&amp;", "&"), timeout=30).text
    assert "一月的支委会" in branch and "二月的党小组会" in branch and "三月的党课" in branch
    assert (
        branch.index("三月的党课") < branch.index("二月的党小组会") < branch.index("一月的支委会")
    )  # newest first
    january = session.get(f"{hub.url}/township/branches/{red}?c=0", timeout=30).text
    assert "一月的支委会" in january and "二月的党小组会" not in january
    # Attendance from the records (forms/paper/book_attendance.py): the roster in order, with reasons.
    person = r'<td class="person">([^<]+)(?:<br>.*?)?</td><td class="role">[^<]*</td>\s*'
    rows = re.findall(person + r"<td>([^<]+)</td><td>([^<]+)</td>", branch)
    assert rows[:3] == [
        ("欧阳晓明", "3 / 3", "100%"),
        ("阿卜杜热合曼·艾买提江", "3 / 3", "100%"),
        ("买买提依明·阿不都热西提", "0 / 3", "0%"),
    ]
    assert "外出务工" in branch and "病假" in branch
    assert first["uuid"] in branch


def grid_html(page: str, name: str) -> str:
    return re.search(rf"<th class=\"name\"><a [^>]+>{re.escape(name)}</a></th>(.*?)</tr>", page).group(1)


def test_a_record_reads_whole_with_revisions_audit_files_and_void(hub):
    admin(hub.database)
    roster(hub.database, RED)
    laptop = Laptop(hub, (RED,))
    picture = png()
    sha = laptop.photo(picture)
    kept = [{"kind": "reused", "text": "这张照片已用于 2026-01-02 三会一课（红星村党支部）"}]
    files = [{"sha256": sha, "name": "会场照片.png", "taken_at": "2026-01-05T09:10:00", "warnings": kept}]
    body = laptop.push(
        meeting(laptop.uids[RED], dt.date(TODAY.year, 1, 5), data={"photos": files}, attachments=files)
    )
    corrected = dict(body, revision=2, base_revision=1, data={**body["data"], "place": "村委会二楼"})
    laptop.push(corrected)
    voided = dict(corrected, revision=3, base_revision=2, status="void", void_reason="重复录入")
    voided["audit"] = [
        {"at": "2026-03-01T10:00:00+08:00", "operator": "李四", "action": "voided", "note": "重复录入"}
    ]
    laptop.push(voided)
    session = logged_in(hub)
    uuid = body["uuid"]

    page = session.get(f"{hub.url}/township/records/{uuid}", timeout=30).text
    assert "本记录已作废。作废原因：重复录入" in page
    assert "第3版（共 3 版）" in page and "村委会二楼" in page
    assert "李四" in page and "作废" in page and "定稿" in page  # the audit in words
    old = session.get(f"{hub.url}/township/records/{uuid}?revision=1", timeout=30).text
    assert "村党群服务中心会议室" in old and "这条记录后来已作废（第3版）" in old
    assert f"/township/records/{uuid}/photo-{sha}" in old
    assert "※ 这张照片已用于 2026-01-02 三会一课（红星村党支部）" in old  # as the laptop kept it

    photo = session.get(f"{hub.url}/township/records/{uuid}/photo-{sha}", timeout=30)
    assert photo.content == picture and photo.headers["content-type"] == "image/png"
    download = session.get(f"{hub.url}/township/attachments/{sha}?name={quote('会场照片.png')}", timeout=30)
    assert download.content == picture
    assert "filename*=UTF-8''" + quote("会场照片.png") in download.headers["content-disposition"]
    other = laptop.push(meeting(laptop.uids[RED], dt.date(TODAY.year, 2, 5)))
    assert (
        session.get(f"{hub.url}/township/records/{other['uuid']}/photo-{sha}", timeout=30).status_code == 404
    )

    printed = session.get(f"{hub.url}/township/records/{uuid}/print", timeout=30)
    assert printed.status_code == 200
    assert "本记录已作废" in printed.text and "重复录入" in printed.text  # forms/paper's void notice
    assert f'src="photo-{sha}"' in printed.text  # the photo, through the page's own address
    assert session.get(f"{hub.url}/township/records/nothing-here", timeout=30).status_code == 404


def test_text_in_records_is_shown_as_text(hub):
    admin(hub.database)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    laptop = Laptop(hub, (RED, attack + "村党支部"))
    body = laptop.push(
        meeting(
            laptop.uids[RED],
            dt.date(TODAY.year, 1, 5),
            summary=attack,
            operator=attack,
            data={"title": attack, "content": attack, "place": attack},
        )
    )
    session = logged_in(hub)
    overview = session.get(hub.url + "/township/", timeout=30).text  # a branch's name, in the written grid
    assert "<script>" not in overview and "&lt;script&gt;" in overview
    for path in (
        f"/township/records/{body['uuid']}",
        f"/township/records/{body['uuid']}/print",
        f"/township/branches/{laptop.uids[RED]}",
        f"/township/branches/{laptop.uids[attack + '村党支部']}",
    ):
        answer = session.get(hub.url + path, timeout=30)
        assert answer.status_code == 200
        assert "<script>" not in answer.text and "<img src=x" not in answer.text, path
        assert "&lt;script&gt;" in answer.text, path
        assert "script-src" not in answer.headers["content-security-policy"]  # default-src 'none': no script
        assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_excel_exports_read_back(hub):
    admin(hub.database)
    laptop = Laptop(hub)
    laptop.push(meeting(laptop.uids[RED], dt.date(TODAY.year, 1, 5), data={"place": '=HYPERLINK("x")'}))
    laptop.push(meeting(laptop.uids[EAST], dt.date(TODAY.year, 2, 6), "党课"))
    laptop.push(dangri(laptop.uids[RED], dt.date(TODAY.year, 1, 9)))
    session = logged_in(hub)

    answer = session.get(
        f"{hub.url}/township/export/records.xlsx?form=sanhui-yike&year={TODAY.year}", timeout=30
    )
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    name = unquote(answer.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name == f"三会一课-{TODAY.year}年.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["三会一课"]
    rows = list(book["三会一课"].values)
    header = rows[0]
    assert header[:6] == ("支部", "日期", "状态", "版本", "录入人", "定稿时间") and "会议类型" in header
    by_branch = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_branch[RED]["会议地点"] == '=HYPERLINK("x")'  # text, not a formula
    assert by_branch[EAST]["会议类型"] == "党课" and by_branch[EAST]["日期"] == f"{TODAY.year}-02-06"
    assert by_branch[RED]["缺席人员及原因"] == "买买提依明·阿不都热西提（外出务工）、李四（病假）"

    one = session.get(
        f"{hub.url}/township/export/records.xlsx?branch={laptop.uids[RED]}&year={TODAY.year}", timeout=30
    )
    book = openpyxl.load_workbook(io.BytesIO(one.content))
    assert sorted(book.sheetnames) == ["三会一课", "主题党日"]
    assert {row[0] for row in list(book["三会一课"].values)[1:]} == {RED}

    answer = session.get(f"{hub.url}/township/export/overview.xlsx?form=zhuti-dangri", timeout=30)
    name = unquote(answer.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name == f"各支部完成情况-{TODAY.year}年-主题党日.xlsx"
    rows = list(openpyxl.load_workbook(io.BytesIO(answer.content)).active.values)
    header = next(row for row in rows if row and row[0] == "支部")
    assert header[1] == "1月" and header[12] == "12月"
    red = next(row for row in rows if row and row[0] == RED)
    assert red[1] == "完成"
    assert red[1 + TODAY.month - 1] == ("完成" if TODAY.month == 1 else "待办")


def test_the_overview_after_pushes_is_the_overview_read_anew(hub, tmp_path):
    admin(hub.database)
    laptop = Laptop(hub)
    session = logged_in(hub)
    before = session.get(hub.url + "/township/", timeout=30).text
    for month in range(1, 13, 3):
        laptop.push(meeting(laptop.uids[EAST], dt.date(TODAY.year, month, 7)))
        laptop.push(dangri(laptop.uids[RED], dt.date(TODAY.year, month, 8)))
    after = session.get(hub.url + "/township/", timeout=30).text
    assert grid(after) != grid(before)
    fresh = Hub(hub.database, tmp_path / "fresh.log").start()  # a server that never saw it before
    try:
        again = logged_in(fresh).get(fresh.url + "/township/", timeout=30).text
    finally:
        fresh.stop()
    assert grid(again) == grid(after)


def test_over_https_the_cookies_are_secure(hub_db, tmp_path):
    ca = make_tls_files(tmp_path)[0]
    served = Hub(
        hub_db, tmp_path / "hub.log", (str(tmp_path / "server.pem"), str(tmp_path / "server.key"), ca)
    )
    served.start()
    try:
        admin(hub_db)
        session = requests.Session()
        page = session.get(served.url + "/township/login", timeout=30, verify=ca)
        assert "Secure" in page.headers["set-cookie"]
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        answer = session.post(
            served.url + "/township/login",
            data={"name": ADMIN, "password": PASSWORD, "csrf": csrf},
            allow_redirects=False,
            timeout=30,
            verify=ca,
        )
        assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]
    finally:
        served.stop()


CUSTOM = """id: cunwu-huiyi
version: 1
title: 村务联席会
fields:
  - key: held_on
    label: 开会日期
    type: date
    required: true
  - key: agenda
    label: 商议事项
    type: longtext
cadence:
  - every: month
    label: 村务联席会
"""
LAYOUT = "<html><body><p>村务联席会专用版式：{{ values.agenda }}</p></body></html>"


def test_forms_the_township_published_or_a_laptop_sent_are_read_counted_and_printed(hub):
    admin(hub.database)
    sql(
        hub.database,
        "INSERT INTO forms(id, version, source, print_layout, change) VALUES "
        "('cunwu-huiyi', 1, %s, %s, nextval('hub_changes'))",
        [CUSTOM, LAYOUT],
    )
    laptop = Laptop(hub, (RED,))
    body = dangri(laptop.uids[RED], dt.date(TODAY.year, 1, 12))
    body.update(form_id="cunwu-huiyi", data={"held_on": f"{TODAY.year}-01-12", "agenda": "修村道"})
    laptop.push(body)
    sent = CUSTOM.replace("cunwu-huiyi", "huzhu-zu").replace("村务联席会", "互助组例会")
    other = dangri(laptop.uids[RED], dt.date(TODAY.year, 2, 3), form_source=sent)
    other.update(form_id="huzhu-zu", data={"held_on": f"{TODAY.year}-02-03", "agenda": "春耕互助"})
    laptop.push(other)
    session = logged_in(hub)

    page = session.get(hub.url + "/township/", timeout=30).text
    assert '<option value="cunwu-huiyi">村务联席会</option>' in page
    assert '<option value="huzhu-zu">互助组例会</option>' in page
    counted = grid(session.get(hub.url + "/township/?form=huzhu-zu", timeout=30).text)[RED]
    assert counted[1] == ("done", "完成") and (TODAY.month < 3 or counted[2][0] == "overdue")
    record = session.get(f"{hub.url}/township/records/{other['uuid']}", timeout=30).text
    assert "商议事项" in record and "春耕互助" in record and "互助组例会" in record
    printed = session.get(f"{hub.url}/township/records/{body['uuid']}/print", timeout=30).text
    assert "村务联席会专用版式：修村道" in printed  # the layout the township published with its form


def test_a_laptop_cannot_replace_a_township_form_for_every_branch(hub):
    # A laptop sends the text of the form its record was entered with. Sent under a built-in or
    # published form's id with a higher version (here: 主题党日 without its cadence), it reads
    # that laptop's record, but the overview of every branch still counts the township's form.
    admin(hub.database)
    laptop = Laptop(hub)
    day = dt.date(TODAY.year, 1, 5)
    laptop.push(dangri(laptop.uids[RED], day))
    library = (REPO / "forms" / "library" / "zhuti-dangri.yaml").read_text(encoding="utf-8")
    bare = library.replace("version: 1", "version: 9", 1).split("\ncadence:")[0] + "\n"
    assert "cadence" not in bare
    sent = dangri(laptop.uids[EAST], day, form_source=bare)
    sent.update(form_version=9)
    laptop.push(sent)
    session = logged_in(hub)
    rows = grid(session.get(hub.url + "/township/?form=zhuti-dangri", timeout=30).text)
    assert rows[RED][0] == ("done", "完成")  # still counted by the township's 主题党日
    record = session.get(f"{hub.url}/township/records/{sent['uuid']}", timeout=30)
    assert record.status_code == 200 and "主题党日" in record.text  # the laptop's record still reads
