"""CT-*: who can control the token, how they are governed, and whether a power is in use now.

Regulated issuers hold such powers by design; the rules say who holds each and how, rather than
scoring the token as a scam (product.md, "Regulated is not a rug").
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..facts import nobody
from .engine import Context, Outcome, governed_by, rule

# The powers that can stop a holder's transfers, per chain kind (sanctions lists exist on EVM only).
RESTRICTING = {
    "evm": ("freeze_authority", "pause_authority", "sanctions_list"),
    "solana": ("freeze_authority", "pause_authority"),
}


def upgradeable(ctx: Context) -> Outcome:
    """Who can replace the contract's logic: single key, multisig, timelock."""
    if ctx.chain_kind != "evm":
        return Outcome(
            "n/a", "Solana xStocks are Token-2022 accounts; the token program itself is not upgradeable by the issuer."
        )
    admin = ctx.value("proxy_admin")
    if admin is None:
        return ctx.missing("proxy_admin")
    if nobody(admin):
        return Outcome(
            "pass", "The contract is not an upgradeable proxy: its logic cannot be replaced.", ("proxy_admin",)
        )
    kind = ctx.value("proxy_admin_controller_kind")
    if kind is None:
        return ctx.missing("proxy_admin_controller_kind")
    kind = str(kind)
    evidence = ("proxy_admin", "proxy_admin_controller_kind")
    governance = governed_by(kind)
    if governance == "single key":
        return Outcome(
            "warning",
            f"One key ({ctx.value('proxy_admin_controller') or kind}) can replace the token's logic with anything, at "
            "once. Expected for an issuer, but a single point of failure: if that key is lost or stolen, so is control "
            "of every balance.",
            evidence,
        )
    if governance == "timelock":
        delay = re.search(r"minimum delay ([0-9.]+) h", kind)
        if delay is None:
            return Outcome(
                "unknown",
                f"Upgrades go through a {kind}, whose minimum delay Backcheck could not read.",
                evidence,
            )
        if Decimal(delay.group(1)) >= ctx.threshold("CT-1.timelock_hours"):
            return Outcome("pass", f"Upgrades go through a {kind}: holders see them coming.", evidence)
        return Outcome("caution", f"Upgrades go through a short {kind}: holders may not see them coming.", evidence)
    if governance == "multisig":
        return Outcome("caution", f"Upgrades need a {kind} but no timelock: a change takes effect at once.", evidence)
    return Outcome("caution", f"The upgrade power sits with a contract Backcheck cannot classify ({kind}).", evidence)


rule("CT-1", "Upgradeable with a single-key admin", upgradeable)


def mint_power(ctx: Context) -> Outcome:
    """A single key that can create tokens."""
    authority = ctx.value("mint_authority")
    if authority is None:
        return ctx.missing("mint_authority")
    if nobody(authority):
        return Outcome("pass", f"Nobody can mint new tokens (mint authority: {authority}).", ("mint_authority",))
    kind = ctx.value("mint_authority_kind")
    if kind is None:
        return ctx.missing("mint_authority_kind")
    evidence = ("mint_authority", "mint_authority_kind")
    governance = governed_by(str(kind))
    if governance == "single key":
        return Outcome(
            "warning",
            f"One key ({authority}) can mint new tokens. Expected for an issuer, but a single point of failure: a "
            "stolen key could create unbacked tokens.",
            evidence,
        )
    if governance == "unclassified":
        return Outcome(
            "caution",
            f"Minting is held by {authority} ({kind}), a contract Backcheck cannot classify: it may hide a single key.",
            evidence,
        )
    return Outcome("pass", f"Minting is held by {kind}.", evidence)


rule("CT-2", "Mint power held by a single key", mint_power)


def restrict_powers(ctx: Context) -> Outcome:
    """Info when a multisig holds them; caution when a single key does."""
    keys = RESTRICTING[ctx.chain_kind]
    unread = [k for k in keys if ctx.value(k) is None]
    held = [k for k in keys if k not in unread and not nobody(ctx.value(k))]
    kinds = {k: ctx.value(f"{k}_kind") for k in held}
    governance = {k: governed_by(str(kind)) for k, kind in kinds.items() if kind is not None}
    names = ", ".join(p.replace("_", " ") for p in held)
    single = [k for k in held if governance.get(k) == "single key"]
    if single:
        keyed = ", ".join(s.replace("_", " ") for s in single)
        return Outcome(
            "caution",
            f"Powers that can stop your transfers exist ({names}), and {keyed} sits with a single key. Expected for a "
            "regulated issuer; the single key is the weak point.",
            tuple(held),
        )
    if unread:
        return ctx.missing(*unread)
    # A sanctions list is a contract whose owner edits it; without its classification it stays unclassified.
    unclassified_kinds = [f"{k}_kind" for k in held if kinds[k] is None and k != "sanctions_list"]
    if unclassified_kinds:
        return ctx.missing(*unclassified_kinds)
    unclassified = [k for k in held if governance.get(k, "unclassified") == "unclassified"]
    if unclassified:
        return Outcome(
            "caution",
            f"Powers that can stop your transfers exist ({names}); Backcheck cannot tell who controls "
            f"{', '.join(k.replace('_', ' ') for k in unclassified)}, so it may be a single key.",
            tuple(held),
        )
    if not held:
        return Outcome("pass", "Nobody can freeze, blacklist or pause this token.", keys)
    return Outcome(
        "pass",
        f"Powers that can stop transfers exist ({names}) and are held by multisig or timelock.",
        tuple(held),
        info=True,
    )


rule("CT-3", "Freeze / blacklist / pause powers exist", restrict_powers)


def paused(ctx: Context) -> Outcome:
    """A paused token cannot move at all."""
    value = ctx.value("paused")
    if value is None:
        return ctx.missing("paused")
    if value is True:
        return Outcome(
            "critical", "The token is paused right now: no transfer, sale or redemption goes through.", ("paused",)
        )
    if value is not False and value != "not present":
        return ctx.missing("paused")
    halted = ctx.facts.get("market_trading_halted")
    if halted is not None and halted.value is True:
        return Outcome(
            "caution",
            "The token moves on chain, but the issuer has halted its own trading.",
            ("paused", "market_trading_halted"),
        )
    if halted is not None and not halted.known:
        return ctx.missing("market_trading_halted")
    state = "is not paused" if value is False else "has no pause function"
    return Outcome("pass", f"The token {state}.", ("paused", "market_trading_halted"))


rule("CT-4", "Paused or frozen now", paused)


def permanent_delegate(ctx: Context) -> Outcome:
    """Someone who can move or burn any holder's tokens."""
    delegate = ctx.value("permanent_delegate")
    if delegate is None:
        return ctx.missing("permanent_delegate")
    if nobody(delegate):
        return Outcome(
            "pass", f"Nobody can move or burn tokens out of your account ({delegate}).", ("permanent_delegate",)
        )
    kind = ctx.value("permanent_delegate_kind")
    if kind is None:
        return ctx.missing("permanent_delegate_kind")
    status = "warning" if governed_by(str(kind)) == "single key" else "caution"
    return Outcome(
        status,
        f"{delegate} ({kind}) can move or burn tokens out of any holder's account without asking. Issuers use this "
        "for court orders and lost keys; it also means your balance is never fully yours.",
        ("permanent_delegate", "permanent_delegate_kind"),
    )


rule("CT-5", "Permanent delegate / forced transfer", permanent_delegate)


def frozen_default(ctx: Context) -> Outcome:
    """New token accounts that start frozen need the issuer's approval to receive."""
    if ctx.chain_kind != "solana":
        return Outcome("n/a", "EVM tokens have no default account state.")
    state = ctx.value("default_account_state")
    if state is None:
        return ctx.missing("default_account_state")
    if state == "initialized":
        return Outcome("pass", "New accounts start initialized: anyone can receive.", ("default_account_state",))
    return Outcome(
        "caution",
        f"New accounts start {state}: you can receive tokens only after the issuer thaws your account.",
        ("default_account_state",),
    )


rule("CT-6", "New accounts frozen by default", frozen_default)


def transfer_hook(ctx: Context) -> Outcome:
    """A program that runs on every transfer can block or tax it."""
    if ctx.chain_kind != "solana":
        return Outcome("n/a", "EVM tokens have no transfer-hook extension (an upgrade could add any logic; see CT-1).")
    program = ctx.value("transfer_hook_program")
    if program is None:
        return ctx.missing("transfer_hook_program")
    if not nobody(program):
        return Outcome(
            "caution", f"Every transfer calls program {program}, which can refuse it.", ("transfer_hook_program",)
        )
    authority = ctx.value("transfer_hook_authority")
    if authority is None:
        note = " Whether its authority can switch a program on later is unknown."
    elif nobody(authority):
        note = ""
    else:
        note = f" The hook slot is armed: its authority {authority} can switch a program on later."
    return Outcome("pass", f"No transfer hook is active.{note}", ("transfer_hook_program", "transfer_hook_authority"))


rule("CT-7", "Active transfer hook", transfer_hook)


def transfer_fee(ctx: Context) -> Outcome:
    """A fee taken from every transfer (``not present``: the identified token has no transfer fee)."""
    fee = ctx.value("transfer_fee")
    if fee is None:
        return ctx.missing("transfer_fee")
    yearly = ctx.number("fee_per_year")
    note = f" A yearly fee of {yearly * 100:.4f} % is taken through the multiplier instead." if yearly else ""
    if fee == "not present":
        return Outcome("pass", f"This token has no transfer fee.{note}", ("transfer_fee", "fee_per_year"))
    bps = ctx.number("transfer_fee")
    if bps is None:
        return ctx.missing("transfer_fee")
    impossible = ctx.impossible("transfer_fee")
    if impossible is not None:
        return impossible
    if bps > 0:
        return Outcome("caution", f"Every transfer pays a {bps / 100} % fee to the issuer.", ("transfer_fee",))
    return Outcome("pass", f"Transfers carry no fee.{note}", ("transfer_fee", "fee_per_year"))


rule("CT-8", "Transfer fee", transfer_fee)


def authority_change(ctx: Context) -> Outcome:
    """Any role, admin or authority change in the last 30 days."""
    if "authority_changes_30d" not in ctx.facts:
        return Outcome(
            "unknown",
            "Backcheck did not read the history of role and admin changes, so a recent change is unknown. An "
            "explorer's event log for the contract shows them.",
        )
    changes = ctx.value("authority_changes_30d")
    if changes is None:
        return ctx.missing("authority_changes_30d")
    days = ctx.threshold("CT-9.days")
    if changes:
        listed = "; ".join(
            f"{c['event']} at block {c['block']}" if isinstance(c, dict) else str(c) for c in list(changes)[:8]
        )
        more = f" and {len(changes) - 8} more" if len(changes) > 8 else ""
        return Outcome(
            "caution",
            f"Roles, admin or code changed in the last {days} days: {listed}{more}. Check who "
            "holds each power now (Issuer powers tab).",
            ("authority_changes_30d",),
        )
    return Outcome("pass", f"No role, admin or upgrade change in the last {days} days.", ("authority_changes_30d",))


rule("CT-9", "Recent authority change", authority_change)
