"""Opening a handover file (`yici export`'s zip) as a hostile file may be: its size and number of
entries capped before anything is unpacked (a zip bomb is refused, not written to disk), only
the entries Yici writes unpacked, and its database checked as a sound Yici database.

Format 2 (this version writes) is encrypted with a passphrase the person chose: the manifest
(counts and versions, nothing personal) is plain and names the scrypt salt; the database is
SQLCipher with the key the passphrase gives, each attachment sealed with it. Format 1 (before
encryption) is plain and still read.

Nothing here touches the data folder: the file is unpacked into a temporary folder.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from forms.i18n import tr
from forms.store import DB_NAME, StoreError
from forms.store.attachments import SHA256
from forms.store.cipher import fits
from forms.store.errors import BadDatabaseFile
from forms.store.keys import derive
from forms.store.verify import check_database_file

EXPORT_FORMAT = 2
READ_FORMATS = (1, 2)
MANIFEST = "manifest.json"
# scrypt's cost for an export's passphrase (memory 128 * 8 * N bytes: 128 MiB, about half a
# second); kept in the manifest, so files written with another cost still open.
EXPORT_SCRYPT_N = 2**17
OLD_EXPORT_SCRYPT_N = 2**15
MAX_EXPORT_SCRYPT_N = 2**17  # a manifest asking for more memory than this is refused as damaged
# A township's whole data folder, photos included, is far below these. A file beyond them is
# refused before anything is unpacked.
MAX_ENTRIES = 100_000
MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_MANIFEST_BYTES = 1024 * 1024


class HandoverProblem(StoreError):
    """The file is not a Yici export, is damaged, too large, or was made by a newer Yici."""


def _wanted(name: str) -> bool:
    parts = name.split("/")
    return (
        name == DB_NAME
        or (len(parts) == 2 and parts[0] == "attachments" and bool(SHA256.match(parts[1])))
        or (
            len(parts) == 2
            and parts[0] == "forms"
            and parts[1].endswith(".yaml")
            and not parts[1].startswith(".")
        )
    )


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def _check_sizes(zf: zipfile.ZipFile, path: Path) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise HandoverProblem(
            tr(
                "导出文件里的条目太多（{infos_count} 个，上限 {max_entries} 个），"
                "不像是一次导出的文件，没有导入：{path}。"
                " / Too many entries in the file; nothing was imported."
            ).format(infos_count=len(infos), max_entries=MAX_ENTRIES, path=path)
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise HandoverProblem(
            tr(
                "导出文件解压后太大（{megabytes}，上限 {megabytes2}），"
                "可能是恶意构造的压缩包，没有导入：{path}。"
                " / The file unpacks to too much; nothing was imported."
            ).format(megabytes=_megabytes(total), megabytes2=_megabytes(MAX_UNPACKED_BYTES), path=path)
        )
    manifest = zf.getinfo(MANIFEST)
    if manifest.file_size > MAX_MANIFEST_BYTES:
        raise HandoverProblem(
            tr("导出文件中的 {manifest} 太大，没有导入：{path}。 / Manifest too large.").format(
                manifest=MANIFEST, path=path
            )
        )


def read_manifest(path: Path) -> dict:
    """What a handover file says it holds (its manifest), after the checks that need no
    unpacking: shown to a person before they import it. Raises HandoverProblem."""
    return _open(Path(path), None)


def export_key(manifest: dict, passphrase: str | None) -> bytes | None:
    """The key an export's passphrase gives (None for a plain file of format 1)."""
    if manifest.get("yici_export") == 1:
        return None
    salt = str((manifest.get("cipher") or {}).get("salt") or "")
    if not passphrase:
        raise HandoverProblem(
            tr(
                "这个导出文件是加密的，请输入导出时设置的口令（命令行：--passphrase-file 口令文件）。"
                " / The export is encrypted: give its passphrase."
            )
        )
    # The scrypt cost is in the manifest; exports written before it was named there used 2^15.
    n = (manifest.get("cipher") or {}).get("n") or OLD_EXPORT_SCRYPT_N
    try:
        if not isinstance(n, int) or n < 2 or n > MAX_EXPORT_SCRYPT_N or n & (n - 1):
            raise ValueError(n)
        return derive(passphrase, bytes.fromhex(salt), n)
    except ValueError as exc:
        raise HandoverProblem(tr("导出文件的清单已损坏。 / Damaged manifest.")) from exc


def open_export(path: Path, work: Path, passphrase: str | None = None) -> tuple[dict, bytes | None]:
    """Check the zip and unpack what Yici writes into `work`/unpacked; returns the manifest and
    the export's key. Raises HandoverProblem (a wrong passphrase changes nothing) or
    NewerSchema for a database from a newer Yici."""
    manifest = _open(path, work)
    key = export_key(manifest, passphrase)
    snapshot = work / "unpacked" / DB_NAME
    if key is not None and not fits(snapshot, key):
        raise HandoverProblem(
            tr(
                "口令不对，导出文件没有打开，本机数据没有任何改动：{path}。请输入导出时设置的口令。"
                " / Wrong passphrase; nothing was imported."
            ).format(path=path)
        )
    try:
        check_database_file(snapshot, key=key)
    except BadDatabaseFile as exc:
        raise HandoverProblem(
            tr(
                "导出文件中的数据库不能导入：{reason}：{path}。请在原电脑上重新导出；本机数据没有任何改动。"
                " / The database in the file is not a sound Yici database; nothing was imported."
            ).format(reason=exc.reason, path=path)
        ) from exc
    return manifest, key


def _open(path: Path, work: Path | None) -> dict:
    """The checked manifest; with `work`, the whole zip tested and Yici's entries unpacked there."""
    if not path.is_file():
        raise HandoverProblem(
            tr("找不到导出文件：{path}。请检查路径。 / Export file not found.").format(path=path)
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if MANIFEST not in names or DB_NAME not in names:
                raise HandoverProblem(
                    tr(
                        "这个文件不是一次的导出文件（缺少 {manifest} 或 {db_name}）：{path}。"
                        "请用 `yici export` 生成的文件。 / Not a Yici export."
                    ).format(manifest=MANIFEST, db_name=DB_NAME, path=path)
                )
            _check_sizes(zf, path)
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            if not isinstance(manifest, dict) or manifest.get("yici_export") not in READ_FORMATS:
                written = manifest.get("yici_export") if isinstance(manifest, dict) else "?"
                raise HandoverProblem(
                    tr(
                        "这个导出文件的格式本版本不认识（{written}）："
                        "{path}。请把一次升级到与导出时相同或更新的版本。 / Unknown export format."
                    ).format(written=written, path=path)
                )
            if work is None:
                return manifest
            bad = zf.testzip()
            if bad is not None:
                raise HandoverProblem(
                    tr("导出文件已损坏（{bad} 校验失败）：{path}。请重新导出。 / Damaged zip.").format(
                        bad=bad, path=path
                    )
                )
            for name in sorted(names):
                if _wanted(name):
                    zf.extract(name, work / "unpacked")
    except zipfile.BadZipFile as exc:
        raise HandoverProblem(
            tr("这个文件不是一次的导出文件（不是有效的 zip）：{path}。 / Not a zip file.").format(path=path)
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HandoverProblem(
            tr("导出文件中的 {manifest} 已损坏：{path}。请重新导出。 / Damaged manifest.").format(
                manifest=MANIFEST, path=path
            )
        ) from exc
    except (NotImplementedError, RuntimeError) as exc:  # an unknown compression, encryption
        raise HandoverProblem(
            tr("导出文件无法解开（{exc}）：{path}。 / The zip cannot be unpacked.").format(exc=exc, path=path)
        ) from exc
    return manifest
