"""`./dev hub`: the hub on this machine in one command, to try it or to develop against it.

A PostgreSQL cluster in a folder (`.hub/` unless told, reused when it is there), the schema
migrated, an administrator (its password made and printed once, or read from standard input), a
demo laptop enrolled for two branches with small rosters, and its one-time code printed with the
`yici hub join` line to paste; then the hub serves until Ctrl+C, which stops the hub and then the
cluster cleanly. Not for a township's real hub: that runs on the PostgreSQL its IT staff keep
(docs/HUB.md).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import secrets
import socket
import sys
from pathlib import Path

from forms.command_line import EXIT_USAGE, Parser
from hub.cluster import Cluster, ClusterError
from hub.config import DEFAULT_LISTEN, Config, ConfigError, listen_address

DATABASE = "yici_hub"
ADMIN = "admin"
DEMO_DEVICE = "演示电脑"
DEMO_BRANCHES = {
    "红星村党支部": [("王建国", "书记"), ("李秀英", "委员"), ("欧阳晓明", "党员"), ("张伟", "党员")],
    "东风村党支部": [("陈志强", "书记"), ("刘芳", "委员"), ("阿卜杜热合曼·艾买提", "党员")],
}


def build_parser() -> Parser:
    """The parser of `./dev hub`."""
    parser = Parser(prog="./dev hub", description="在本机试用乡镇平台：建库、登记一台演示电脑、启动服务。")
    parser.add_argument(
        "--folder", default=".hub", metavar="文件夹", help="数据库集群所在的文件夹（默认 .hub）"
    )
    parser.add_argument(
        "--listen", default=DEFAULT_LISTEN, metavar="主机:端口", help=f"默认 {DEFAULT_LISTEN}"
    )
    parser.add_argument(
        "--read-password",
        action="store_true",
        help=f"从标准输入读取管理员 {ADMIN} 的密码（否则第一次运行时生成）",
    )
    return parser


def say(text: str = "") -> None:
    print(text, flush=True)


async def prepare(url: str, admin_password: str | None) -> tuple[str | None, str, str]:
    """Migrate; the admin's new password (None when it was there already); the demo device's name
    and its one-time code."""
    import psycopg

    from hub import admins, branches, devices
    from hub.migrate import migrate

    done = await migrate(url)
    if done:
        say(f"已应用结构步骤：{'、'.join(done)}")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        have = await (await conn.execute("SELECT 1 FROM admins WHERE name = %s", [ADMIN])).fetchone()
        made = None
        if admin_password is not None or have is None:
            made = admin_password or secrets.token_urlsafe(12)
            await admins.add_admin(conn, ADMIN, made)
        # A demo device that already joined keeps its token: the next one gets a new name.
        name, n = DEMO_DEVICE, 1
        while await _joined(conn, name):
            n += 1
            name = f"{DEMO_DEVICE}{n}"
        code = await devices.enrol(conn, name, list(DEMO_BRANCHES))
        for branch, people in DEMO_BRANCHES.items():
            count = await (
                await conn.execute(
                    "SELECT count(*) FROM members m JOIN branches b ON b.id = m.branch_id WHERE b.name = %s",
                    [branch],
                )
            ).fetchone()
            if count and count[0] == 0:
                await branches.set_roster(conn, branch, [{"name": p, "role": r} for p, r in people])
    return made, name, code


async def _joined(conn, name: str) -> bool:
    row = await (
        await conn.execute(
            "SELECT 1 FROM devices WHERE name = %s AND revoked_at IS NULL AND joined_at IS NOT NULL", [name]
        )
    ).fetchone()
    return row is not None


def _database(cluster: Cluster) -> str:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone() is None:
            conn.execute(f"CREATE DATABASE {DATABASE}".encode())
    return cluster.url(DATABASE)


def _port_free(host: str, port: int) -> None:
    """Say so before anything starts when another program already listens there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError:
            raise ConfigError(
                f"{host}:{port} 已被别的程序占用，请用 --listen 换一个端口，例如 127.0.0.1:8471"
            ) from None


def run(args: argparse.Namespace) -> int:
    """Set up (or reuse) the cluster, prepare the hub, serve; stop the cluster at the end."""
    from hub.cli import run_server

    host, port = listen_address(args.listen)
    _port_free(host, port)
    password = sys.stdin.readline().rstrip("\r\n") if args.read_password else None
    folder = Path(args.folder).absolute()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "trial.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"{folder} 正被另一个 ./dev hub 使用：请先在那里按 Ctrl+C，或用 --folder 另选文件夹。")
            return 1
        cluster = Cluster(folder)
        if cluster.exists():
            say(f"沿用 {folder} 里的数据库集群。")
            if cluster.running():  # left behind by a run that was killed: start it afresh
                cluster.stop()
        else:
            say(f"在 {folder} 里创建数据库集群……")
            cluster.create()
        cluster.start()
        try:
            url = _database(cluster)
            made, device, code = asyncio.run(prepare(url, password))
            address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
            say()
            say(f"乡镇平台：{address}")
            say(f"数据库：{url}（数据在 {folder}）")
            if made and password is None:
                say(f"管理员：{ADMIN}  密码：{made}（只显示这一次；重设：./dev hub --read-password）")
            else:
                said = "已更新" if made else "不变；忘了可用 ./dev hub --read-password 重设"
                say(f"管理员：{ADMIN}（密码{said}）")
            say(f"演示电脑“{device}”负责 {'、'.join(DEMO_BRANCHES)}。一次性登记码（7 天内有效）：")
            say(code)
            say("在电脑上加入：")
            say(f"  yici hub join {address} --code {code}")
            say("按 Ctrl+C 停止乡镇平台和数据库。")
            say()
            run_server(Config(url, host, port))
        finally:
            cluster.stop()
            say("乡镇平台和数据库已停止。")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `./dev hub`."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except ConfigError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except ClusterError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
