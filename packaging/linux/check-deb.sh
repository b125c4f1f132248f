#!/usr/bin/env bash
# CI's check of the .deb (as root): the desktop entry and AppStream metadata validate,
# the package installs with its dependencies, the installed satchel passes its
# self-test, and removing it leaves only its conffile (purging removes that too).
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls build/satchel_*.deb | tail -1)
stage=build/deb/$(basename "$deb" .deb)

desktop-file-validate "$stage/usr/share/applications/io.satchel.Satchel.desktop"
appstreamcli validate --no-net "$stage/usr/share/metainfo/io.satchel.Satchel.metainfo.xml"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
QT_QPA_PLATFORM=offscreen /usr/bin/satchel --self-test
[ -f /usr/share/man/man1/satchel.1.gz ] || { echo "no man page installed"; exit 1; }
dpkg -r satchel >/dev/null
# Every file and link the package holds is gone again, but for the conffile.
left=""
checked=0
while read -r path; do
  checked=$((checked + 1))
  [ "$path" = /etc/satchel/policy.toml.example ] && continue
  if [ -e "$path" ] || [ -L "$path" ]; then left="$left $path"; fi
done < <(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|')
[ -z "$left" ] || { echo "dpkg -r left files behind:$left"; exit 1; }
[ "$checked" -gt 100 ] || { echo "only $checked files listed in $deb"; exit 1; }
[ -f /etc/satchel/policy.toml.example ] || { echo "the conffile went on remove"; exit 1; }
dpkg -P satchel >/dev/null
[ ! -e /etc/satchel/policy.toml.example ] || { echo "purge left the conffile"; exit 1; }
echo "deb OK: $deb validated, installed, self-tested and removed ($checked files gone)"
