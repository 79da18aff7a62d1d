"""Every table row's finding equals its pinned text, evidence and status (golden.json)."""

import json

from tests.unit.core.rules.golden import GOLDEN, findings


def test_every_finding_reads_as_pinned():
    pinned = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = findings()
    assert sorted(now) == sorted(pinned), "rows changed: rewrite with python -m tests.unit.core.rules.golden"
    changed = [key for key in now if now[key] != pinned[key]]
    assert not changed, [(key, now[key], pinned[key]) for key in changed[:3]]
