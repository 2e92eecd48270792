"""`yici forms list | check | add` end to end."""

from __future__ import annotations

import json
import re

from forms.store import Store
from tests.desktop.cli.helpers import LIBRARY, VISIT_V1, VISIT_V2, new_record, show
from tests.helpers import bad, ok


def test_forms_list(yici, data_dir):
    Store.open(data_dir).close()  # a data folder in use: reading commands never create one
    table = ok(yici("forms", "list")).stdout
    assert "sanhui-yike" in table and "三会一课" in table
    listed = json.loads(ok(yici("forms", "list", "--json")).stdout)
    assert {
        "sanhui-yike",
        "zhuti-dangri",
        "zuzhi-shenghuohui",
        "minzhu-pingyi",
        "ruhu-zoufang",
        "dangfei",
    } <= {f["id"] for f in listed}
    assert all(isinstance(f["version"], int) and f["title"] for f in listed)


def test_forms_check(yici, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VISIT_V1, encoding="utf-8")
    result = ok(yici("forms", "check", good, LIBRARY / "sanhui-yike.yaml"))
    # Two forms, and the print layout beside the built-in one.
    assert result.stdout.count("格式正确") == 3
    assert f"{LIBRARY / 'sanhui-yike.print.html'}：格式正确（打印版式）" in result.stdout

    broken = tmp_path / "broken.yaml"
    broken.write_text(VISIT_V1.replace("type: date", "type: datex"), encoding="utf-8")
    result = bad(yici("forms", "check", "good.yaml", "broken.yaml", "missing.yaml"))
    lines = result.stdout.splitlines()
    assert any(re.match(r"broken\.yaml:\d+: .*datex", line) for line in lines), result.stdout
    assert any(line.startswith("missing.yaml:") for line in lines), result.stdout
    assert "good.yaml：格式正确" in result.stdout


def test_forms_add_and_new_version(yici, tmp_path, branch):
    v1, v2 = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    v1.write_text(VISIT_V1, encoding="utf-8")
    v2.write_text(VISIT_V2, encoding="utf-8")
    ok(yici("forms", "add", v1))
    ok(yici("forms", "add", v1))  # the same text again changes nothing
    listed = {f["id"]: f["version"] for f in json.loads(ok(yici("forms", "list", "--json")).stdout)}
    assert listed["visit-note"] == 1
    old = new_record(
        yici, tmp_path, {"visited_on": "2026-10-01", "household": "刘大爷"}, "--final", form="visit-note"
    )

    assert "第 2 版" in ok(yici("forms", "add", v2)).stdout
    listed = {f["id"]: f["version"] for f in json.loads(ok(yici("forms", "list", "--json")).stdout)}
    assert listed["visit-note"] == 2
    # A different definition under an existing version is refused; the old record keeps its version.
    v1.write_text(VISIT_V1.replace("户主", "户主姓名"), encoding="utf-8")
    bad(yici("forms", "add", v1))
    assert show(yici, old)["form_version"] == 1

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: [\n", encoding="utf-8")
    assert "broken.yaml" in bad(yici("forms", "add", broken)).stderr
