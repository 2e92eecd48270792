"""Property tests: whatever values or form text arrive, the engine answers with messages."""

import datetime
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forms import loader
from forms.catalog import Catalog
from forms.engine import Context, Outcome, Person, defaults, evaluate, parse_value, record_date, summary
from forms.loader import FormProblem, Problem, check_text, parse_form
from forms.model import Form
from tests.forms.test_engine import FORM, RICH

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTEXT = Context(
    roster=[Person("王书记", "书记"), Person("张三"), Person("李四")],
    today=datetime.date(2026, 11, 5),
    now=datetime.datetime(2026, 11, 5, 9, 30),
)

KEYS = FORM.keys + ["description", "follow", "who", "cost", "double"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "2026-11-05",
            "2026-11-05T09:30",
            "09:30",
            "张三",
            "王书记",
            "党课",
            "支部党员大会",
            "学习",
            "是",
            "否",
            "11010519491231002X",
            "13800138000",
            "a" * 64,
            "１２",
            "1e400",
            "nan",
            "-0",
            "[1,2]",
            "{}",
            "None",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(
                st.sampled_from(KEYS + ["name", "reason", "sha256", "place", "lat", "lon"]),
                st.text(max_size=8),
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=15,
)
record_values = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), json_values, max_size=8
)


def _check_outcome(out: Outcome, given_keys) -> None:
    assert isinstance(out, Outcome)
    assert set(out.values) == set(FORM.keys)
    unknown = {str(k) for k in given_keys}
    for m in out.messages:
        assert m.level in ("error", "warning")
        assert isinstance(m.text, str) and m.text
        head = m.field.split("[")[0].split(".")[0]
        assert m.field == "" or m.field in unknown or head in FORM.keys, m


@SETTINGS
@given(record_values)
@example({"idno": "A\u0301"})
@example({"idno": "Y\u00af"})  # NFKC: " \u0304"; dropping the space joins the accent to Y
@example({"idno": "\u0390"})  # upper-casing splits the letter from its accents
@example({"mobile": "A\u00a8"})
@example({"mobile": "+86+8613800138000"})
@example({"mobile": "-"})  # cleaned to nothing: empty, as the second check reads it
def test_evaluate_never_raises_whatever_the_values(values):
    out = evaluate(FORM, values, CONTEXT)
    _check_outcome(out, values)
    # Evaluating the result again changes nothing: cleaning is stable.
    again = evaluate(FORM, out.values, CONTEXT)
    assert json.dumps(again.values, sort_keys=True, default=repr) == json.dumps(
        out.values, sort_keys=True, default=repr
    )
    record_date(FORM, out.values)
    assert isinstance(summary(FORM, out.values), str)


@SETTINGS
@given(json_values)
def test_evaluate_never_raises_whatever_the_top_level_object(values):
    out = evaluate(FORM, values, CONTEXT)
    _check_outcome(out, values if isinstance(values, dict) else {})


@SETTINGS
@given(st.sampled_from([f for f in FORM.walk() if f.type != "group"]), st.text(max_size=40))
def test_parse_value_gives_a_value_or_value_error(field, text):
    try:
        value = parse_value(field, text)
    except ValueError as exc:
        assert str(exc)
    else:
        evaluate(FORM, {field.key: value}, CONTEXT)


# ------------------------------------------------------------------ mutated form text

YAML_BITS = list(":-[]{}#&*!|>'\",\n\t ") + [
    "key: ",
    "type: ",
    "- ",
    "  ",
    "fields:",
    "default: ",
    "version: ",
    "relevant: ",
    "{{",
    "}}",
    "%",
    "\\",
    "~",
    "null",
    "true",
    "\x00",
    "字段",
    "group",
    "repeat",
    "0x1F",
    "2026-13-45",
    "&a",
    "*a",
    "!!python/name:os.system",
]
LINES = RICH.splitlines(keepends=True)


@st.composite
def mutated_texts(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(
            st.sampled_from(
                [
                    "delete_line",
                    "duplicate_line",
                    "swap_lines",
                    "replace_value",
                    "insert",
                    "delete_chars",
                    "replace_char",
                    "swap_keys",
                    "indent",
                ]
            )
        )
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[i]
        if op == "delete_line" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate_line":
            lines.insert(i, line)
        elif op == "swap_lines":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "replace_value" and ": " in line:
            head = line.split(": ", 1)[0]
            new = draw(
                st.one_of(
                    st.sampled_from(YAML_BITS),
                    st.text(max_size=10),
                    st.integers(min_value=-5, max_value=10**30).map(str),
                )
            )
            lines[i] = f"{head}: {new}\n"
        elif op == "insert":
            pos = draw(st.integers(min_value=0, max_value=len(line)))
            bit = draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=5)))
            lines[i] = line[:pos] + bit + line[pos:]
        elif op == "delete_chars" and line:
            a = draw(st.integers(min_value=0, max_value=len(line) - 1))
            b = draw(st.integers(min_value=a, max_value=len(line)))
            lines[i] = line[:a] + line[b:]
        elif op == "replace_char" and line:
            pos = draw(st.integers(min_value=0, max_value=len(line) - 1))
            lines[i] = line[:pos] + draw(st.characters()) + line[pos + 1 :]
        elif op == "swap_keys":
            a, b = draw(
                st.sampled_from(
                    [
                        ("key", "type"),
                        ("label", "key"),
                        ("min", "max"),
                        ("rule", "when"),
                        ("choices", "fields"),
                        ("required", "default"),
                        ("group", "repeat"),
                        ("integer", "date"),
                        ("members", "member"),
                        ("id", "version"),
                    ]
                )
            )
            lines[i] = line.replace(a, "\0").replace(b, a).replace("\0", b)
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t"])) + line.lstrip(" ")
    return "".join(lines)


def _assert_problems(problems, text) -> None:
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem) and p.file == "mutant.yaml"
        assert isinstance(p.line, int) and 0 <= p.line <= text.count("\n") + 2
        assert isinstance(p.message, str) and p.message


@SETTINGS
@given(mutated_texts())
def test_mutated_form_text_gives_problems_never_exceptions(text):
    form, problems = loader._read(text, "mutant.yaml")  # unguarded: an internal failure would show here
    _assert_problems(problems, text)
    assert check_text(text, "mutant.yaml") == problems
    try:
        parsed = parse_form(text, "mutant.yaml")
    except FormProblem as exc:
        assert exc.problems and not form
    else:
        assert isinstance(parsed, Form) and problems == []
        # Any form that loads must also work: defaults and validation answer without raising.
        evaluate(parsed, defaults(parsed, CONTEXT), CONTEXT)


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_gives_problems(text):
    _, problems = loader._read(text, "mutant.yaml")
    _assert_problems(problems, text)


LIBRARY_FORMS = Catalog(None).all()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_built_in_forms_answer_any_values(data):
    if not LIBRARY_FORMS:
        return
    form = data.draw(st.sampled_from(LIBRARY_FORMS))
    keys = form.keys + [k.key for f in form.walk() if f.type == "repeat" for k in f.fields]
    values = data.draw(st.dictionaries(st.sampled_from(keys), json_values, max_size=10))
    start = defaults(form, CONTEXT)
    start.update(values)
    out = evaluate(form, start, CONTEXT)
    assert set(out.values) == set(form.keys)
    assert all(m.level in ("error", "warning") and m.text for m in out.messages)
    summary(form, out.values)
