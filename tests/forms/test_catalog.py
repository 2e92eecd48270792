"""Which forms exist: built-in library plus installed definitions in the data folder."""

from pathlib import Path

import pytest

from forms.catalog import Catalog, UnknownForm
from forms.loader import FormProblem


def form_yaml(form_id: str, version: int, title: str = "表单", extra_field: str = "") -> str:
    return (
        f"id: {form_id}\nversion: {version}\ntitle: {title}\nfields:\n"
        f"  - {{key: a, label: A, type: text}}\n{extra_field}"
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "meeting.yaml").write_text(form_yaml("meeting", 1, "会议"), encoding="utf-8")
    (folder / "dues.yaml").write_text(form_yaml("dues", 2, "党费"), encoding="utf-8")
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_all_lists_latest_version_of_each_form_sorted_by_id(library, data_dir):
    installed = data_dir / "forms"
    installed.mkdir(parents=True)
    (installed / "meeting-v3.yaml").write_text(form_yaml("meeting", 3, "会议三"), encoding="utf-8")
    catalog = Catalog(data_dir, library_dir=library)
    assert [(f.id, f.version) for f in catalog.all()] == [("dues", 2), ("meeting", 3)]
    assert catalog.get("meeting").title == "会议三"
    assert catalog.get("meeting", 1).title == "会议"
    assert catalog.versions("meeting") == [1, 3]


def test_unknown_form_and_version_have_chinese_messages(library):
    catalog = Catalog(None, library_dir=library)
    with pytest.raises(UnknownForm) as info:
        catalog.get("nope")
    assert "没有表单“nope”" in str(info.value) and "dues" in str(info.value)
    with pytest.raises(KeyError):
        catalog.get("meeting", 7)


def test_broken_installed_file_is_left_out_with_its_problems(library, data_dir):
    installed = data_dir / "forms"
    installed.mkdir(parents=True)
    (installed / "bad.yaml").write_text("id: bad\nversion: x\n", encoding="utf-8")
    catalog = Catalog(data_dir, library_dir=library)
    assert [f.id for f in catalog.all()] == ["dues", "meeting"]
    assert catalog.problems and all(p.file.endswith("bad.yaml") for p in catalog.problems)


def test_install_copies_checks_and_is_idempotent(library, data_dir, tmp_path):
    source = tmp_path / "new.yaml"
    source.write_text(form_yaml("visit", 1, "走访"), encoding="utf-8")
    catalog = Catalog(data_dir, library_dir=library)
    form = catalog.install(source)
    target = data_dir / "forms" / "visit-v1.yaml"
    assert target.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    assert form.path == str(target) and catalog.get("visit").title == "走访"
    assert catalog.install(source) == form  # same text again: nothing changes
    assert sorted(p.name for p in (data_dir / "forms").iterdir()) == ["visit-v1.yaml"]
    assert Catalog(data_dir, library_dir=library).get("visit").version == 1  # survives a restart


def test_install_refuses_a_changed_definition_without_a_higher_version(library, data_dir, tmp_path):
    catalog = Catalog(data_dir, library_dir=library)
    changed = tmp_path / "meeting.yaml"
    changed.write_text(form_yaml("meeting", 1, "会议改"), encoding="utf-8")
    with pytest.raises(FormProblem) as info:
        catalog.install(changed)
    assert "version 改为 2" in str(info.value) and info.value.problems[0].line == 2
    changed.write_text(form_yaml("dues", 1, "党费旧"), encoding="utf-8")
    with pytest.raises(FormProblem):
        catalog.install(changed)
    changed.write_text(form_yaml("meeting", 2, "会议二"), encoding="utf-8")
    assert catalog.install(changed).version == 2 and catalog.get("meeting").title == "会议二"


def test_install_refuses_a_broken_file_and_copies_nothing(library, data_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(form_yaml("meeting", 9) + "  - {key: a, label: B, type: text}\n", encoding="utf-8")
    with pytest.raises(FormProblem):
        Catalog(data_dir, library_dir=library).install(bad)
    assert not (data_dir / "forms").exists() or not any((data_dir / "forms").iterdir())


def test_install_needs_a_data_folder(library, tmp_path):
    source = tmp_path / "x.yaml"
    source.write_text(form_yaml("x", 1), encoding="utf-8")
    with pytest.raises(ValueError):
        Catalog(None, library_dir=library).install(source)


def test_built_in_library_is_the_default(tmp_path):
    catalog = Catalog(tmp_path)
    ids = [f.id for f in catalog.all()]
    assert ids == sorted(ids) and catalog.problems == []
    library = Path(__file__).resolve().parents[2] / "forms" / "library"
    assert len(ids) == len(list(library.glob("*.yaml")))


def test_install_text_installs_a_definition_given_as_text(library, data_dir):
    catalog = Catalog(data_dir, library_dir=library)
    installed = catalog.install_text(form_yaml("visit", 1, "走访"), "profile.yaml")
    assert installed.path == str(data_dir / "forms" / "visit-v1.yaml")
    assert catalog.install_text(form_yaml("visit", 1, "走访"), "profile.yaml").path == installed.path
    with pytest.raises(FormProblem) as info:
        catalog.install_text(form_yaml("visit", 1, "改过的走访"), "profile.yaml")
    assert info.value.problems[0].file == "profile.yaml" and "version 改为 2" in str(info.value)
    assert sorted(p.name for p in (data_dir / "forms").iterdir()) == ["visit-v1.yaml"]
