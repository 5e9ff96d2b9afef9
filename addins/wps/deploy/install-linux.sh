#!/bin/sh
# perfxl WPS 表格加载项：离线安装（当前用户；银河麒麟 Kylin、统信 UOS 等 Linux 上的 WPS）。
# 把加载项复制到 ~/.local/share/Kingsoft/wps/jsaddons/perfxl_1.0.0，并在同一文件夹的
# publish.xml 中登记（已有的其他加载项保留，旧的 perfxl 登记换成新的）。
# 用法：sh addins/wps/deploy/install-linux.sh；装好后重新启动 WPS。
set -eu
NAME=perfxl
VERSION=1.0.0
SRC=$(cd "$(dirname "$0")/.." && pwd)
JSADDONS="${WPS_JSADDONS_DIR:-$HOME/.local/share/Kingsoft/wps/jsaddons}"
DEST="$JSADDONS/${NAME}_${VERSION}"

mkdir -p "$JSADDONS"
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$SRC/index.html" "$SRC/main.js" "$SRC/ribbon.xml" "$SRC/package.json" "$DEST/"
cp -R "$SRC/js" "$SRC/ui" "$SRC/images" "$DEST/"

python3 - "$JSADDONS/publish.xml" "$NAME" "$VERSION" <<'PY'
import re, sys
from pathlib import Path

path, name, version = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
line = (f'  <jsplugin name="{name}" type="et" url="{name}_{version}" version="{version}" '
        'enable="enable_dev" install="null" customDomain=""/>')
xml = path.read_text(encoding="utf-8") if path.exists() else ""
if "</jsplugins>" not in xml:
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n</jsplugins>\n'
xml = re.sub(r'[ \t]*<jsplugin\b[^>]*\bname="' + re.escape(name) + r'"[^>]*/>\r?\n?', "", xml)
xml = xml.replace("</jsplugins>", line + "\n</jsplugins>", 1)
path.write_text(xml, encoding="utf-8")
PY
echo "已安装到 $DEST"
echo "请重新启动 WPS，打开表格后应看到“绩效”选项卡。"
