"""Frozen entry point: the same dispatcher as the installed ``backcheck`` command."""

from backcheck.gui.launcher import main

raise SystemExit(main())
