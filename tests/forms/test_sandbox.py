"""Bounded expressions and templates: what a hostile or mistaken form, profile or template tries
(huge strings, lists, integers, endless loops) is refused within about a second and a few MB,
in form expressions, message templates and Excel column expressions alike; `forms check` names
such an expression at its line; Jinja2 is a version without the known sandbox escape."""

from __future__ import annotations

import re
import time
import tomllib
import tracemalloc
from pathlib import Path

import jinja2
import pytest

from forms.expressions import ExpressionError, compile_expression
from forms.loader import check_text
from sync.messages import TemplateProblem, render_template
from sync.xlsx import KIND as XLSX
from tests.sync.robot_servers import make_outgoing

REPO = Path(__file__).resolve().parents[2]
VARIABLES = {"title": "ab", "n": 9, "items": ["x", "y"]}

HOSTILE_EXPRESSIONS = [
    "title.ljust(1000000000)",
    "title.center(999999999)",
    "'{:>999999999}'.format(title)",
    "'%999999999d' | format(n)",
    "title | center(999999999)",
    "(title * 1000).replace('a', title * 1000)",
    "(title ~ title) * 100000000",
    "[[title] * 1000] * 1000",
    "(range(100000) | list) * 100",
    "n ** (n ** n)",
    "10 ** 5000",
    "(10 ** 4000) * (10 ** 4000)",
    "((title ~ '\\n') * 100000) | indent(1000)",
    "range(100000) | batch(3) | map('join', title * 10000) | list",
    "items | join(title * 400000)",
    "(title * 300000) | wordwrap(1, wrapstring=title * 10)",
]


@pytest.mark.parametrize("source", HOSTILE_EXPRESSIONS)
def test_a_hostile_expression_is_refused_within_a_second_and_a_few_mb(source):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ExpressionError) as info:
            compile_expression(source).evaluate(VARIABLES)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1.5
    assert peak < 20 * 1024 * 1024, f"{source}: {peak / 1e6:.0f} MB"
    assert "请简化" in info.value.message


def test_ordinary_expressions_still_work():
    assert compile_expression("title ~ '-' ~ n").evaluate(VARIABLES) == "ab-9"
    assert compile_expression("items | join('、')").evaluate(VARIABLES) == "x、y"
    assert compile_expression("n ** 3 + (items | length)").evaluate(VARIABLES) == 731
    assert compile_expression("'{:>5}'.format(title)").evaluate(VARIABLES) == "   ab"
    assert compile_expression("range(1000) | sum").evaluate(VARIABLES) == 499500


HOSTILE_TEMPLATES = [
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% set x = 'a' * 400000 %}{% for i in range(100) %}{{ x }}{% endfor %}",
    "{% macro m(d) %}{{ m(d + 1) }}{{ m(d + 1) }}{% endmacro %}{{ m(0) }}",
    "{{ lipsum(1000000) }}",
    "{% set l = [] %}{{ (('x' * 100000) ~ '').ljust(999999999) }}",
]


@pytest.mark.parametrize("source", HOSTILE_TEMPLATES)
def test_a_hostile_message_template_is_refused_within_a_second(source):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TemplateProblem) as info:
            render_template(source, {"title": "ab"})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2.0
    assert peak < 30 * 1024 * 1024
    assert "请在目标设置里修改模板" in info.value.message and "Traceback" not in info.value.message


def test_a_template_does_not_draw_random_values():
    # A body sent again under the same Idempotency-Key must be the same bytes.
    with pytest.raises(TemplateProblem):
        render_template("{{ [1, 2, 3] | random }}", {})


def test_a_hostile_excel_column_expression_fails_the_record_not_the_laptop(tmp_path):
    item = make_outgoing(
        "xlsx",
        {},
        options={"folder": str(tmp_path / "导出"), "columns": "标题=title; 备注=title.ljust(1000000000)"},
    )
    started = time.monotonic()
    attempt = XLSX.send(item)
    assert time.monotonic() - started < 2.0
    assert attempt.outcome == "permanent" and "备注" in attempt.message and "太大" in attempt.message


def test_forms_check_reports_a_costly_expression_at_its_line():
    text = (
        "id: bomb\nversion: 1\ntitle: 炸弹\nfields:\n"
        "  - {key: title, label: 标题, type: text}\n"
        "  - key: copies\n    label: 副本\n    type: text\n"
        '    calculate: "title.ljust(1000000000) ~ title * 100000000"\n'
    )
    assert len(text) < 250
    tracemalloc.start()
    started = time.monotonic()
    try:
        problems = check_text(text, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 4 and peak < 30 * 1024 * 1024
    assert len(problems) == 1, problems
    assert problems[0].line == 9 and "calculate" in problems[0].message and "太大" in problems[0].message


def test_forms_check_stops_a_slow_expression():
    text = (
        "id: slow\nversion: 1\ntitle: 慢\nfields:\n"
        "  - {key: n, label: 数, type: integer}\n"
        "  - key: total\n    label: 合计\n    type: integer\n"
        "    calculate: \"range(99999) | map('string') | map('length') | sum + "
        "(range(99999) | map('string') | join | length) * 0 + n\"\n"
    )
    started = time.monotonic()
    check_text(text, "slow.yaml")
    assert time.monotonic() - started < 4


def test_jinja2_is_pinned_past_the_sandbox_escape():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [d for d in pyproject["project"]["dependencies"] if d.lower().startswith("jinja2")]
    floor = re.search(r">=\s*([\d.]+)", pin)
    assert floor and tuple(map(int, floor.group(1).split("."))) >= (3, 1, 6), pin
    assert tuple(map(int, jinja2.__version__.split(".")[:3])) >= (3, 1, 6)
