"""The supply line under a token's name: the figure that matters, where it was read, how to check it.

Symbols, errors and methods come from chains, APIs or a snapshot file anyone can make: the supply
line (rich text, for its bold figure) escapes them; the provenance line is shown as plain text.
"""

from __future__ import annotations

import html

from backcheck.core.lookup import Inspection


def supply_text(inspection: Inspection) -> tuple[str, str]:
    """The supply line (rich text) and its provenance (plain text)."""
    facts = inspection.facts
    if inspection.per_chain:
        fact = facts.get("outstanding_evm_chains")
        value = html.escape(fact.display_value()) if fact and fact.known else "unknown"
        gross = facts.get("total_supply_evm_chains_gross")
        chains = facts.get("chains_read")
        return (
            f"Outstanding on {len(inspection.per_chain)} EVM chains: <b>{value}</b> (Σ supply − issuer wallets)",
            f"Gross supply {gross.display_value() if gross else 'unknown'} includes issuer inventory and is not "
            f"outstanding. Chains read: {chains.display_value() if chains else 'unknown'}. Each chain's figures, "
            "with block and method, are in the Evidence tab.",
        )
    fact = facts.get("total_supply")
    target = inspection.target
    if fact is None or not fact.known:
        reason = html.escape(fact.error or "") if fact else "not read"
        return f"Total supply: <b>unknown</b> — {reason}", ""
    symbol = html.escape(target.token.symbol if target.token else "tokens")
    where = "slot" if target.chain.kind == "solana" else "block"
    return (
        f"Total supply on {html.escape(target.chain.name)}: <b>{html.escape(fact.display_value())} {symbol}</b>",
        f"Read at {where} {fact.block} from {fact.source}, fetched {fact.fetched_at:%Y-%m-%d %H:%M:%S} UTC. "
        f"Verify it yourself: {fact.method}",
    )
