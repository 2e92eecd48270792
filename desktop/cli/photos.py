"""`yici photos inspect FILE`: what Yici reads from a photo (time, place, orientation, size,
camera, its hashes), for IT staff checking a phone's photos and for the bundle's own tests. Not
listed in `yici --help`: cadres attach photos in the window and with `records`.

forms/ is imported inside the handler: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.exits import EXIT_OK, CliError
from desktop.cli.output import pairs, print_json
from desktop.cli.usage import CommandTree

ORIENTATIONS = {1: "正常", 3: "倒置", 6: "顺时针转 90°", 8: "逆时针转 90°"}


def add_commands(tree: CommandTree) -> None:
    """Register `yici photos inspect`; the group is left out of `yici --help` (no help text)."""
    group = tree.commands.add_parser("photos", description="读照片里的信息")
    actions = group.add_subparsers(dest="action", title="操作", metavar="操作", required=True)
    p = tree.action(actions, "inspect", inspect, "照片的拍摄时间、地点、方向、尺寸、相机和哈希", json=True)
    p.add_argument("file", type=Path, metavar="FILE", help="照片文件（JPEG、PNG、HEIC）")


def inspect(args, data_dir: Path) -> int:
    """`yici photos inspect FILE [--json]`: the photo's facts, SHA-256 and perceptual hash."""
    from forms.photos import PhotoError, examine_photo

    try:
        photo = examine_photo(args.file)
    except PhotoError as exc:
        raise CliError(f"{args.file}：{exc}") from None
    facts = photo.facts.as_dict()
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "size": photo.size,
                "sha256": photo.sha256,
                "picture_hash": photo.picture_hash,
            }
            | facts
        )
        return EXIT_OK
    place = "无" if facts["latitude"] is None else f"{facts['latitude']}, {facts['longitude']}"
    turned = ORIENTATIONS.get(facts["orientation"], f"EXIF 方向 {facts['orientation']}")
    camera = " ".join(filter(None, (facts["make"], facts["model"]))) or "未知"
    print(
        pairs(
            [
                ("文件", args.file),
                ("格式", facts["format"]),
                ("尺寸", f"{facts['width']}×{facts['height']}"),
                ("拍摄方向", turned),
                ("拍摄时间", facts["taken_at"] or "无"),
                ("拍摄地点", place),
                ("相机", camera),
                ("SHA-256", photo.sha256),
                ("感知哈希", photo.picture_hash),
            ]
        )
    )
    return EXIT_OK
