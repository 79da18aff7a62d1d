"""Plain-language summary lines of an inspection (Answer layer), built from its facts."""

from __future__ import annotations

from decimal import Decimal

from backcheck.core.facts import Fact


def _value(fact: Fact | None) -> str:
    if fact is None:
        return "not read"
    return fact.display_value() if fact.known else f"unknown ({fact.error})"


def _pct(fact: Fact | None) -> str:
    if fact is None or not fact.known or not isinstance(fact.value, Decimal):
        return _value(fact)
    return f"{fact.value * 100:.2f} %"


def summary_lines(facts: dict[str, Fact]) -> list[str]:
    """Return the multiplier, reserves and holders lines that apply to these facts."""
    lines = []
    if "multiplier" in facts:
        line = f"<b>Multiplier</b>: 1 token = {_value(facts['multiplier'])} shares"
        stored = facts.get("multiplier_stored")
        if (
            stored is not None
            and stored.known
            and isinstance(stored.value, Decimal)
            and stored.value != facts["multiplier"].value
        ):
            line += f" (the chain's stored field still says {stored.display_value()})"
        pending = facts.get("multiplier_pending")
        if pending is not None and pending.known and pending.value != "none":
            line += (
                f". <b>Change scheduled</b>: {pending.display_value()} from "
                f"{_value(facts.get('multiplier_pending_at'))}"
            )
        elif pending is not None and pending.known:
            line += ". No change scheduled"
        lines.append(line + ".")
    if "reserves_coverage" in facts:
        lines.append(
            f"<b>Reserves</b> (issuer's proof): {_value(facts.get('reserves_shares'))} shares held for "
            f"{_value(facts.get('outstanding_all_chains'))} tokens outstanding on all chains — coverage "
            f"{_pct(facts.get('reserves_coverage'))}; proof {_value(facts.get('reserves_age_hours'))} h old "
            f"(promised every {_value(facts.get('reserves_cadence_hours'))} h)."
        )
    if "holders_top1_share" in facts:
        lines.append(
            f"<b>Holders</b>: issuer wallets hold {_value(facts.get('issuer_inventory'))} "
            "(labelled, excluded); "
            f"float {_value(facts.get('float'))}. Largest holder {_pct(facts.get('holders_top1_share'))} of "
            f"the float, top 10 {_pct(facts.get('holders_top10_share'))}, Nakamoto coefficient "
            f"{_value(facts.get('holders_nakamoto'))}."
        )
    actions = facts.get("corporate_actions_upcoming")
    if actions is not None:
        if actions.known and isinstance(actions.value, list):
            listed = (
                "; ".join(
                    f"{a.get('type')} effective {a.get('effective')} ({a.get('status')})"
                    for a in actions.value
                )
                or "none scheduled"
            )
            lines.append(f"<b>Corporate actions</b> (issuer): {listed}.")
        else:
            lines.append(f"<b>Corporate actions</b> (issuer): {_value(actions)}.")
    halted = facts.get("market_trading_halted")
    if halted is not None:
        state = _value(halted)
        if halted.known:
            state = "<b>halted</b>" if halted.value is True else "not halted"
        lines.append(f"<b>Issuer trading status</b>: {state}; issuer quote {_value(facts.get('price'))} USD.")
    return lines
