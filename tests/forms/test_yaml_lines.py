"""The one YAML reader: lines in every problem, syntax errors named, hostile files refused fast."""

import textwrap

import pytest

from forms.yaml_lines import BAD, Limits, NodeReader, Problem, YamlRefused, compose, is_null, line, read_text

SMALL = Limits(max_chars=2_000, max_nodes=50, max_depth=5)
DEFAULT = Limits()


def nodes(text: str, limits: Limits = DEFAULT):
    return compose(textwrap.dedent(text), "t.yaml", limits)


def refused(text: str, limits: Limits = DEFAULT) -> Problem:
    with pytest.raises(YamlRefused) as info:
        compose(text, "t.yaml", limits)
    problem = info.value.problem
    assert problem.file == "t.yaml" and str(info.value) == str(problem)
    return problem


def laughs(levels: int, fan: int = 9) -> str:
    """The classic "billion laughs": each anchor a list of `fan` aliases of the one before."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


# -- compose ------------------------------------------------------------------------------------


def test_nodes_remember_their_lines():
    root = nodes("""\
        id: x
        fields:
          - key: a
          - key: b
        """)
    (_, id_value), (fields_key, fields) = root.value
    assert line(id_value) == 1 and line(fields_key) == 2
    assert [line(item) for item in fields.value] == [3, 4]
    assert line(None) == 0


@pytest.mark.parametrize("text", ["", "  \n", "# only a comment\n"])
def test_no_document_is_none(text):
    assert compose(text, "t.yaml") is None


def test_syntax_error_names_the_line_in_both_languages():
    problem = refused("id: x\nfields:\n  - key: a\n    label: [unclosed\n    type: text\n")
    assert problem.line >= 4
    assert "YAML 格式有误" in problem.message and "YAML syntax error" in problem.message


@pytest.mark.parametrize(
    "text, at", [("a: 1\nb: *nowhere\n", 2), ("a: 1\n---\nb: 2\n", 2), ("a: 1\nb: \x01\n", 2)]
)
def test_other_unreadable_text_names_the_line(text, at):
    assert refused(text).line == at


def test_billion_laughs_is_refused_at_once_naming_the_line():
    # Nine levels of nine aliases: 9**8 (43 million) nodes if anything walked them out.
    text = laughs(9)
    assert len(text) < 500
    problem = refused(text)
    assert "别名" in problem.message and "aliases expand to too many nodes" in problem.message
    assert 1 < problem.line <= 9 and str(problem).startswith(f"t.yaml:{problem.line}: ")


def test_aliases_within_the_limits_are_fine():
    root = compose(laughs(3, fan=3), "t.yaml", SMALL)  # 1 + 3 + 9 lols: well under 50 nodes
    assert root is not None
    with pytest.raises(YamlRefused):
        compose(laughs(4, fan=3), "t.yaml", SMALL)  # 27 lols in a4 alone, 40 in all: over


def test_an_alias_inside_itself_is_refused():
    for text in ("&a [*a]", "fields: &x [{key: a, type: group, fields: *x}]\n", "a: &a {b: {c: *a}}\n"):
        problem = refused(text)
        assert problem.line == 1 and "引用了包含它自己的内容" in problem.message


def test_nesting_too_deep_is_refused_written_out_or_through_aliases():
    assert refused("a: " + "[" * 10 + "]" * 10, SMALL).line == 1
    block = "a:\n" + "".join("  " * depth + "- \n" for depth in range(1, 9))
    assert refused(block, SMALL).line == 6 and "嵌套太深" in refused(block, SMALL).message
    chained = "a: &a [[[x]]]\nb: &b [[[*a]]]\n"  # each line 3 deep, 6 once followed
    assert refused(chained, SMALL).line == 2
    assert compose("a: &a [[[x]]]\nb: [*a]\n", "t.yaml", SMALL) is not None


def test_too_many_nodes_without_aliases():
    text = "".join(f"k{i}: v\n" for i in range(30))  # 61 nodes with the mapping itself
    problem = refused(text, SMALL)
    assert "内容太多" in problem.message and "别名" not in problem.message and problem.line == 25


def test_too_large_text_is_refused_before_it_is_composed():
    problem = refused("a: b\n" * 1000, SMALL)
    assert "文件太大" in problem.message and problem.line == 401


def test_read_text_reads_only_what_the_limits_allow(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no disk spent, 200 MB of zeros
    with pytest.raises(YamlRefused) as info:
        read_text(big, SMALL)
    assert "文件太大" in info.value.problem.message and info.value.problem.file == str(big)


def test_read_text_decodes_utf8_and_names_the_line_that_is_not(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_bytes("\ufeffid: 三会一课\n".encode("utf-8"))
    assert read_text(good) == "id: 三会一课\n"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes("id: x\ntitle: 三会\n".encode() + "一课\n".encode("gbk"))
    with pytest.raises(YamlRefused) as info:
        read_text(bad)
    assert info.value.problem.line == 3 and "UTF-8" in info.value.problem.message
    with pytest.raises(YamlRefused) as info:
        read_text(tmp_path / "absent.yaml")
    assert info.value.problem.line == 0 and "无法读取文件" in info.value.problem.message


# -- NodeReader -------------------------------------------------------------------------------


def test_mapping_reports_unknown_duplicate_and_odd_keys_with_lines():
    reader = NodeReader("t.yaml")
    root = nodes("""\
        name: 红星村
        colour: red
        name: 又一个
        ~: 1
        [a]: 2
        code: A1
        """)
    keys = reader.mapping(root, ("name", "code"), ("支部", "branch"))
    assert sorted(keys) == ["code", "name"] and line(keys["name"][1]) == 1
    assert [p.line for p in reader.problems] == [2, 3, 4, 5]
    assert reader.problems[0].message == (
        '未知的支部选项 "colour"（可用：name, code） / unknown branch option "colour"'
    )
    assert "重复出现" in reader.problems[1].message and "appears twice" in reader.problems[1].message


def test_mapping_of_something_else_is_none():
    reader = NodeReader("t.yaml")
    assert reader.mapping(nodes("- a\n"), ("a",), "settings") is None
    assert reader.problems == [
        Problem("t.yaml", 1, "settings应为“键: 值”的映射 / settings must be a mapping")
    ]


def test_sequence_with_null_and_non_empty():
    reader = NodeReader("t.yaml")
    root = nodes("a:\nb: []\nc: x\nd: [1, 2]\n")
    a, b, c, d = (value for _, value in root.value)
    assert reader.sequence(a, "a", null_ok=True) == [] and reader.problems == []
    assert reader.sequence(b, "b", non_empty=True) is None
    assert reader.sequence(c, "c") is None
    assert [n.value for n in reader.sequence(d, "d")] == ["1", "2"]
    assert [(p.line, p.message) for p in reader.problems] == [
        (2, "b 应为至少一项的列表（每项以 - 开头） / b must be a non-empty list"),
        (3, "c 应为列表（每项以 - 开头） / c must be a list"),
    ]


def test_text_keeps_what_was_written_and_reports_empty_or_not_text():
    reader = NodeReader("t.yaml")
    root = nodes("a: 2026\nb: yes\nc:\nd: ''\ne: [x]\nf:\n")
    a, b, c, d, e, f = (value for _, value in root.value)
    assert (reader.text(a, "a"), reader.text(b, "b")) == ("2026", "yes")
    assert reader.text(c, "支部名称") is None and reader.text(d, "title") is None
    assert reader.text(e, ("名称", "name")) is None
    assert reader.text(f, "operator", optional=True) is None
    assert [p.message for p in reader.problems] == [
        "支部名称不能为空 / 支部名称 must not be empty",
        "title 不能为空 / title must not be empty",
        "名称应为一段文字 / name must be text",
    ]
    assert is_null(c) and not is_null(d)


def test_texts_leave_out_bad_items():
    reader = NodeReader("t.yaml")
    root = nodes("forms: [a, [b], c]\nnone:\n")
    (_, forms), (_, none) = root.value
    assert reader.texts(forms, "forms") == ["a", "c"] and reader.texts(none, "forms") == []
    assert len(reader.problems) == 1 and "forms中的一项" in reader.problems[0].message


def test_values_booleans_and_integers():
    reader = NodeReader("t.yaml")
    root = nodes("""\
        a: !!python/name:os.system x
        b: true
        c: 'true'
        d: 7
        e: 0
        f: 400
        g: 1.5
        """)
    a, b, c, d, e, f, g = (value for _, value in root.value)
    assert reader.value(a, "a") is BAD
    assert reader.boolean(b, "enabled") is True and reader.boolean(c, "enabled") is None
    assert reader.integer(d, "version", minimum=1) == 7
    assert reader.integer(e, "version", minimum=1, hint="例如 1") is None
    assert reader.integer(f, "backup_keep_days", minimum=1, maximum=365) is None
    assert reader.integer(g, "max_length") is None
    first, *rest = reader.problems
    assert first.line == 1 and first.message.startswith("a 的值无法识别（could not determine a constructor")
    assert [(p.line, p.message.split(" / ")[0]) for p in rest] == [
        (3, "enabled 应为 true 或 false"),
        (5, "version 应为正整数，例如 1"),
        (6, "backup_keep_days 应为 1 到 365 之间的整数"),
        (7, "max_length 应为整数"),
    ]


def test_say_can_be_overridden_and_lines_given_directly():
    class ChineseOnly(NodeReader):
        def say(self, zh, en=None, about=None):
            return f"{about}：{zh}" if about else zh

    reader = ChineseOnly("p.yaml")
    reader.problem(7, "支部缺少 name", "branch has no name")
    reader.problem(None, "职务不对", about="张三")
    assert [str(p) for p in reader.problems] == ["p.yaml:7: 支部缺少 name", "p.yaml:0: 张三：职务不对"]
    plain = NodeReader("f.yaml")
    plain.problem(3, "不对", "wrong", about="x")
    assert plain.problems[0].message == '“x”：不对 / "x": wrong'


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029", "\r"])
def test_breaks_an_editor_does_not_show_do_not_shift_the_line_named(brk):
    # YAML breaks lines at NEL, LS, PS and a lone CR; the person's editor does not, so the line we
    # name must be counted in the person's lines.
    with pytest.raises(YamlRefused) as refused:
        compose(f"id: a{brk}b\ntitle: [\n", "f.yaml")
    assert refused.value.problem.line <= 3
    node = compose(f"id: a{brk}b\ntitle: x\n", "f.yaml")
    assert [line(v) for _, v in node.value] == [1, 2]
