#!/usr/bin/env bash
# Build the one-folder app into dist/backcheck (needs the bootstrapped .venv; on Linux binutils); on
# Linux also dist/backcheck_<version>_amd64.deb (packaging/make_deb.sh). The release workflow runs this
# same script on Linux, Windows and macOS (there also dist/Backcheck.app).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1
bin=.venv/bin
[ -d .venv/Scripts ] && bin=.venv/Scripts  # a Windows venv
"$bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/backcheck.spec
if [ "$(uname -s)" = Linux ]; then
  # The spec trimmed the ICU data (packaging/icu_trim.py): Qt's ICU calls must answer as before.
  "$bin/python" packaging/icu_check.py dist/backcheck/_internal/PySide6/Qt/lib
  packaging/make_deb.sh
fi
