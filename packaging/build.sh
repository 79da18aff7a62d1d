#!/usr/bin/env bash
# Build the one-folder app into dist/backcheck (needs the bootstrapped .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/backcheck.spec
