"""First paint of a frozen build: `.venv/bin/python -m bench.frozen_first_paint dist/backcheck/backcheck`.

Spawn → first paint of the main window, offscreen, median of the runs (target ≤ 0.8 s).
"""

from __future__ import annotations

import sys

from bench.run import first_paint, median_ms


def main() -> None:
    app = sys.argv[1] if len(sys.argv) > 1 else "dist/backcheck/backcheck"
    samples, marker = first_paint("offscreen", [app])
    print(f"frozen first paint ({app}, offscreen; `{marker}`): {median_ms(samples)}")


if __name__ == "__main__":
    main()
