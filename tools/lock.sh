#!/usr/bin/env bash
# Re-pin requirements/lock.txt from a fresh venv with the project's declared dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "setuptools" "wheel" -e ".[dev]"
{ echo "# Exact pins for CI and dev (regenerate: tools/lock.sh). Runtime deps are declared in pyproject.toml."
  "$tmp/venv/bin/pip" freeze --all --exclude-editable | grep -v '^pip=='; } > requirements/lock.txt
rm -rf "$tmp"
