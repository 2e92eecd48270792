"""`yici-hub`, the hub's command line: migrate the database, serve the API, add an admin, enrol
a laptop (prints its one-time code), revoke one, and replace a branch's roster; publishing forms,
cadence, platform settings and branches, and listing devices, are in hub/cli_publish.py. Messages in
Chinese; exit 0 on success, 1 when the work failed, 2 on a usage error."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from forms.command_line import EXIT_USAGE, Parser
from hub import cli_publish
from hub.config import DATABASE_ENV, DEFAULT_LISTEN, Config, ConfigError, database_url, listen_address, shown

EXIT_OK, EXIT_FAILED = 0, 1


def build_parser() -> Parser:
    """The `yici-hub` parser and its commands."""
    parser = Parser(prog="yici-hub", description="一次 乡镇平台：各台电脑的记录汇总到一个 PostgreSQL。")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    commands.required = True

    def command(name: str, text: str, database: bool = True) -> Parser:
        sub = commands.add_parser(name, help=text, description=text)
        if database and name != "admin":
            sub.add_argument(
                "--database", metavar="URL", help=f"PostgreSQL 地址（默认取环境变量 {DATABASE_ENV}）"
            )
        return sub

    command("migrate", "创建或升级数据库结构（可重复运行）")
    serve = command("serve", "启动乡镇平台服务")
    serve.add_argument("--listen", default=DEFAULT_LISTEN, metavar="主机:端口", help=f"默认 {DEFAULT_LISTEN}")
    serve.add_argument("--tls-cert", metavar="文件", help="HTTPS 证书（PEM）")
    serve.add_argument("--tls-key", metavar="文件", help="HTTPS 私钥（PEM）")
    serve.add_argument("--pool", type=int, default=10, metavar="N", help="每个进程的数据库连接数（默认 10）")
    serve.add_argument(
        "--workers", type=int, default=1, metavar="N", help="服务进程数（默认 1；多核服务器可设为核数）"
    )
    admin = command("admin", "管理乡镇管理员")
    admin_commands = admin.add_subparsers(dest="admin_command", metavar="命令", parser_class=Parser)
    admin_commands.required = True
    add = admin_commands.add_parser("add", help="添加管理员或重设密码（密码从标准输入读取）")
    add.add_argument("name", metavar="名称")
    add.add_argument("--database", metavar="URL", help=f"PostgreSQL 地址（默认取环境变量 {DATABASE_ENV}）")
    enrol = command("enrol", "登记一台电脑，打印一次性登记码（7 天内有效）")
    enrol.add_argument("--name", required=True, metavar="名称", help="这台电脑的名称，例如 张三的电脑")
    enrol.add_argument("--branches", required=True, metavar="支部1,支部2", help="它负责的支部，用逗号分隔")
    revoke = command("revoke", "撤销一台电脑：它的凭据立即失效")
    revoke.add_argument("name", metavar="名称")
    roster = command("roster", "用 .xlsx 或 .csv 名册替换一个支部的党员名单（各电脑下次同步时收到）")
    roster.add_argument("branch", metavar="支部")
    roster.add_argument("file", metavar="名册文件")
    cli_publish.add_commands(command)
    return parser


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再输入一次：") != first:
            raise ConfigError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def _run(args: argparse.Namespace, url: str) -> int:
    # Imported here: `yici-hub --help` needs neither psycopg nor argon2.
    import psycopg

    from hub import admins, branches, devices
    from hub.migrate import migrate

    if args.command == "roster":
        from forms.roster_file import read_roster

        read = read_roster(args.file)
        if not read.ok:
            print("名册有问题，未做任何更改：", *read.problems, sep="\n", file=sys.stderr)
            return EXIT_FAILED
    if args.command == "migrate":
        done = await migrate(url)
        print(f"已应用结构步骤：{'、'.join(done)}" if done else "数据库结构已是最新，无需更改。")
        return EXIT_OK
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        if args.command == "admin":
            await admins.add_admin(conn, args.name, _password())
            print(f"已保存管理员“{args.name.strip()}”。")
        elif args.command == "enrol":
            code = await devices.enrol(conn, args.name, args.branches.replace("，", ",").split(","))
            print(
                f"已登记“{args.name.strip()}”。一次性登记码（{devices.CODE_DAYS} 天内有效，只显示这一次）："
            )
            print(code)
        elif args.command == "roster":
            count = await branches.set_roster(conn, args.branch, read.rows)
            print(f"已更新“{args.branch.strip()}”的名册：{count} 人。")
        elif args.command == "revoke":
            if not await devices.revoke(conn, args.name):
                print(f"没有名为“{args.name}”的有效设备。", file=sys.stderr)
                return EXIT_FAILED
            print(f"已撤销“{args.name}”：它的凭据立即失效。")
    return EXIT_OK


async def _publish(args: argparse.Namespace, url: str) -> int:
    import psycopg

    work = cli_publish.prepare(args)  # files are read and checked before connecting
    if isinstance(work, int):
        return work
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        return await work(conn)


async def _check_schema(url: str) -> None:
    import psycopg

    from hub.migrate import check_current

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await check_current(conn)


def _serve(args: argparse.Namespace, url: str) -> int:
    host, port = listen_address(args.listen)
    if bool(args.tls_cert) != bool(args.tls_key):
        raise ConfigError("--tls-cert 和 --tls-key 要一起给出")
    asyncio.run(_check_schema(url))  # a clear message now rather than a failed start-up later
    run_server(Config(url, host, port, args.tls_cert, args.tls_key, max(2, args.pool), max(1, args.workers)))
    return EXIT_OK


def run_server(config: Config) -> None:
    """Serve the hub until Ctrl+C or SIGTERM (then it finishes the requests under way)."""
    import uvicorn

    from hub.app import build_app, worker_environment
    from hub.requestlog import configure_logging

    configure_logging()
    options: dict = dict(
        host=config.host,
        port=config.port,
        ssl_certfile=config.tls_cert,
        ssl_keyfile=config.tls_key,
        access_log=False,  # hub/requestlog.py writes the one request log
        log_config=None,
        timeout_graceful_shutdown=10,
    )
    if config.workers > 1:  # several processes: uvicorn starts each from the factory
        worker_environment(config)
        uvicorn.run("hub.app:worker_app", factory=True, workers=config.workers, **options)
    else:
        uvicorn.run(build_app(config), **options)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `yici-hub`."""
    args = build_parser().parse_args(argv)
    try:
        url = database_url(args.database)
        if args.command == "serve":
            return _serve(args, url)
        if args.command in cli_publish.COMMANDS:
            return asyncio.run(_publish(args, url))
        return asyncio.run(_run(args, url))
    except ConfigError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - every failure becomes one Chinese line
        return _failed(exc)


def _failed(exc: Exception) -> int:
    from hub.admins import AdminError
    from hub.branches import BranchError
    from hub.devices import EnrolError
    from hub.migrate import SchemaError
    from hub.publishing import PublishError

    if isinstance(exc, AdminError | BranchError | EnrolError | PublishError | SchemaError):
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    import psycopg

    if isinstance(exc, psycopg.OperationalError):
        print(f"连不上数据库：{shown(str(exc)).strip()}", file=sys.stderr)
        return EXIT_FAILED
    raise exc


if __name__ == "__main__":
    sys.exit(main())
