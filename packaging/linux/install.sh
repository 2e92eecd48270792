#!/bin/sh
# Put Yici (this unpacked folder) in the applications menu, and `yici` on the command path.
#
#   ./install.sh                 for the current user: ~/.local/share/applications,
#                                ~/.local/share/icons, ~/.local/bin/yici
#   sudo ./install.sh --system   for everyone on this computer: /usr/share/applications,
#                                /usr/share/icons, /usr/local/bin/yici
#   ./install.sh --desktop       also put a shortcut on the desktop (桌面)
#   ./install.sh --uninstall     remove the menu entry, icon and command link again
#                                (add --system for a system-wide install)
#
# Nothing here touches the data folder (~/.local/share/Yici, or yici-data beside the program).
# Moving this folder later breaks the menu entry: run ./install.sh again from the new place.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd -P)
scope=user
desktop_shortcut=no
action=install
for arg in "$@"; do
    case "$arg" in
        --system) scope=system ;;
        --desktop) desktop_shortcut=yes ;;
        --uninstall) action=uninstall ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "未知参数 / unknown option: $arg（用 --help 查看用法）" >&2; exit 2 ;;
    esac
done

if [ "$scope" = system ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "--system 需要管理员权限，请用 sudo 运行 / --system needs root: sudo $0 $*" >&2
        exit 1
    fi
    apps=/usr/share/applications
    icons=/usr/share/icons/hicolor
    bin=/usr/local/bin
else
    data_home=${XDG_DATA_HOME:-$HOME/.local/share}
    apps=$data_home/applications
    icons=$data_home/icons/hicolor
    bin=$HOME/.local/bin
fi
entry=$apps/yici.desktop
icon_png=$icons/256x256/apps/yici.png
icon_svg=$icons/scalable/apps/yici.svg

refresh_menus() {
    # Best effort: menus also notice the change on their own, only more slowly.
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

desktop_dir() {
    d=""
    command -v xdg-user-dir >/dev/null 2>&1 && d=$(xdg-user-dir DESKTOP 2>/dev/null || true)
    [ -n "$d" ] || d=$HOME/Desktop
    echo "$d"
}

if [ "$action" = uninstall ]; then
    # Remove our files only if they belong to a Yici install (never someone else's `yici`).
    rm -f "$entry" "$icon_png" "$icon_svg"
    if [ -L "$bin/yici" ]; then rm -f "$bin/yici"; fi
    [ "$scope" = user ] && rm -f "$(desktop_dir)/yici.desktop"
    refresh_menus
    echo "已从菜单中移除 Yici。程序文件夹 $HERE 和数据文件夹都还在；不再需要时请手动删除。"
    echo "Yici removed from the menu. The program folder and the data folder were kept."
    exit 0
fi

for program in Yici yici; do
    if [ ! -x "$HERE/$program" ]; then
        echo "找不到 $HERE/$program：请在解压后的 yici 文件夹里运行本脚本。" >&2
        exit 1
    fi
done
case "$HERE" in
    *[\"\`\$\\]*)
        echo "文件夹路径里有 \" \` \$ 或 \\ 字符，菜单项无法使用：请解压到别的位置（如 /opt/yici）。" >&2
        exit 1 ;;
esac

mkdir -p "$apps" "$(dirname "$icon_png")" "$(dirname "$icon_svg")" "$bin"
cp "$HERE/yici.png" "$icon_png"
cp "$HERE/yici.svg" "$icon_svg"

# The entry from the template, with absolute paths (quoted: the folder may contain spaces).
tmp=$(mktemp)
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        Exec=*) printf 'Exec="%s"\n' "$HERE/Yici" ;;
        TryExec=*) printf 'TryExec=%s\n' "$HERE/Yici" ;;
        Icon=*) printf 'Icon=%s\n' "$icon_png" ;;
        \#*) ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$HERE/yici.desktop" > "$tmp"
install -m 644 "$tmp" "$entry"
rm -f "$tmp"

ln -sfn "$HERE/yici" "$bin/yici"

if [ "$desktop_shortcut" = yes ]; then
    shortcut="$(desktop_dir)/yici.desktop"
    mkdir -p "$(dirname "$shortcut")"
    install -m 755 "$entry" "$shortcut"
    # GNOME-based desktops start a desktop shortcut only once it is marked trusted.
    command -v gio >/dev/null 2>&1 && gio set "$shortcut" metadata::trusted true 2>/dev/null || true
fi
refresh_menus

echo "已把 Yici 加入应用菜单：$entry"
echo "命令行：$bin/yici -> $HERE/yici"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "提示：$bin 不在 PATH 里，命令行请用完整路径 $HERE/yici，或把 $bin 加入 PATH。" ;;
esac
