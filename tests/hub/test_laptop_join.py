"""A laptop joins the real hub with a one-time code: its token goes to the keyring (bound to the
hub's address), the hub becomes its `hub` target limited to its branches, branches are matched
by name the first time; a used or wrong code, an unreachable hub and a laptop without keyring
each say so and leave nothing behind; a revoked laptop's target needs attention."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from hub.devices import revoke
from sync.hub_client import REVOKED_MESSAGE, TOKEN
from sync.hub_join import JoinProblem, join
from sync.secrets import get_secret
from tests.hub.conftest import enrolled
from tests.hub.laptop import BRANCH, hub_count, laptop_at
from tests.hub.postgres import free_port


@pytest.fixture
def laptop(tmp_path, memory_keyring):
    made = laptop_at(tmp_path / "laptop", branches=(BRANCH, "本机自己的支部"))
    yield made
    made.close()


def test_a_good_code_joins_matches_branches_by_name_and_keeps_the_token_in_the_keyring(hub, laptop):
    joined = laptop.join(hub, "张三的电脑", branches=(BRANCH, "东风村党支部"))
    target = laptop.store.hub_target()
    assert target is not None and target.enabled and target.attention is None
    assert target.url == hub.url and target.kind == "hub"
    assert sorted(joined.branches) == sorted([BRANCH, "东风村党支部"])
    assert sorted(target.branches) == sorted([BRANCH, "东风村党支部"])  # not 本机自己的支部
    mine = laptop.store.find_branch(BRANCH)
    assert mine is not None and mine.id == laptop.branch_id() and mine.hub_uid  # matched, not doubled
    assert laptop.store.find_branch("东风村党支部") is not None  # the hub's other branch, made here
    token = get_secret(laptop.store, target, TOKEN)
    assert token and target.secret_origin == hub.url.replace("http://", "http://").rstrip("/")
    assert token.encode() not in laptop.store.path.read_bytes()
    # The hub knows this device by its token: 测试连接 names it and its branches.
    from sync.engine import Deliverer

    tested = Deliverer(laptop.store, http=laptop.http).test(target.name)
    assert tested.outcome == "delivered" and "张三的电脑" in tested.message and BRANCH in tested.message


def test_records_of_other_branches_never_queue_for_the_hub(hub, laptop):
    laptop.join(hub, "张三的电脑")
    laptop.final(1)
    laptop.final(2, branch="本机自己的支部")
    assert [r for r, _ in laptop.hub_delivery_states()] == [1]
    assert len(laptop.store.deliveries(target_id=laptop.store.hub_target().id)) == 1


def test_a_used_code_and_a_wrong_code_are_refused_and_nothing_is_left_behind(hub, laptop, tmp_path):
    code = enrolled(hub.database, "张三的电脑", [BRANCH])
    other = laptop_at(tmp_path / "other")
    try:
        join(other.store, hub.url, code, http=other.http)
    finally:
        other.close()
    with pytest.raises(JoinProblem, match="登记码不对、已用过或已过期"):
        join(laptop.store, hub.url, code, http=laptop.http)
    with pytest.raises(JoinProblem, match="登记码"):
        join(laptop.store, hub.url, "AAAA-BBBB-CCCC-DDDD", http=laptop.http)
    assert laptop.store.hub_target() is None and laptop.store.targets() == []
    assert laptop.store.find_branch(BRANCH).hub_uid is None


def test_an_unreachable_hub_and_a_missing_keyring_say_so_and_spend_no_code(hub, laptop):
    with pytest.raises(JoinProblem, match="无法连接乡镇平台") as refused:
        join(laptop.store, f"http://127.0.0.1:{free_port()}", "AAAA-BBBB-CCCC-DDDD", http=laptop.http)
    # Words a person can act on, not the HTTP library's sentence about its connection pool.
    assert "对方拒绝连接" in refused.value.message and "Pool" not in refused.value.message
    code = enrolled(hub.database, "张三的电脑", [BRANCH])
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(JoinProblem, match="钥匙串"):
            join(laptop.store, hub.url, code, http=laptop.http)
    finally:
        keyring.set_keyring(previous)
    assert laptop.store.targets() == []
    assert hub_count(hub, "devices", "token_hash IS NOT NULL") == 0  # the code was not spent
    join(laptop.store, hub.url, code, http=laptop.http)  # and still works


def test_plain_http_to_another_machine_is_refused_before_the_code_leaves(laptop):
    with pytest.raises(JoinProblem, match="明文 http"):
        join(laptop.store, "http://10.255.255.1:8470", "AAAA-BBBB-CCCC-DDDD", http=laptop.http)


def test_a_revoked_laptop_stops_its_hub_target_and_rejoining_clears_it(hub, laptop):
    laptop.join(hub, "张三的电脑")
    record = laptop.final(1)
    import asyncio

    import psycopg

    async def revoke_it() -> None:
        async with await psycopg.AsyncConnection.connect(hub.database, autocommit=True) as conn:
            await revoke(conn, "张三的电脑")

    asyncio.run(revoke_it())
    summary = laptop.sync()
    target = laptop.store.hub_target()
    assert target.attention and "停用" in target.attention
    assert "停用" in (summary.hub or "")  # the pull said so too, and delivery went on
    assert laptop.hub_delivery_states() == [(1, "pending")]
    assert REVOKED_MESSAGE.split("：")[0] in target.attention
    joined = laptop.join(hub, "张三的电脑")  # a new code for the same name, same hub
    assert joined.target.id == target.id and joined.target.attention is None
    laptop.sync()
    assert laptop.hub_delivery_states() == [(1, "delivered")]
    assert hub_count(hub, "record_revisions", "uuid = %s", (record.uuid,)) == 1


class _Killed(BaseException):
    """The process ending at this point (as SIGKILL would: nothing after it runs)."""


def test_a_join_cut_off_before_the_records_were_queued_leaves_the_hub_off_and_a_new_join_sends_them(
    hub, laptop, monkeypatch
):
    record = laptop.final(1)  # made before joining

    def killed(*args, **kwargs):
        raise _Killed

    with monkeypatch.context() as patched:
        patched.setattr(type(laptop.store), "queue_existing", killed)
        with pytest.raises(_Killed):
            laptop.join(hub, "张三的电脑")
    target = laptop.store.hub_target()
    assert target is not None and not target.enabled  # not half-joined: enabled only with its queue
    import asyncio

    import psycopg

    async def revoke_it() -> None:  # the township gives a new code: revoke, enrol again
        async with await psycopg.AsyncConnection.connect(hub.database, autocommit=True) as conn:
            await revoke(conn, "张三的电脑")

    asyncio.run(revoke_it())
    laptop.join(hub, "张三的电脑")
    laptop.sync()
    assert hub_count(hub, "record_revisions", "uuid = %s", (record.uuid,)) == 1


def test_https_to_a_hub_that_speaks_plain_http_says_so_not_that_its_certificate_is_untrusted(hub, laptop):
    if not hub.url.startswith("http://"):
        pytest.skip("this hub speaks HTTPS")
    with pytest.raises(JoinProblem) as refused:
        join(
            laptop.store,
            "https://" + hub.url.removeprefix("http://"),
            "AAAA-BBBB-CCCC-DDDD",
            http=laptop.http,
        )
    assert "http://" in refused.value.args[0] and "CA" not in refused.value.args[0]
