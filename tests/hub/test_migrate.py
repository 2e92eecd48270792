"""Schema steps on a real PostgreSQL: applied once, recorded, and a newer database refused."""

from __future__ import annotations

import asyncio

import pytest

from hub.cli import main
from hub.migrate import SchemaError, known_steps, migrate
from tests.hub.conftest import sql


def test_migrate_creates_the_schema_and_a_second_run_changes_nothing(empty_db, capsys):
    assert main(["migrate", "--database", empty_db]) == 0
    assert "已应用结构步骤：0001_initial" in capsys.readouterr().out
    steps = sql(empty_db, "SELECT step, name FROM hub_schema_steps ORDER BY step")
    assert steps == [(s.number, s.name) for s in known_steps()]
    tables = {r[0] for r in sql(empty_db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"branches", "devices", "records", "record_revisions", "attachments"} <= tables

    assert main(["migrate", "--database", empty_db]) == 0
    assert "无需更改" in capsys.readouterr().out
    assert sql(empty_db, "SELECT count(*) FROM hub_schema_steps") == [(len(steps),)]


def test_the_database_url_comes_from_the_environment(empty_db, capsys, monkeypatch):
    monkeypatch.setenv("YICI_HUB_DATABASE", empty_db)
    assert main(["migrate"]) == 0
    assert sql(empty_db, "SELECT count(*) FROM hub_schema_steps") == [(len(known_steps()),)]
    monkeypatch.delenv("YICI_HUB_DATABASE")
    assert main(["migrate"]) == 2
    assert "YICI_HUB_DATABASE" in capsys.readouterr().err


def test_a_database_with_a_newer_step_is_refused(hub_db, capsys):
    sql(hub_db, "INSERT INTO hub_schema_steps(step, name) VALUES (99, 'from_a_newer_hub')")
    with pytest.raises(SchemaError, match="0099_from_a_newer_hub"):
        asyncio.run(migrate(hub_db))
    assert main(["migrate", "--database", hub_db]) == 1
    assert "更新版本的 yici-hub" in capsys.readouterr().err
    assert main(["serve", "--database", hub_db, "--listen", "127.0.0.1:1"]) == 1
    assert "0099_from_a_newer_hub" in capsys.readouterr().err


def test_serve_refuses_a_database_not_yet_migrated(empty_db, capsys):
    assert main(["serve", "--database", empty_db, "--listen", "127.0.0.1:1"]) == 1
    assert "请先运行 yici-hub migrate" in capsys.readouterr().err


def test_an_unreachable_database_is_one_chinese_line_without_the_password(cluster, capsys):
    url = f"postgresql://postgres:s3cret-Passw0rd@127.0.0.1:{cluster.port}/no_such_database"
    assert main(["migrate", "--database", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("连不上数据库") and "no_such_database" in err
    assert "s3cret-Passw0rd" not in err and "Traceback" not in err
