"""The pinned findings of every table row: what a person reads changes only on purpose.

After a deliberate change of wording, evidence or status, rewrite the pinned file with
``.venv/bin/python -m tests.unit.core.rules.golden`` and review its diff like code.
"""

import json
from pathlib import Path

from tests.unit.core.rules.support import TARGETS, finding
from tests.unit.core.rules.test_checks import BOUNDARIES, CASES, CONFIG, COUNTRY_CASES

GOLDEN = Path(__file__).with_name("golden.json")
NAMES = {id(target): name for name, target in TARGETS.items()}


def rows() -> list[tuple[str, object, dict, str]]:
    """(rule, target, facts, country) of every status row, country row and boundary row."""
    out = [(rule_id, target, facts, "") for rule_id, target, facts, _ in CASES]
    out += [(rule_id, target, facts, country) for rule_id, target, facts, country, _ in COUNTRY_CASES]
    for threshold, rule_id, target, facts, boundary, step, _ in BOUNDARIES:
        x = boundary(CONFIG.thresholds[threshold])
        out += [(rule_id, target, facts(x + side * step), "") for side in (-1, 0, 1)]
    return out


def findings() -> dict[str, dict[str, object]]:
    """Each row's finding as a person and the report see it, keyed by the row's own text."""
    out = {}
    for rule_id, target, facts, country in rows():
        result = finding(rule_id, target, facts, country=country)
        out[f"{rule_id} | {NAMES[id(target)]} | {country} | {facts!r}"] = {
            "status": result.status,
            "info": result.info,
            "explanation": result.explanation,
            "evidence": list(result.evidence),
        }
    return out


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(findings(), indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
