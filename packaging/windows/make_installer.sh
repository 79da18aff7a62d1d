#!/usr/bin/env bash
# Make the Windows installer: packaging/windows/make_installer.sh APPDIR OUTFILE
# Signs APPDIR/backcheck.exe and the installer with signtool when WINDOWS_CERT_PFX_BASE64 and
# WINDOWS_CERT_PASSWORD are set (release workflow secrets); without them both stay unsigned.
# Runs on Windows (Git Bash) and, against a stub APPDIR, on Linux with Debian's makensis.
set -euo pipefail
app=$1 out=$2
cd "$(dirname "$0")/../.."
py=$(command -v python3 || command -v python)  # Windows has only "python"
version=$("$py" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

sign() {
  if [ -z "${WINDOWS_CERT_PFX_BASE64:-}" ]; then
    echo "make_installer: no signing secrets: $1 stays unsigned"
    return 0
  fi
  local pfx="${RUNNER_TEMP:-/tmp}/backcheck-sign.pfx" signtool
  printf '%s' "$WINDOWS_CERT_PFX_BASE64" | base64 -d > "$pfx"
  signtool=$(ls "/c/Program Files (x86)/Windows Kits/10/bin/"*/x64/signtool.exe | sort -V | tail -1)
  MSYS_NO_PATHCONV=1 "$signtool" sign /f "$pfx" /p "$WINDOWS_CERT_PASSWORD" /fd sha256 \
    /tr http://timestamp.digicert.com /td sha256 "$1" || { rm -f "$pfx"; return 1; }
  rm -f "$pfx"
}

makensis=makensis
command -v makensis >/dev/null 2>&1 || makensis="/c/Program Files (x86)/NSIS/makensis.exe"
sign "$app/backcheck.exe"
# -WX: a warning in the script fails the build; -V2: warnings and errors only.
"$makensis" -WX -V2 -DVERSION="$version" -DSRCDIR="$app" -DOUTFILE="$out" packaging/windows/backcheck.nsi
sign "$out"
echo "make_installer: $out"
