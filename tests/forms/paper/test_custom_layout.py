"""A form author's layout: `yici forms check` checks it with its form, `yici forms add` installs it
beside the form (Catalog.install), and the record page then prints in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.loader import FormProblem, load_form
from forms.paper.layouts import LayoutProblem, check_layout
from forms.paper.record_page import record_page
from forms.store import Store
from tests.forms.paper.test_layouts import CUSTOM

LAYOUT = """\
{% import "common.print.html" as paper %}
<html>{{ paper.head(form.title) }}<body>
<p class="title">{{ branch.name }} 村民代表会议纪要（自定义版式）</p>
<p>时间：{{ values.held_at }}　主持人：{{ paper.person(values.host) }}</p>
<p>{{ values.summary }}</p>
{{ paper.signatures([("主持人", values.host)]) }}
</body></html>
"""
BROKEN = LAYOUT.replace("{{ values.summary }}", "{{ values.summary }")


def write(folder, layout: str | None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cunmin.yaml").write_text(CUSTOM, encoding="utf-8")
    if layout is not None:
        (folder / "cunmin.print.html").write_text(layout, encoding="utf-8")
    return folder / "cunmin.yaml"


def test_forms_check_checks_the_layout_beside_the_form(yici, tmp_path):
    write(tmp_path / "good", LAYOUT)
    result = yici("forms", "check", "good/cunmin.yaml")
    assert result.returncode == 0, result.stderr
    assert "good/cunmin.yaml：格式正确（cunmin-huiyi 第 1 版 村民代表会议）" in result.stdout
    assert "good/cunmin.print.html：格式正确（打印版式）" in result.stdout

    write(tmp_path / "bad", BROKEN)
    result = yici("forms", "check", "bad/cunmin.yaml")
    assert result.returncode == 1
    assert "bad/cunmin.print.html:5: 打印版式写法有误" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

    write(tmp_path / "none", None)
    result = yici("forms", "check", "none/cunmin.yaml")
    assert result.returncode == 0 and "print.html" not in result.stdout


def test_forms_add_installs_the_layout_and_records_print_in_it(yici, tmp_path, data_dir):
    write(tmp_path / "src", LAYOUT)
    result = yici("forms", "add", "src/cunmin.yaml")
    assert result.returncode == 0, result.stderr
    installed = data_dir / "forms" / "cunmin-huiyi-v1.print.html"
    assert installed.read_text(encoding="utf-8") == LAYOUT
    assert "cunmin-huiyi-v1.print.html" in result.stdout

    store = Store.open(data_dir)
    try:
        branch = store.add_branch("红星村党支部")
        store.add_member(branch.id, "阿卜杜热合曼·艾买提江", role="书记")
        catalog = Catalog(data_dir)
        data = {"held_at": "2026-11-05T19:00", "host": "阿卜杜热合曼·艾买提江", "summary": "<议定>修路"}
        record, _ = Records(store, catalog).new("cunmin-huiyi", branch.id, data, "欧阳晓明", final=True)
        page = record_page(store, catalog, record).html
        assert "红星村党支部 村民代表会议纪要（自定义版式）" in page
        assert "主持人：阿卜杜热合曼·艾买提江（书记）" in page and "&lt;议定&gt;修路" in page

        # A better layout for the same form version replaces the installed one.
        (tmp_path / "src" / "cunmin.print.html").write_text(
            LAYOUT.replace("自定义版式", "第二稿"), encoding="utf-8"
        )
        assert yici("forms", "add", "src/cunmin.yaml").returncode == 0
        assert "村民代表会议纪要（第二稿）" in record_page(store, Catalog(data_dir), record).html
    finally:
        store.close()


def test_a_broken_layout_installs_nothing(tmp_path, data_dir):
    catalog = Catalog(data_dir)
    with pytest.raises(LayoutProblem) as caught:
        catalog.install(write(tmp_path / "src", BROKEN))
    assert isinstance(caught.value, FormProblem)
    assert str(caught.value).startswith(f"{tmp_path / 'src' / 'cunmin.print.html'}:5: ")
    assert not (data_dir / "forms").exists() or list((data_dir / "forms").iterdir()) == []


def test_a_form_without_a_layout_installs_as_before_and_prints_generic(tmp_path, data_dir):
    form = Catalog(data_dir).install(write(tmp_path / "src", None))
    assert sorted(p.name for p in (data_dir / "forms").iterdir()) == ["cunmin-huiyi-v1.yaml"]
    assert form.id == "cunmin-huiyi"


def test_the_example_layout_in_the_it_guide_works(tmp_path):
    guide = (Path(__file__).resolve().parents[3] / "docs" / "IT.md").read_text(encoding="utf-8")
    example = guide.split("A small layout:\n\n```html\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "guide"
    folder.mkdir()
    (folder / "meeting.yaml").write_text(
        CUSTOM.replace("  - key: summary\n    label: 会议纪要\n    type: longtext\n", "")
        + "  - key: recorder\n    label: 记录人\n    type: member\n"
        "  - key: attendees\n    label: 参加人员\n    type: members\n"
        "  - key: topics\n    label: 议定事项\n    type: longtext\n",
        encoding="utf-8",
    )
    (folder / "meeting.print.html").write_text(example, encoding="utf-8")
    assert check_layout(folder / "meeting.print.html", load_form(folder / "meeting.yaml")) == []
