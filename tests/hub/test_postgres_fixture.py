"""The hub's tests say plainly why they are skipped on a machine without PostgreSQL, and are
never skipped in CI, where ./dev has installed it."""

from __future__ import annotations

import os

import pytest

from hub import cluster
from tests.hub import postgres


def test_without_the_postgresql_programs_the_reason_names_the_package(monkeypatch):
    monkeypatch.setattr(cluster, "binaries", lambda: None)
    reason = postgres.why_not()
    assert reason and "postgresql" in reason and "initdb" in reason


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises PostgreSQL (./dev installs it there)")
def test_in_ci_the_hub_tests_run():
    assert postgres.why_not() is None, postgres.why_not()
