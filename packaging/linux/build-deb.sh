#!/usr/bin/env bash
# `make deb`: the one-folder bundle (dist/satchel, from `make package`) as a Debian
# package: /opt/satchel, /usr/bin/satchel, a desktop entry, AppStream metainfo, hicolor
# icons, a man page made from the CLI's own help, and a policy example under /etc/satchel.
set -euo pipefail
cd "$(dirname "$0")/../.."

app_id=io.satchel.Satchel
version=$(grep -m1 '^version' pyproject.toml | cut -d'"' -f2)
arch=$(dpkg --print-architecture)
stage=build/deb/satchel_${version}_${arch}
output=build/satchel_${version}_${arch}.deb
python=${PYTHON:-.venv/bin/python}

[ -x dist/satchel/satchel ] || { echo "make deb: run make package first (dist/satchel)"; exit 1; }
command -v help2man >/dev/null || { echo "make deb: help2man is needed for the man page"; exit 1; }
rm -rf "$stage" && mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" \
  "$stage/usr/share/applications" "$stage/usr/share/metainfo" "$stage/usr/share/man/man1" \
  "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/doc/satchel" "$stage/etc/satchel"

cp -a dist/satchel "$stage/opt/satchel"
ln -s /opt/satchel/satchel "$stage/usr/bin/satchel"
install -m 644 packaging/linux/$app_id.desktop "$stage/usr/share/applications/"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" \
  packaging/linux/$app_id.metainfo.xml > "$stage/usr/share/metainfo/$app_id.metainfo.xml"
install -m 644 resources/icons/satchel.svg "$stage/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
"$python" packaging/linux/render_icons.py resources/icons/satchel.svg \
  "$stage/usr/share/icons/hicolor" "$app_id"
install -m 644 packaging/linux/policy.toml.example "$stage/etc/satchel/policy.toml.example"
QT_QPA_PLATFORM=offscreen help2man --no-info --no-discard-stderr --version-string="$version" \
  --name="offline-first collateral library for sales and marketing teams" \
  dist/satchel/satchel | gzip -9n > "$stage/usr/share/man/man1/satchel.1.gz"
cat > "$stage/usr/share/doc/satchel/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Satchel
License: GPL-3.0-or-later
Comment: The bundled libraries keep their own licences; \`satchel\` shows them in Help > About.
 Fonts: DejaVu (Bitstream Vera derivative licence).
COPYRIGHT

size=$(du -sk "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: satchel
Version: $version
Architecture: $arch
Maintainer: The Satchel team <team@satchel.example.org>
Installed-Size: $size
Depends: libc6, libglib2.0-0, libgl1, libegl1, libxkbcommon0, libfontconfig1, libdbus-1-3, libx11-xcb1, libxcb-cursor0, libxkbcommon-x11-0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xfixes0, libxcb-xkb1
Section: office
Priority: optional
Homepage: https://satchel.example.org/
Description: offline-first collateral library for sales and marketing teams
 Satchel keeps a team's sales collateral on every laptop: full-text search with
 facets, templates that reps tailor within marketing's limits, customized PDFs
 generated on the spot, and edit requests that marketing decides from one queue.
CONTROL
echo /etc/satchel/policy.toml.example > "$stage/DEBIAN/conffiles"
dpkg-deb --root-owner-group --build "$stage" "$output" >/dev/null
echo "$output"
