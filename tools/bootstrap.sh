#!/usr/bin/env bash
# Prepare this checkout: the Python venv (.venv) with pinned packages and Backcheck installed
# as backcheck.core / backcheck.gui. With --test also the apt packages Qt and Xvfb need,
# and the npm test tools (anvil, solc-js). Idempotent: re-running only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

QT_APT="libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0 libxcb-glx0
 libxcb-util1 fonts-dejavu-core"
TEST_APT="xvfb xauth binutils desktop-file-utils nsis poppler-utils"

missing_apt() {
  local p; for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done
}

apt_install() {
  local need; need=$(missing_apt "$@")
  [ -z "$need" ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bootstrap: installing system packages: $(echo $need | tr '\n' ' ')"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
}

if command -v dpkg >/dev/null 2>&1; then
  if [ "$want_test" = 1 ]; then apt_install $QT_APT $TEST_APT; else apt_install $QT_APT; fi
fi

stamp=.venv/.lock-stamp
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! cmp -s requirements/lock.txt "$stamp" 2>/dev/null; then
  echo "bootstrap: installing Python packages (requirements/lock.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements/lock.txt
  cp requirements/lock.txt "$stamp"
fi
# Strict editable mode builds a real backcheck/core, backcheck/gui link tree, so imports,
# mypy and import-linter all see the installed names, never a bare core or gui.
.venv/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation \
  --config-settings editable_mode=strict -e . >/dev/null

if [ "$want_test" = 1 ] && ! cmp -s package-lock.json node_modules/.bc-lock-stamp 2>/dev/null; then
  echo "bootstrap: installing npm test tools (anvil, solc-js)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.bc-lock-stamp
fi
