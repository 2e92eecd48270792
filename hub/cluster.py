"""A PostgreSQL cluster in a folder, run from the system's own PostgreSQL programs: found (on PATH,
else Debian's newest /usr/lib/postgresql/N/bin), created with `initdb`, started and stopped with
`pg_ctl`. For trying the hub on one machine (`./dev hub`) and for the tests; a township's real
hub uses the PostgreSQL service its IT staff run (docs/HUB.md).

The server listens on 127.0.0.1 only, with its socket inside the folder, and trusts local
connections (nobody else can reach it). PostgreSQL refuses to run as root, so as root the folder
belongs to the `postgres` system user and the programs run through `runuser`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

SERVER_LOG = "server.log"


class ClusterError(RuntimeError):
    """The cluster cannot be created, started or stopped; the message says why, in Chinese."""


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    versions.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


def why_not() -> str | None:
    """Why a cluster cannot be run here (None when it can)."""
    if binaries() is None:
        return "PostgreSQL 的程序（initdb、pg_ctl）不在本机：请安装 Debian 的 postgresql 包（./dev 会安装）"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "以 root 运行时需要系统用户 postgres 来运行 PostgreSQL（安装 postgresql 包会创建它）"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One PostgreSQL cluster in `folder` (its data in folder/data, its log in folder/server.log).

    `fast`: no fsync, for tests that kill the hub, never PostgreSQL. A port is chosen at each
    start unless given; `settings` are more server settings for `-c name=value`."""

    def __init__(
        self, folder: Path, *, fast: bool = False, port: int | None = None, settings: dict | None = None
    ) -> None:
        reason = why_not()
        if reason:
            raise ClusterError(reason)
        self.bindir = binaries() or Path()
        self.folder = Path(folder).absolute()
        self.data = self.folder / "data"
        self.fast = fast
        self.settings = dict(settings or {})  # more server settings, e.g. {"max_connections": "300"}
        self.port = port or free_port()
        self._as_postgres = os.geteuid() == 0

    def exists(self) -> bool:
        """Has initdb already made a cluster in the folder?"""
        return (self.data / "PG_VERSION").is_file()

    def create(self) -> None:
        """initdb into folder/data (the folder is made when missing)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            if subprocess.run(["runuser", "-u", "postgres", "--", "test", "-w", str(self.folder)]).returncode:
                raise ClusterError(
                    f"以 root 运行时 PostgreSQL 由系统用户 postgres 运行，但它进不了 {self.folder}"
                    "（上级文件夹不让它进入）。请另选一个文件夹，例如 /var/tmp/yici-hub。"
                )
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", *(["--no-sync"] if self.fast else []))  # fmt: skip

    def start(self) -> Cluster:
        """Start the server on 127.0.0.1:port and wait until it accepts connections."""
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1"
        if self.fast:
            # Durability is PostgreSQL's own business, not what the tests check (they kill the
            # hub, never PostgreSQL): no fsync keeps them fast. Room for 200 laptops' worth.
            options += (
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
            )
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / SERVER_LOG), "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip
        return self

    def running(self) -> bool:
        """Is a server running on this folder's data (ours or one left behind)?"""
        command = self._command("pg_ctl", "-D", str(self.data), "status")
        return subprocess.run(command, capture_output=True, cwd=self.folder, timeout=60).returncode == 0

    def stop(self) -> None:
        """Stop the server (fast: disconnects clients, then shuts down cleanly)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        """A libpq URL for a database of this cluster, over TCP on 127.0.0.1."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bindir / program), *args]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_postgres else command

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            self._command(program, *args), capture_output=True, text=True, timeout=120, cwd=self.folder
        )
        if done.returncode != 0:
            log = self.folder / SERVER_LOG
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"{program} 失败（{done.returncode}）：{done.stdout}{done.stderr}{tail}")
