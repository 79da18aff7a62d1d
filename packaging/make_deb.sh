#!/usr/bin/env bash
# Package the one-folder app in dist/backcheck as dist/backcheck_<version>_amd64.deb (dpkg-deb):
# the app under /opt/backcheck, /usr/bin/backcheck, a menu entry and its icon. Runs after
# PyInstaller (packaging/build.sh calls it); reuses dist/backcheck, never rebuilds it.
set -euo pipefail
cd "$(dirname "$0")/.."
app=dist/backcheck
[ -x "$app/backcheck" ] || { echo "make_deb: $app/backcheck is missing: run packaging/build.sh" >&2; exit 1; }

version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
deb="dist/backcheck_${version}_amd64.deb"
# The system libraries Qt needs: the one list tools/bootstrap.sh installs (QT_APT).
qt_apt=$(sed -n '/^QT_APT="/,/"$/p' tools/bootstrap.sh | sed 's/^QT_APT=//; s/"//g' | xargs)
# The bundle runs on the glibc it was built against or newer: the highest GLIBC_ symbol version
# any bundled binary references becomes the libc6 dependency, so apt refuses older systems.
glibc=$({ find "$app" -type f \( -name '*.so*' -o -name backcheck \) -exec objdump -T {} + 2>/dev/null || true; } \
  | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
[ -n "$glibc" ] || { echo "make_deb: no GLIBC_ symbol version found in $app (is binutils installed?)" >&2; exit 1; }
depends="libc6 (>= $glibc), $(echo "$qt_apt" | sed 's/ /, /g')"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"  # mktemp makes it 0700; it becomes the package's "./"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$app" "$root/opt/backcheck"
ln -s /opt/backcheck/backcheck "$root/usr/bin/backcheck"
install -m 644 packaging/linux/backcheck.desktop "$root/usr/share/applications/backcheck.desktop"
install -m 644 resources/icons/backcheck.svg "$root/usr/share/icons/hicolor/scalable/apps/backcheck.svg"
desktop-file-validate "$root/usr/share/applications/backcheck.desktop"

cat > "$root/DEBIAN/control" <<CONTROL
Package: backcheck
Version: $version
Architecture: amd64
Maintainer: Backcheck maintainers <maintainers@users.noreply.b-seed-c633d905.example>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: check a tokenized stock against a red-flag checklist
 Backcheck finds the issuer's official token on each chain, reads supply, reserves,
 issuer powers and redemption terms from the chain with provenance on every number,
 and holds them against a red-flag checklist. Unknown is never shown as safe.
CONTROL
# The menu and icon caches are refreshed by the dpkg triggers of desktop-file-utils and
# the icon theme; every installed file is listed by dpkg, so removal leaves nothing behind.
# zstd: 56 MB in ~9 s here (xz: 47 MB in ~60 s); dpkg reads it on Debian 12 and Ubuntu 21.10+.
dpkg-deb --root-owner-group -Zzstd -z12 --build "$root" "$deb" >/dev/null
echo "make_deb: $deb ($(du -h "$deb" | cut -f1); Depends libc6 >= $glibc)"
