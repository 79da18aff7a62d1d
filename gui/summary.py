"""Plain-language summary lines of an inspection (the Answer layer), built from its facts."""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal

from backcheck.core.facts import Fact

Facts = dict[str, Fact]


def _value(fact: Fact | None) -> str:
    # Reasons stay out of the summary (one failed source would repeat its reason on every line);
    # they are in the message line, the Evidence tab and each value's tooltip there.
    if fact is None:
        return "not read"
    # Values come from chains and APIs: escaped, so no source can inject markup into the rich text.
    return html.escape(fact.display_value()) if fact.known else "<i>unknown</i>"


def _pct(fact: Fact | None) -> str:
    if fact is None or not fact.known or not isinstance(fact.value, Decimal):
        return _value(fact)
    return f"{fact.value * 100:.2f} %"


def _multiplier(facts: Facts) -> str | None:
    if "multiplier" not in facts:
        return None
    if facts["multiplier"].value == "not present":
        return "<b>Multiplier</b>: none on this token — balances are never rescaled (1 token = 1 unit)."
    line = f"<b>Multiplier</b>: 1 token = {_value(facts['multiplier'])} shares"
    stored = facts.get("multiplier_stored")
    if stored is not None and isinstance(stored.value, Decimal) and stored.value != facts["multiplier"].value:
        line += f" (the chain's stored field says {stored.display_value()})"
    pending = facts.get("multiplier_pending")
    if pending is not None and pending.known and pending.value != "none":
        when = _value(facts.get("multiplier_pending_at"))
        line += f". <b>Change scheduled</b>: {pending.display_value()} from {when}"
    elif pending is not None and pending.known:
        line += ". No change scheduled"
    return line + "."


def _reserves(facts: Facts) -> str | None:
    if "reserves_coverage" not in facts:
        return None
    return (
        f"<b>Reserves</b> (issuer's proof): {_value(facts.get('reserves_shares'))} shares held for "
        f"{_value(facts.get('outstanding_all_chains'))} tokens outstanding on all chains — coverage "
        f"{_pct(facts.get('reserves_coverage'))}; proof {_value(facts.get('reserves_age_hours'))} h old "
        f"(promised every {_value(facts.get('reserves_cadence_hours'))} h).{_measured(facts)}"
    )


def _measured(facts: Facts) -> str:
    """The same reserves held against the float Backcheck measured on every chain."""
    if "reserves_coverage_measured" not in facts:
        return ""
    parts = facts.get("outstanding_measured_parts")
    chains = len(parts.value) if parts is not None and isinstance(parts.value, list) else 0
    return (
        f" <b>Measured by Backcheck</b>: {_value(facts.get('outstanding_measured_all_chains'))} outstanding on "
        f"{chains} chains (each at its own block or slot) — coverage {_pct(facts.get('reserves_coverage_measured'))}."
    )


def _feed(facts: Facts) -> str | None:
    if "reserves_feed_answer" not in facts:
        return None
    v = {key: _value(facts.get(f"reserves_feed{key}")) for key in ("", "_answer", "_age_hours", "_round_check")}
    heartbeat = _value(facts.get("reserves_feed_heartbeat_hours"))
    return (
        f"<b>Reserve feed</b> ({v['']}): {v['_answer']} shares, {v['_age_hours']} h old (heartbeat {heartbeat} h); "
        f"round check {v['_round_check']}; covers {_pct(facts.get('reserves_feed_coverage'))} of the float."
    )


def _holders(facts: Facts) -> str | None:
    if "holders_top1_share" not in facts:
        return None
    return (
        f"<b>Holders</b>: issuer wallets hold {_value(facts.get('issuer_inventory'))} (labelled, excluded); "
        f"float {_value(facts.get('float'))}. Largest holder {_pct(facts.get('holders_top1_share'))} of the "
        f"float, top 10 {_pct(facts.get('holders_top10_share'))}, Nakamoto coefficient "
        f"{_value(facts.get('holders_nakamoto'))}, holders {_value(facts.get('holders_count'))}."
    )


def _upgrade(facts: Facts) -> str | None:
    if "proxy_admin_controller_kind" not in facts:
        return None
    return (
        f"<b>Upgrade power</b>: {_value(facts.get('proxy_admin_controller'))} — "
        f"{_value(facts.get('proxy_admin_controller_kind'))}. Paused now: {_value(facts.get('paused'))}."
    )


def _actions(facts: Facts) -> str | None:
    actions = facts.get("corporate_actions_upcoming")
    if actions is None:
        return None
    if actions.known and isinstance(actions.value, list):
        listed = html.escape(
            "; ".join(f"{a.get('type')} effective {a.get('effective')} ({a.get('status')})" for a in actions.value)
        )
        return f"<b>Corporate actions</b> (issuer): {listed or 'none scheduled'}."
    return f"<b>Corporate actions</b> (issuer): {_value(actions)}."


def _status(facts: Facts) -> str | None:
    halted = facts.get("market_trading_halted")
    if halted is None:
        return None
    state = _value(halted)
    if halted.known:
        state = "<b>halted</b>" if halted.value is True else "not halted"
    return f"<b>Issuer trading status</b>: {state}; issuer quote {_value(facts.get('price_issuer'))} USD."


LINES: tuple[Callable[[Facts], str | None], ...] = (
    _multiplier,
    _reserves,
    _feed,
    _holders,
    _upgrade,
    _actions,
    _status,
)


def summary_lines(facts: Facts) -> list[str]:
    """Return the summary lines that apply to these facts, in reading order."""
    return [line for make in LINES if (line := make(facts)) is not None]
