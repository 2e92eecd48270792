"""Expressions compiled in Jinja2's sandbox."""

import pytest

from forms.expressions import ExpressionError, compile_expression


def test_names_are_the_variables_read():
    expr = compile_expression("attend_count * 2 > expected_count and meeting_type == '支部党员大会'")
    assert expr.names == {"attend_count", "expected_count", "meeting_type"}


def test_evaluates_with_variables():
    expr = compile_expression("attend_count * 2 > expected_count")
    assert expr.evaluate({"attend_count": 4, "expected_count": 7}) is True
    assert expr.evaluate({"attend_count": 3, "expected_count": 7}) is False


def test_length_of_empty_list_value_is_zero():
    expr = compile_expression("attendees | length")
    assert expr.evaluate({"attendees": None}) == 0
    assert expr.evaluate({"attendees": ["a", "b"]}) == 2
    assert expr.evaluate({}) == 0


def test_undefined_variable_is_none_like_not_a_crash():
    assert compile_expression("missing").evaluate({}) is None
    assert compile_expression("missing.deeper").evaluate({}) is None
    assert compile_expression("not missing").evaluate({}) is True


def test_sum_and_days_filters():
    assert compile_expression("rows | sum(attribute='n')").evaluate({"rows": [{"n": 2}, {"n": 3}]}) == 5
    assert (
        compile_expression("(b | days) - (a | days)").evaluate({"a": "2026-02-27", "b": "2026-03-01T10:00"})
        == 2
    )


@pytest.mark.parametrize("source", ["x +", "x | nosuchfilter", "", "   ", "x ) }}{% if 1 %}{{ (y"])
def test_bad_source_raises_expression_error_in_chinese(source):
    with pytest.raises(ExpressionError) as info:
        compile_expression(source)
    assert "表达式" in info.value.message


def test_sandbox_refuses_python_internals():
    expr = compile_expression("x.__class__.__mro__")
    assert expr.evaluate({"x": 1}) is None
    with pytest.raises(ExpressionError):
        compile_expression("x.__class__.__subclasses__()").evaluate({"x": 1})


def test_runtime_failures_become_expression_errors():
    with pytest.raises(ExpressionError) as info:
        compile_expression("a / b").evaluate({"a": 1, "b": 0})
    assert "无法计算" in info.value.message
    with pytest.raises(ExpressionError):
        compile_expression("a > 3").evaluate({"a": None})


def test_huge_results_are_refused_not_built():
    with pytest.raises(ExpressionError):
        compile_expression("10 ** 100000000").evaluate({})
    with pytest.raises(ExpressionError):
        compile_expression("'x' * 1000000000").evaluate({})
    with pytest.raises(ExpressionError):
        compile_expression("'%99999999999d' % 1").evaluate({})


def test_compiled_expressions_are_cached():
    assert compile_expression("a + 1") is compile_expression("a + 1")
