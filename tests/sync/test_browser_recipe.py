"""Browser recipes checked before they are used: a good recipe reads whole (login from keyring
secret names, steps, every field type, a field shown after a choice, success, the duplicate
check); each kind of mistake is named with its FILE:LINE in Chinese, all of them at once; a
password written into the recipe is refused without being repeated; `auto_submit: true` needs a
duplicate check."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.browser.recipe import Locator, RecipeProblem, parse_recipe, read_recipe

GOOD = """\
# 县党员教育管理系统 · 三会一课
start_url: http://127.0.0.1:8080/login
login:
  user: {secret: user, label: 用户名}
  password: {secret: password, name: pwd}
  pause: 如有验证码，请在浏览器中输入后点“继续”
  submit: 登录
steps:
  - click: 三会一课
  - click: {css: "a#new"}
  - wait: 新增会议记录
fields:
  - label: 会议名称
    value: title
  - label: 主要内容
    type: textarea
    value: content
  - name: meeting_type
    type: select
    value: meeting_type
  - label: 授课人
    after: meeting_type
    value: lecturer
  - label: 会议形式
    type: radio
    value: "'线下'"
  - label: 已通知全体党员
    type: checkbox
    value: "true"
  - css: "input[type=date]"
    type: date
    value: held_at[:10]
  - label: 会议照片
    type: file
    value: photos
submit: 保存
success:
  text: 保存成功
  url: /meetings/\\d+$
duplicate_check:
  url: http://127.0.0.1:8080/meetings
  search: {label: 标题}
  button: 查询
  title: title
  date: held_at[:10]
auto_submit: true
"""


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(RecipeProblem) as caught:
        parse_recipe(text, "县系统.yaml")
    assert str(caught.value).startswith("县系统.yaml:")
    return [(p.line, p.message) for p in caught.value.problems]


def changed(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_a_good_recipe_reads_whole():
    recipe = parse_recipe(GOOD, "县系统.yaml")
    assert recipe.start_url == "http://127.0.0.1:8080/login"
    assert recipe.login is not None
    assert (recipe.login.user.secret, recipe.login.user.find) == ("user", Locator("label", "用户名"))
    assert (recipe.login.password.secret, recipe.login.password.find) == ("password", Locator("name", "pwd"))
    assert recipe.login.pause.startswith("如有验证码") and recipe.login.submit == Locator("text", "登录")
    assert recipe.secrets == ("user", "password")
    assert [(s.line, s.action, s.find, s.text) for s in recipe.steps] == [
        (9, "click", Locator("text", "三会一课"), ""),
        (10, "click", Locator("css", "a#new"), ""),
        (11, "wait", None, "新增会议记录"),
    ]
    assert [(f.line, f.find.by, f.type) for f in recipe.fields] == [
        (13, "label", "text"),
        (15, "label", "textarea"),
        (18, "name", "select"),
        (21, "label", "text"),
        (24, "label", "radio"),
        (27, "label", "checkbox"),
        (30, "css", "date"),
        (33, "label", "file"),
    ]
    lecturer = recipe.fields[3]
    assert (lecturer.after, lecturer.value.label, lecturer.value.expression) == (
        "meeting_type",
        "授课人",
        "lecturer",
    )
    assert recipe.submit == Locator("text", "保存")
    assert (recipe.success.text, recipe.success.url) == ("保存成功", r"/meetings/\d+$")
    check = recipe.duplicate_check
    assert check is not None and (check.url, check.title, check.date) == (
        "http://127.0.0.1:8080/meetings",
        "title",
        "held_at[:10]",
    )
    assert check.search == Locator("label", "标题") and check.button == Locator("text", "查询")
    assert recipe.auto_submit is True


def test_without_auto_submit_the_person_presses_submit_and_login_and_steps_are_optional():
    text = GOOD.split("login:")[0] + "fields:" + GOOD.split("fields:")[1].split("duplicate_check:")[0]
    recipe = parse_recipe(text)
    assert recipe.login is None and recipe.steps == [] and recipe.duplicate_check is None
    assert recipe.auto_submit is False and recipe.secrets == ()


def test_auto_submit_without_a_duplicate_check_is_refused_at_its_line():
    text = GOOD.split("duplicate_check:")[0] + "auto_submit: true\n"
    assert problems(text) == [
        (
            40,
            "auto_submit: true 需要同时写 duplicate_check（先在平台列表中查找已录入的记录），以免重复录入",
        )
    ]


def test_a_password_written_into_the_recipe_is_refused_and_not_repeated():
    found = problems(changed("password: {secret: password, name: pwd}", "password: Dangjian#2026"))
    assert found == [
        (
            5,
            "login.password 应写成 {secret: 密钥名, label: 输入框标签}；账号和密码存在系统钥匙串里"
            "（yici targets secret），配方中只写密钥的名称",
        )
    ]
    found = problems(changed("{secret: password, name: pwd}", "{secret: 'Dangjian#2026', name: pwd}"))
    assert (
        [line for line, _ in found] == [5] and "Dangjian" not in found[0][1] and "不是密码本身" in found[0][1]
    )
    found = problems(changed("{secret: password, name: pwd}", "{secret: password, name: pwd, value: abc123}"))
    assert [line for line, _ in found] == [5] and "value" in found[0][1] and "abc123" not in found[0][1]


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("start_url: http://127.0.0.1:8080/login", "start_url: 127.0.0.1/login", 2, "http:// 或 https://"),
        ("start_url: http://", "begin_url: http://", 2, '未知的配方选项 "begin_url"'),
        ("{secret: user, label: 用户名}", "{secret: user}", 4, "应写明且只写一种找法"),
        ("{secret: password, name: pwd}", "{secret: user, name: pwd}", 5, "同一个密钥名“user”"),
        ("  submit: 登录\n", "", 3, "login 缺少 submit"),
        ("  - click: 三会一课", "  - click: 三会一课\n    wait: 首页", 9, "每个步骤只写一种动作"),
        ("  - label: 会议名称\n", "  - label: 会议名称\n    name: title\n", 13, "应写明且只写一种找法"),
        ("    value: title\n", "    value: title |\n", 14, "会议名称 的表达式有误"),
        ("    type: textarea", "    type: longtext", 16, "type 不能是“longtext”"),
        ("    after: meeting_type", "    after: 会议形式", 22, "after 应写前面某个字段"),
        ("  - label: 主要内容", "  - label: 会议名称", 15, "字段“会议名称”写了两次（第 13 行已有）"),
        (
            "  - label: 会议形式\n    type: radio\n",
            "  - label: 会议形式\n    type: radio\n    text: x\n",
            26,
            '"text"',
        ),
        ("  url: /meetings/\\d+$", "  url: /meetings/(\\d+$", 39, "success.url 不是有效的网址模式"),
        ("success:\n  text: 保存成功\n  url: /meetings/\\d+$\n", "success: {}\n", 37, "success 应写 text"),
        ("  date: held_at[:10]\n", "", 40, "duplicate_check 缺少 date"),
        ("  title: title\n", "  title: title[\n", 44, "duplicate_check.title 的表达式有误"),
        ("fields:", "field:", 12, '未知的配方选项 "field"'),
    ],
)
def test_each_mistake_is_named_with_its_line(old, new, line, words):
    found = problems(changed(old, new))
    assert any(at == line and words in message for at, message in found), found


def test_missing_parts_and_every_problem_at_once():
    assert problems("start_url: ftp://x\nsteps: []\n") == [
        (1, "配方缺少 fields"),
        (1, "配方缺少 submit"),
        (1, "配方缺少 success"),
        (1, "start_url 应为 http:// 或 https:// 开头的完整网址，不能是“ftp://x”"),
    ]
    found = problems(
        changed("    type: textarea", "    type: 多行").replace("auto_submit: true", "auto_submit: 是")
    )
    assert [line for line, _ in found] == [16, 46]


def test_files_that_are_not_recipes_name_their_line(tmp_path):
    assert problems("") == [(1, "配方是空的：至少要写 start_url、fields、submit 和 success")]
    assert problems("- a\n- b\n")[0][0] == 1
    syntax = problems("start_url: http://a\nfields:\n  - label: [\n")
    assert syntax[0][0] in (3, 4) and "YAML 格式有误" in syntax[0][1]
    path = tmp_path / "县系统.yaml"
    path.write_text(changed("    type: textarea", "    type: 多行"), encoding="utf-8")
    with pytest.raises(RecipeProblem) as caught:
        read_recipe(path)
    assert str(caught.value).startswith(f"{path}:16: ")


def test_the_recipe_in_the_guide_is_the_worked_example_and_a_good_one():
    docs = Path(__file__).resolve().parents[2] / "docs"
    guide = (docs / "PLATFORMS.md").read_text(encoding="utf-8")
    example = guide.split("### Two worked examples", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example == (docs / "recipes" / "standin-auto.yaml").read_text(encoding="utf-8")
    recipe = parse_recipe(example, "PLATFORMS.md")
    assert len(recipe.fields) == 8 and recipe.auto_submit and recipe.duplicate_check is not None
    assert {f.type for f in recipe.fields} == {
        "text",
        "textarea",
        "select",
        "radio",
        "checkbox",
        "date",
        "file",
    }


def test_values_are_made_into_what_a_form_takes():
    from sync.browser.filling import as_day, as_tick

    assert as_day("2026-11-05T09:30") == "2026-11-05" and as_day("2026年11月5日") == "2026-11-05"
    assert as_day("2026/1/9") == "2026-01-09" and as_day("十一月") is None and as_day("2026-13-01") is None
    assert [as_tick(v) for v in (True, "是", "yes", "1", "✓")] == [True] * 5
    assert [as_tick(v) for v in (False, "否", "no", "0", "")] == [False] * 5
    assert as_tick("也许") is None


def test_a_browser_target_takes_only_the_account_and_password_secrets():
    from forms import target_kinds

    recipe = GOOD.replace("secret: user", "secret: login_name")
    (problem,) = target_kinds.option_problems("browser", {"recipe": recipe})
    assert "只能是 user（账号）和 password（密码）" in problem and "login_name" in problem
    config = target_kinds.TargetConfig(1, "县系统", "browser", options={"recipe": GOOD})
    assert target_kinds.required_secrets("browser", config.options) == ("user", "password")
    assert "还没有填写账号或密码（密码）" in target_kinds.config_problems(config, {"user": "u"})[0]
    assert target_kinds.config_problems(config, {"user": "u", "password": "p"}) == []
    assert target_kinds.waits_for_person("browser")
