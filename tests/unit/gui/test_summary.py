"""The summary's rich text: measured coverage beside the issuer's, and source text escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from backcheck.core.facts import Fact
from backcheck.gui.summary import summary_lines

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def fact(value, unit: str = "unit", error: str | None = None) -> Fact:
    return Fact(value, unit, "test", "test", 1, AT, error=error)


RESERVES = {
    "reserves_shares": fact(Decimal(100)),
    "outstanding_all_chains": fact(Decimal(100)),
    "reserves_coverage": fact(Decimal(1)),
    "reserves_age_hours": fact(Decimal(6)),
    "reserves_cadence_hours": fact(Decimal(24)),
}


def reserves_line(facts: dict[str, Fact]) -> str:
    return next(line for line in summary_lines(facts) if "Reserves" in line)


def test_measured_coverage_stands_beside_the_issuers():
    parts = fact([{"chain": "solana"}, {"chain": "ethereum"}])
    line = reserves_line(
        RESERVES
        | {
            "outstanding_measured_parts": parts,
            "outstanding_measured_all_chains": fact(Decimal(125)),
            "reserves_coverage_measured": fact(Decimal("0.8")),
        }
    )
    assert "coverage 100.00 %" in line  # the issuer's own ratio
    assert "Measured by Backcheck</b>: 125 outstanding on 2 chains" in line
    assert "coverage 80.00 %" in line


def test_unknown_measured_coverage_says_unknown():
    line = reserves_line(
        RESERVES
        | {
            "outstanding_measured_all_chains": fact(None, error="not read on ink"),
            "reserves_coverage_measured": fact(None, error="the outstanding supply is unknown"),
        }
    )
    assert "coverage <i>unknown</i>." in line


def test_without_a_measured_read_there_is_no_measured_sentence():
    assert "Measured" not in reserves_line(RESERVES)


def test_text_from_a_source_cannot_inject_markup():
    actions = fact([{"type": "<img src=x>Split", "effective": "<b>soon</b>", "status": "ok"}])
    line = next(line for line in summary_lines({"corporate_actions_upcoming": actions}) if "Corporate" in line)
    assert "<img" not in line and "&lt;img src=x&gt;Split" in line
    assert "&lt;b&gt;soon&lt;/b&gt;" in line
    upgrade = summary_lines({"proxy_admin_controller_kind": fact("<a href='x'>evil</a>"), "paused": fact(False)})
    assert "<a href" not in upgrade[0] and "&lt;a href=" in upgrade[0]
