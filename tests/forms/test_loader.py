"""Form definitions: every problem reported with file, line and field; good files load."""

import textwrap
from pathlib import Path

import pytest

from forms.loader import FormProblem, Problem, check_text, load_form, parse_form
from forms.model import FIELD_TYPES

HEAD = "id: test-form\nversion: 1\ntitle: 测试\n"


def form_text(fields: str, tail: str = "") -> str:
    return HEAD + "fields:\n" + textwrap.indent(textwrap.dedent(fields).strip("\n"), "  ") + "\n" + tail


def only_problem(text: str) -> Problem:
    problems = check_text(text, "f.yaml")
    assert len(problems) == 1, problems
    return problems[0]


SAMPLE = textwrap.dedent("""\
    id: sanhui-yike
    version: 1
    title: 三会一课
    fields:
      - key: meeting_type
        label: 会议类型
        type: select_one
        choices: [支部党员大会, 支部委员会, 党小组会, 党课]
        required: true
      - key: held_at
        label: 召开时间
        type: datetime
        required: true
        default: now
      - key: lecturer
        label: 授课人
        type: member
        relevant: meeting_type == '党课'
        required: true
      - key: attendees
        label: 实到人员
        type: members
        default: all_members
      - key: attend_count
        label: 实到人数
        type: integer
        calculate: attendees | length
      - key: expected_count
        label: 应到人数
        type: integer
        default: roster_count
    checks:
      - when: meeting_type == '支部党员大会'
        rule: attend_count * 2 > expected_count
        message: 实到人数未过半，不能作出决定
        level: warning
    cadence:
      - when: meeting_type == '支部委员会'
        every: month
    """)


def test_design_sample_loads_into_the_model():
    form = parse_form(SAMPLE, "sample.yaml")
    assert (form.id, form.version, form.title) == ("sanhui-yike", 1, "三会一课")
    assert form.keys == ["meeting_type", "held_at", "lecturer", "attendees", "attend_count", "expected_count"]
    mt = form.field("meeting_type")
    assert mt.choices == ("支部党员大会", "支部委员会", "党小组会", "党课") and mt.required and mt.line == 5
    assert form.field("held_at").default == "now"
    assert form.field("lecturer").relevant == "meeting_type == '党课'"
    assert form.checks[0].level == "warning" and form.checks[0].when
    assert form.cadence[0].every == "month" and form.cadence[0].label == "三会一课"  # label defaults to title
    assert form.source == SAMPLE and form.path == "sample.yaml"


def test_group_children_live_at_top_level_and_repeat_rows_do_not():
    form = parse_form(
        form_text("""
        - key: basics
          label: 基本信息
          type: group
          fields:
            - {key: place, label: 地点, type: text}
        - key: problems
          label: 问题
          type: repeat
          fields:
            - {key: description, label: 描述, type: longtext, required: true}
            - {key: fixed, label: 已解决, type: select_one, choices: [是, 否], relevant: description}
    """)
    )
    assert form.keys == ["place", "problems"]
    assert form.field("problems").fields[1].relevant == "description"


def test_every_field_type_is_accepted():
    lines = []
    for i, ftype in enumerate(FIELD_TYPES):
        extra = ""
        if ftype in ("select_one", "select_multiple"):
            extra = ", choices: [甲, 乙]"
        if ftype in ("group", "repeat"):
            extra = f", fields: [{{key: child{i}, label: 子, type: text}}]"
        lines.append(f"- {{key: f{i}, label: 字段{i}, type: {ftype}{extra}}}")
    form = parse_form(form_text("\n".join(lines)))
    assert {f.type for f in form.walk()} | {"repeat"} >= set(FIELD_TYPES) - {"repeat"}


def test_problem_str_and_form_problem_lists_all():
    text = form_text("""
        - {key: a, label: A, type: datex}
        - {key: b, label: B, type: datey}
    """)
    with pytest.raises(FormProblem) as info:
        parse_form(text, "x.yaml")
    assert [p.line for p in info.value.problems] == [5, 6]
    assert str(info.value).splitlines() == [str(p) for p in info.value.problems]
    assert (
        str(info.value.problems[0])
        == 'x.yaml:5: 字段 "a"：未知类型 "datex" / field "a": unknown type "datex"'
    )


def test_yaml_syntax_error_has_the_line():
    p = only_problem(HEAD + "fields:\n  - key: a\n    label: [unclosed\n    type: text\n")
    assert p.file == "f.yaml" and p.line >= 6 and "YAML" in p.message


def test_unknown_top_level_key():
    p = only_problem(form_text("- {key: a, label: A, type: text}", "colour: red\n"))
    assert p.line == 6 and "colour" in p.message


def test_unknown_field_option_names_field_and_line():
    p = only_problem(
        form_text("""
        - key: held_at
          label: 时间
          type: datetime
          requird: true
    """)
    )
    assert p.line == 8 and '"held_at"' in p.message and "requird" in p.message


def test_duplicate_keys_across_groups():
    problems = check_text(
        form_text("""
        - key: g1
          label: 一
          type: group
          fields:
            - {key: place, label: 地点, type: text}
        - key: g2
          label: 二
          type: group
          fields:
            - {key: place, label: 地点2, type: text}
    """)
    )
    assert len(problems) == 1 and problems[0].line == 14 and '"place"' in problems[0].message


def test_repeat_children_are_a_separate_key_space_but_unique_within():
    assert (
        check_text(
            form_text("""
        - {key: description, label: 说明, type: text}
        - key: rows
          label: 行
          type: repeat
          fields:
            - {key: description, label: 说明, type: text}
    """)
        )
        == []
    )
    p = only_problem(
        form_text("""
        - key: rows
          label: 行
          type: repeat
          fields:
            - {key: x, label: 说明, type: text}
            - {key: x, label: 说明2, type: text}
    """)
    )
    assert p.line == 10


def test_duplicate_option_inside_a_field():
    p = only_problem(
        form_text("""
        - key: a
          label: A
          label: B
          type: text
    """)
    )
    assert p.line == 7 and '"a"' in p.message


@pytest.mark.parametrize("bad_id", ["Test", "test_form", "表单", "a b", "''"])
def test_bad_ids(bad_id):
    p = only_problem(f"id: {bad_id}\nversion: 1\ntitle: t\nfields:\n  - {{key: a, label: A, type: text}}\n")
    assert p.line == 1


@pytest.mark.parametrize("bad_version", ["0", "-1", "1.5", "'1'", "true", "[1]"])
def test_bad_versions(bad_version):
    p = only_problem(
        f"id: a\nversion: {bad_version}\ntitle: t\nfields:\n  - {{key: a, label: A, type: text}}\n"
    )
    assert p.line == 2 and "version" in p.message


def test_missing_required_top_keys():
    problems = check_text("id: a\n")
    assert {m for p in problems for m in ("version", "title", "fields") if m in p.message} == {
        "version",
        "title",
        "fields",
    }


@pytest.mark.parametrize("choices", ["", "choices: []", "choices: 是"])
def test_select_needs_non_empty_choices(choices):
    text = form_text(f"""
        - key: pick
          label: 选
          type: select_one
          {choices}
    """)
    p = only_problem(text)
    assert '"pick"' in p.message and "choices" in p.message


def test_duplicate_choice_and_choices_on_wrong_type():
    problems = check_text(
        form_text("""
        - {key: a, label: A, type: select_multiple, choices: [是, 是]}
        - {key: b, label: B, type: text, choices: [x]}
    """)
    )
    assert len(problems) == 2 and problems[0].line == 5 and problems[1].line == 6


@pytest.mark.parametrize(
    "option, expression, part",
    [
        ("relevant", "meeting_type ==", "表达式有误"),
        ("constraint", "x | nosuch", "表达式有误"),
        ("calculate", "undefined_thing + 1", '"undefined_thing"'),
    ],
)
def test_bad_expressions(option, expression, part):
    p = only_problem(
        form_text(f"""
        - key: x
          label: X
          type: integer
          {option}: "{expression}"
    """)
    )
    assert p.line == 8 and part in p.message and '"x"' in p.message


def test_expressions_may_use_later_fields_context_names_and_row_siblings():
    assert (
        check_text(
            form_text("""
        - {key: a, label: A, type: integer, calculate: "b + roster_count"}
        - {key: b, label: B, type: date, constraint: "b <= today and now"}
        - key: rows
          label: 行
          type: repeat
          relevant: a > 0
          fields:
            - {key: c, label: C, type: integer}
            - {key: d, label: D, type: integer, calculate: "c * a"}
        - {key: n, label: N, type: integer, calculate: "rows | length"}
    """)
        )
        == []
    )
    # ... but a row's keys are not visible outside the row
    p = only_problem(
        form_text("""
        - key: rows
          label: 行
          type: repeat
          fields:
            - {key: c, label: C, type: integer}
        - {key: n, label: N, type: integer, calculate: "c + 1"}
    """)
    )
    assert '"c"' in p.message


def test_check_and_cadence_problems():
    problems = check_text(
        form_text(
            "- {key: a, label: A, type: integer}",
            textwrap.dedent("""\
        checks:
          - rule: a > 1
            message: 太小
            level: fatal
          - rule: b > 1
            message: 未知
          - message: 没有规则
        cadence:
          - every: week
          - when: a ==
            every: month
        """),
        )
    )
    lines = sorted(p.line for p in problems)
    assert lines == [9, 10, 12, 14, 15], problems
    assert any("fatal" in p.message for p in problems)
    assert any("week" in p.message for p in problems)


@pytest.mark.parametrize(
    "ftype, default",
    [
        ("integer", "abc"),
        ("integer", "1.5"),
        ("date", "2026-13-01"),
        ("date", "now-ish"),
        ("select_one", "丙"),
        ("text", "all_members"),
        ("member", "all_members"),
        ("members", "secretary"),
        ("text", "now"),
        ("datetime", "today"),
        ("text", "roster_count"),
        ("members", "{a: 1}"),
        ("location", "[1]"),
        ("select_multiple", "[甲, 丙]"),
    ],
)
def test_defaults_of_the_wrong_type(ftype, default):
    choices = ", choices: [甲, 乙]" if ftype.startswith("select") else ""
    p = only_problem(form_text(f"- {{key: v, label: V, type: {ftype}, default: {default}{choices}}}"))
    assert p.line == 5 and '"v"' in p.message and "默认值" in p.message


@pytest.mark.parametrize(
    "ftype, default, expected",
    [
        ("datetime", "now", "now"),
        ("date", "now", "now"),
        ("time", "now", "now"),
        ("date", "today", "today"),
        ("member", "secretary", "secretary"),
        ("members", "all_members", "all_members"),
        ("integer", "roster_count", "roster_count"),
        ("text", "last", "last"),
        ("integer", "'12'", 12),
        ("date", "2026-03-01", "2026-03-01"),
        ("time", "8:30", "08:30"),
        ("select_multiple", "[甲]", ["甲"]),
        ("decimal", "0.5", 0.5),
    ],
)
def test_good_defaults(ftype, default, expected):
    choices = ", choices: [甲, 乙]" if ftype.startswith("select") else ""
    form = parse_form(form_text(f"- {{key: v, label: V, type: {ftype}, default: {default}{choices}}}"))
    assert form.field("v").default == expected


@pytest.mark.parametrize(
    "spec",
    [
        "type: integer, min: a",
        "type: integer, min: 1.5",
        "type: integer, min: 5, max: 1",
        "type: text, min: 1",
        "type: date, max: tomorrow",
        "type: members, min: -1",
        "type: text, max_length: 0",
        "type: integer, max_length: 5",
    ],
)
def test_bad_min_max_and_lengths(spec):
    p = only_problem(form_text(f"- {{key: v, label: V, {spec}}}"))
    assert '"v"' in p.message


def test_good_bounds():
    form = parse_form(
        form_text("""
        - {key: a, label: A, type: decimal, min: 0.01, max: 100}
        - {key: b, label: B, type: date, min: 2020-01-01, max: '2030-12-31'}
        - {key: c, label: C, type: photos, min: 1, max: 9}
        - {key: d, label: D, type: time, min: 8:00, max: '18:00'}
    """)
    )
    assert (form.field("a").min, form.field("b").min, form.field("c").max) == (0.01, "2020-01-01", 9)
    assert (form.field("d").min, form.field("d").max) == ("08:00", "18:00")


@pytest.mark.parametrize("ftype", ["group", "repeat"])
def test_containers_need_fields(ftype):
    for fields in ("", "fields: []"):
        p = only_problem(
            form_text(f"""
            - key: box
              label: 盒
              type: {ftype}
              {fields}
        """)
        )
        assert '"box"' in p.message and "fields" in p.message


def test_options_that_do_not_fit_a_group_or_nested_repeat():
    problems = check_text(
        form_text("""
        - key: g
          label: G
          type: group
          required: true
          fields:
            - {key: a, label: A, type: text}
        - key: r
          label: R
          type: repeat
          fields:
            - key: inner
              label: I
              type: repeat
              fields:
                - {key: z, label: Z, type: text}
    """)
    )
    assert len(problems) == 2 and problems[0].line == 8


@pytest.mark.parametrize("key", ["1abc", "has-dash", "today", "none", "and", "字段"])
def test_bad_field_keys(key):
    p = only_problem(form_text(f"- {{key: '{key}', label: L, type: text}}"))
    assert p.line == 5


def test_missing_key_type_label():
    problems = check_text(form_text("- {hint: 提示}"))
    assert len(problems) == 3 and all(p.line == 5 for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "[1, 2, 3]",
        "42",
        "null",
        "1: 2",
        "{[1]: 2}",
        "&a [*a]",
        "\x00\x01\x02",
        "\ufeff",
        "id: a\n---\nid: b\n",
        "fields: !!python/object:os.system {}",
        "a: *unknown",
        "version: 1\nfields: {a: 1}",
        "fields:\n  - 5\n  - [1]\n  - null",
        "fields: &x [{key: a, type: group, label: L, fields: *x}]",
        "[" * 5000,
        "id: x\nversion: 99999999999999999999999\ntitle: t\n"
        "fields: [{key: a, label: b, type: date, default: 2026-02-30}]",
        "\udcff",
        "checks: 5\ncadence: {every: month}",
    ],
)
def test_check_text_never_raises(text):
    problems = check_text(text, "odd.yaml")
    assert problems and all(
        isinstance(p.line, int) and p.line >= 0 and p.file == "odd.yaml" for p in problems
    )
    assert not any("cannot check form" in p.message for p in problems)  # no internal failure hidden
    with pytest.raises(FormProblem):
        parse_form(text, "odd.yaml")


def test_check_text_of_non_text():
    assert check_text(b"id: a", "b.yaml")[0].line == 0


def test_load_form_reads_utf8_and_reports_unreadable_files(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text(SAMPLE, encoding="utf-8")
    assert load_form(good).path == str(good)
    with pytest.raises(FormProblem) as info:
        load_form(tmp_path / "absent.yaml")
    assert info.value.problems[0].line in (0, 1) and "absent.yaml" in str(info.value)
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(SAMPLE.encode("gbk"))
    with pytest.raises(FormProblem) as info:
        load_form(gbk)
    assert "UTF-8" in str(info.value)


LIBRARY = Path(__file__).resolve().parents[2] / "forms" / "library"


@pytest.mark.skipif(not any(LIBRARY.glob("*.yaml")), reason="built-in library not written yet")
@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.name)
def test_built_in_library_forms_pass_check_text(path: Path):
    assert check_text(path.read_text(encoding="utf-8"), str(path)) == []
    form = load_form(path)
    assert form.id == path.stem


# --- hostile files: refused at once with the file and line, never walked out -------------------


def alias_bomb(levels: int = 8, fan: int = 9) -> str:
    """A form of a few hundred bytes whose groups, followed through aliases, hold 9**8 fields."""
    lines = [HEAD + "fields:"]
    inner = "{key: z, label: Z, type: text}"
    for i in range(levels):
        items = ", ".join([f"*g{i - 1}" if i else inner] * fan)
        lines.append(f"  - &g{i} {{key: k{i}, label: L, type: group, fields: [{items}]}}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_one_problem_naming_file_and_line(tmp_path: Path):
    text = alias_bomb()
    assert len(text) < 1200
    p = only_problem(text)
    assert p.line > 4 and "别名" in p.message and "aliases expand" in p.message
    path = tmp_path / "bomb.yaml"  # what `yici forms check` reads
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormProblem) as info:
        load_form(path)
    assert str(info.value).startswith(f"{path}:{p.line}: ")


def test_anchors_and_aliases_that_stay_small_still_work():
    form = parse_form(
        form_text("""
        - {key: a, label: A, type: select_one, choices: &yes_no [是, 否]}
        - {key: b, label: B, type: select_one, choices: *yes_no}
    """)
    )
    assert form.field("b").choices == ("是", "否")


@pytest.mark.parametrize(
    "text, words",
    [
        (
            HEAD + "fields:\n" + "".join(f"  - {{key: k{i}, label: L, type: text}}\n" for i in range(8000)),
            "内容太多",
        ),
        (
            HEAD + "description: " + "很长" * 300_000 + "\nfields: [{key: a, label: A, type: text}]\n",
            "文件太大",
        ),
        (HEAD + "fields:\n  - " + "- " * 100 + "x\n", "嵌套太深"),
    ],
)
def test_huge_or_deep_forms_are_refused(text, words):
    p = only_problem(text)
    assert words in p.message and p.line >= 1 and p.file == "f.yaml"


def test_an_absurdly_long_expression_is_refused_not_compiled():
    p = only_problem(
        form_text(f'- {{key: n, label: N, type: integer, calculate: "{" + ".join(["1"] * 5000)}"}}')
    )
    assert p.line == 5 and "表达式太长" in p.message


def test_attendance_rules_load_and_their_problems_name_the_line():
    fields = "- {key: kind, label: 类型, type: select_one, choices: [支委会, 党员大会]}"
    form = parse_form(
        form_text(fields, "attendance:\n  - when: kind == '支委会'\n    expected: committee\n"), "f.yaml"
    )
    [rule] = form.attendance
    assert (rule.expected, rule.when, rule.line) == ("committee", "kind == '支委会'", 7)
    problems = check_text(
        form_text(
            fields,
            "attendance:\n  - expected: everyone\n  - when: kind\n"
            "  - when: nobody == 1\n    expected: roster\n",
        ),
        "f.yaml",
    )
    assert sorted(p.line for p in problems) == [7, 8, 9], problems
    assert any("everyone" in p.message for p in problems)
    assert any("expected" in p.message for p in problems)
    assert any("nobody" in p.message for p in problems)
